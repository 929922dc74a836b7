import Foundation

/// A report's files, by name, before they are written.
public struct ReportFiles: Sendable {
    /// File name (relative to the report folder) → contents, in writing order.
    public var files: [(name: String, contents: String)]

    public init(files: [(name: String, contents: String)] = []) { self.files = files }

    public subscript(name: String) -> String? { files.first { $0.name == name }?.contents }
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
        for (name, contents) in report.files {
            let target = (folder as NSString).appendingPathComponent(name)
            try manager.createDirectory(atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try writeAtomically(Data(contents.utf8), to: target)
        }
    }

    /// Writes `data` to a temporary file beside `path`, syncs it, renames it into place.
    public static func writeAtomically(_ data: Data, to path: String) throws {
        let directory = (path as NSString).deletingLastPathComponent
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
