import CSystemShims
import Foundation

/// A report's files, by name, before they are written.
public struct ReportFiles: Sendable {
    /// File name (relative to the report folder) → contents, in writing order.
    public var files: [(name: String, contents: String)]

    public init(files: [(name: String, contents: String)] = []) { self.files = files }

    public subscript(name: String) -> String? { files.first { $0.name == name }?.contents }
}

/// Writes report files so that no reader ever sees half a file: each is
/// written to a temporary name in the same folder, flushed, then renamed
/// over the old one. Files and folders get the modes of `access` (0600 and
/// 0700 by default), whatever the process's umask.
public enum ReportWriter {
    public static func write(_ report: ReportFiles, into folder: String, access: FileAccess = .ownerOnly) throws {
        do { try access.createFolder(folder) } catch {
            throw ReportError.cannotCreateFolder(folder, reason(of: error))
        }
        for (index, (name, contents)) in report.files.enumerated() {
            if index == report.files.count / 2 { Failpoint.hit("report.mid-write") }
            let target = (folder as NSString).appendingPathComponent(name)
            do { try access.createFolder(FilePath.folder(of: target)) } catch {
                throw ReportError.cannotCreateFolder(FilePath.folder(of: target), reason(of: error))
            }
            try writeAtomically(Array(contents.utf8), to: target, access: access)
        }
    }

    /// Writes `bytes` to a temporary file beside `path` with the access's
    /// mode, syncs it, renames it into place.
    public static func writeAtomically(_ bytes: [UInt8], to path: String, access: FileAccess = .ownerOnly) throws {
        let directory = FilePath.folder(of: path)
        let temporary = (directory as NSString).appendingPathComponent(".\((path as NSString).lastPathComponent).tmp-\(getpid())")
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, access.fileMode)
        guard descriptor >= 0 else { throw ReportError.cannotWriteHere(directory) }
        do {
            defer { close(descriptor) }
            try access.secure(descriptor: descriptor, path: temporary)
            var offset = 0
            try bytes.withUnsafeBytes { buffer in
                while offset < buffer.count {
                    let written = Foundation.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                    if written < 0, errno == EINTR { continue }
                    guard written > 0 else { throw ReportError.cannotWrite(path, String(cString: strerror(errno))) }
                    offset += written
                }
            }
            guard fsync(descriptor) == 0 else { throw ReportError.cannotWrite(path, String(cString: strerror(errno))) }
        } catch {
            unlink(temporary)
            throw error
        }
        guard rename(temporary, path) == 0 else {
            let why = String(cString: strerror(errno))
            unlink(temporary)
            throw ReportError.cannotReplace(path, why)
        }
    }

    static func reason(of error: Error) -> String {
        if let access = error as? FileAccessError, case .cannotCreate(_, let why) = access { return why }
        return "\(error)"
    }
}

extension ReportWriter {
    /// Replaces the folder `target` with a folder holding exactly `report`, in
    /// one atomic step: the files are written and synced in a temporary
    /// sibling folder, which is then exchanged with the old one (renameat2),
    /// so a reader, or a run killed at any moment, sees the whole old report
    /// or the whole new one.
    public static func replaceFolder(_ target: String, with report: ReportFiles, access: FileAccess = .ownerOnly) throws {
        let parent = FilePath.folder(of: target)
        let name = (target as NSString).lastPathComponent
        do { try access.createFolder(parent) } catch {
            throw ReportError.cannotCreateFolder(parent, reason(of: error))
        }
        removeLeftovers(of: name, in: parent)
        let staging = (parent as NSString).appendingPathComponent(".\(name).tmp-\(getpid())")
        guard mkdir(staging, access.folderMode) == 0 else { throw ReportError.cannotWriteHere(parent) }
        do {
            try access.secureFolder(staging)
            try write(report, into: staging, access: access)
            syncDirectory(staging)
            Failpoint.hit("report.before-swap")
            try swapIn(staging, target: target, parent: parent, name: name)
            syncDirectory(parent)
        } catch {
            try? FileManager.default.removeItem(atPath: staging)
            throw error
        }
    }

    /// Puts the staged folder in place of `target`: one exchange where the
    /// kernel offers it, else the old folder aside and the new one in.
    static func swapIn(_ staging: String, target: String, parent: String, name: String,
                       exchange: (String, String) -> Int32 = { Failpoint.isOn("report.no-exchange") ? -1 : outcomes_exchange_paths($0, $1) }) throws {
        guard FileAccess.exists(target) else {
            guard rename(staging, target) == 0 else { throw ReportError.cannotReplace(target, String(cString: strerror(errno))) }
            return
        }
        if exchange(staging, target) == 0 {
            try? FileManager.default.removeItem(atPath: staging)   // now the old report
            return
        }
        // No atomic exchange here (an old kernel or an exotic file system):
        // move the old folder aside, then the new one in. A run killed
        // between the two leaves only the aside copy; the next run puts it
        // back before anything else (removeLeftovers).
        let aside = (parent as NSString).appendingPathComponent(".\(name).old-\(getpid())")
        guard rename(target, aside) == 0 else { throw ReportError.cannotReplace(target, String(cString: strerror(errno))) }
        Failpoint.hit("report.between-renames")
        guard rename(staging, target) == 0 else {
            let why = String(cString: strerror(errno))
            _ = rename(aside, target)
            throw ReportError.cannotReplace(target, why)
        }
        try? FileManager.default.removeItem(atPath: aside)
    }

    /// Puts back every report a killed run left aside under `root` (the
    /// reports folder): run first thing under the lock, whatever the run then
    /// does, so a run that fails later never leaves a month without its report.
    public static func recoverInterruptedSwaps(in root: String) {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: root) else { return }
        let names = Set(entries.compactMap { entry -> String? in
            guard entry.hasPrefix("."), let range = entry.range(of: ".old-", options: .backwards) else { return nil }
            return String(entry[entry.index(after: entry.startIndex)..<range.lowerBound])
        })
        for name in names.sorted() { removeLeftovers(of: name, in: root) }
    }

    /// The latest month with a report under `root` (a `YYYY-MM` folder holding
    /// `manifest.json`), if any.
    public static func latestReportMonth(in root: String) -> YearMonth? {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: root) else { return nil }
        return entries.compactMap { entry -> YearMonth? in
            guard entry.utf8.count == 7, let month = YearMonth(entry),
                  FileAccess.exists((root as NSString).appendingPathComponent("\(entry)/manifest.json")) else { return nil }
            return month
        }.max()
    }

    /// The SHA-256 of every input a report's manifest lists, or nil when it cannot be read.
    public static func inputsOfReport(in folder: String) -> Set<String>? {
        guard let data = FileManager.default.contents(atPath: (folder as NSString).appendingPathComponent("manifest.json")),
              let manifest = try? JSONDecoder().decode(Manifest.self, from: data) else { return nil }
        return Set(manifest.inputs.map(\.sha256))
    }

    /// What a killed run left (only one run at a time holds the lock, so any
    /// that exist are stale). A report moved aside whose replacement never
    /// arrived is restored first; only then are staging and aside copies removed.
    static func removeLeftovers(of name: String, in parent: String) {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: parent) else { return }
        let target = (parent as NSString).appendingPathComponent(name)
        let asides = entries.filter { $0.hasPrefix(".\(name).old-") }.sorted()
        if !FileAccess.exists(target), let aside = asides.last {
            _ = rename((parent as NSString).appendingPathComponent(aside), target)
        }
        for entry in entries where entry.hasPrefix(".\(name).tmp-") || entry.hasPrefix(".\(name).old-") {
            let path = (parent as NSString).appendingPathComponent(entry)
            if FileAccess.exists(path) { try? FileManager.default.removeItem(atPath: path) }
        }
    }

    static func syncDirectory(_ path: String) {
        let descriptor = open(path, O_RDONLY | O_DIRECTORY)
        guard descriptor >= 0 else { return }
        fsync(descriptor)
        close(descriptor)
    }
}
