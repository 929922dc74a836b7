import CSystemShims
import Foundation

/// A report's files, by name, before they are written.
public struct ReportFiles: Sendable {
    /// File name (relative to the report folder) → contents, in writing order.
    public var files: [(name: String, contents: String)]

    public init(files: [(name: String, contents: String)] = []) { self.files = files }

    public subscript(name: String) -> String? { files.first { $0.name == name }?.contents }
}

/// The folder holding `path` ("." for a bare file name).
func parentFolder(of path: String) -> String {
    let parent = (path as NSString).deletingLastPathComponent
    return parent.isEmpty ? "." : parent
}

/// Could not write a report.
public struct OutputError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// Writes report files so that no reader ever sees half a file: each is
/// written to a temporary name in the same folder, flushed, then renamed
/// over the old one.
public enum ReportWriter {
    public static func write(_ report: ReportFiles, into folder: String) throws {
        let manager = FileManager.default
        do {
            try manager.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw OutputError("\(folder): cannot create the report folder (\(reason(error)))")
        }
        for (index, (name, contents)) in report.files.enumerated() {
            if index == report.files.count / 2 { Failpoint.hit("report.mid-write") }
            let target = (folder as NSString).appendingPathComponent(name)
            try manager.createDirectory(atPath: parentFolder(of: target), withIntermediateDirectories: true)
            try writeAtomically(Data(contents.utf8), to: target)
        }
    }

    /// Writes `data` to a temporary file beside `path`, syncs it, renames it into place.
    public static func writeAtomically(_ data: Data, to path: String) throws {
        let directory = parentFolder(of: path)
        let temporary = (directory as NSString).appendingPathComponent(".\((path as NSString).lastPathComponent).tmp-\(getpid())")
        guard FileManager.default.createFile(atPath: temporary, contents: nil) else {
            throw OutputError("\(directory): cannot write here (read-only folder, no permission, or disk full)")
        }
        do {
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: temporary))
            try handle.write(contentsOf: data)
            try handle.synchronize()
            try handle.close()
            guard rename(temporary, path) == 0 else {
                throw OutputError("\(path): cannot replace the file (\(String(cString: strerror(errno))))")
            }
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            if let error = error as? OutputError { throw error }
            throw OutputError("\(path): cannot write (\(reason(error)))")
        }
    }

    static func reason(_ error: Error) -> String {
        let nsError = error as NSError
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError,
           let message = strerror(Int32(underlying.code)) {
            return String(cString: message)
        }
        return nsError.localizedDescription
    }
}

extension ReportWriter {
    /// Replaces the folder `target` with a folder holding exactly `report`, in
    /// one atomic step: the files are written and synced in a temporary
    /// sibling folder, which is then exchanged with the old one (renameat2),
    /// so a reader, or a run killed at any moment, sees the whole old report
    /// or the whole new one.
    public static func replaceFolder(_ target: String, with report: ReportFiles) throws {
        let manager = FileManager.default
        let parent = parentFolder(of: target)
        let name = (target as NSString).lastPathComponent
        do {
            try manager.createDirectory(atPath: parent, withIntermediateDirectories: true)
        } catch {
            throw OutputError("\(parent): cannot create the reports folder (\(reason(error)))")
        }
        removeLeftovers(of: name, in: parent)
        let staging = (parent as NSString).appendingPathComponent(".\(name).tmp-\(getpid())")
        do {
            try manager.createDirectory(atPath: staging, withIntermediateDirectories: false)
        } catch {
            throw OutputError("\(parent): cannot write here (read-only folder, no permission, or disk full)")
        }
        do {
            try write(report, into: staging)
            syncDirectory(staging)
            Failpoint.hit("report.before-swap")
            if manager.fileExists(atPath: target) {
                if outcomes_exchange_paths(staging, target) != 0 {
                    // No atomic exchange here (an old kernel or an exotic file
                    // system): move the old folder aside, then the new one in.
                    let aside = (parent as NSString).appendingPathComponent(".\(name).old-\(getpid())")
                    guard rename(target, aside) == 0 else { throw OutputError("\(target): cannot replace (\(String(cString: strerror(errno))))") }
                    guard rename(staging, target) == 0 else {
                        _ = rename(aside, target)
                        throw OutputError("\(target): cannot replace (\(String(cString: strerror(errno))))")
                    }
                    try? manager.removeItem(atPath: aside)
                } else {
                    try? manager.removeItem(atPath: staging)   // now the old report
                }
            } else {
                guard rename(staging, target) == 0 else { throw OutputError("\(target): cannot create (\(String(cString: strerror(errno))))") }
            }
            syncDirectory(parent)
        } catch {
            try? manager.removeItem(atPath: staging)
            throw error
        }
    }

    /// Temporary folders left by a run that was killed (only one run at a time
    /// holds the lock, so any that exist are stale).
    static func removeLeftovers(of name: String, in parent: String) {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: parent) else { return }
        for entry in entries where entry.hasPrefix(".\(name).tmp-") || entry.hasPrefix(".\(name).old-") {
            try? FileManager.default.removeItem(atPath: (parent as NSString).appendingPathComponent(entry))
        }
    }

    static func syncDirectory(_ path: String) {
        let descriptor = open(path, O_RDONLY | O_DIRECTORY)
        guard descriptor >= 0 else { return }
        fsync(descriptor)
        close(descriptor)
    }
}
