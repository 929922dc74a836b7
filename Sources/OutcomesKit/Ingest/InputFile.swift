#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A path to an export, kept as the bytes the file system uses, so that a
/// file named in another encoding (`scores_caf\xe9.csv`) is still found.
/// Messages show it with invalid bytes and control characters replaced.
public struct InputPath: Hashable, Sendable, CustomStringConvertible, ExpressibleByStringLiteral {
    /// The path's bytes, without a terminating NUL.
    public let bytes: [UInt8]

    public init(_ path: String) { bytes = Array(path.utf8) }
    public init(stringLiteral path: String) { self.init(path) }
    public init(bytes: [UInt8]) { self.bytes = bytes }

    /// The path for messages: printable whatever its bytes.
    public var description: String { TerminalText.safe(bytes: bytes) }

    /// The path as a Swift string when its bytes are UTF-8 (nil otherwise).
    public var string: String? { FieldRules.isUTF8(bytes) ? String(decoding: bytes, as: UTF8.self) : nil }

    /// The last component, as the store and `rejects.csv` name the file.
    public var baseName: String {
        let trimmed = bytes.last == UInt8(ascii: "/") ? Array(bytes.dropLast()) : bytes
        let name = trimmed.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false).last.map(Array.init) ?? trimmed
        return TerminalText.safe(bytes: name)
    }

    func withCString<T>(_ body: (UnsafePointer<CChar>) throws -> T) rethrows -> T {
        try (bytes + [0]).withUnsafeBufferPointer { buffer in
            try buffer.withMemoryRebound(to: CChar.self) { try body($0.baseAddress!) }
        }
    }
}

/// An export opened for reading. Only a regular file is opened: a FIFO, a
/// device or a socket could block a cron run for ever. The file's size and
/// modification time at opening are kept, so that a file that grows or is
/// rewritten while it is read can be refused (`confirmUnchanged`).
final class InputFile {
    let path: InputPath
    private let descriptor: Int32
    private let opened: stat

    /// Size in bytes when opened.
    var size: Int { Int(opened.st_size) }

    init(_ path: InputPath) throws(IngestError) {
        self.path = path
        var status = stat()
        guard path.withCString({ stat($0, &status) }) == 0 else { throw InputFile.openError(errno) }
        try InputFile.requireRegular(status)
        // O_NONBLOCK: should the path be swapped for a FIFO after the check,
        // opening it still returns at once (and fstat below refuses it).
        let descriptor = path.withCString { open($0, O_RDONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC) }
        guard descriptor >= 0 else { throw InputFile.openError(errno) }
        guard fstat(descriptor, &status) == 0 else {
            let code = errno
            close(descriptor)
            throw IngestError.unreadable(String(cString: strerror(code)))
        }
        do { try InputFile.requireRegular(status) } catch {
            close(descriptor)
            throw error
        }
        self.descriptor = descriptor
        opened = status
    }

    deinit { close(descriptor) }

    /// Reads up to `buffer.count` bytes; 0 at the end of the file.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(IngestError) -> Int {
        while true {
            let count = systemRead(descriptor, buffer.baseAddress, buffer.count)
            if count >= 0 { return count }
            if errno == EINTR { continue }
            throw IngestError.unreadable(String(cString: strerror(errno)))
        }
    }

    /// Refuses the file when the bytes read are not the file as it was
    /// opened: it grew, shrank or was rewritten while it was read.
    func confirmUnchanged(bytesRead: Int) throws(IngestError) {
        var now = stat()
        guard fstat(descriptor, &now) == 0 else { throw IngestError.unreadable(String(cString: strerror(errno))) }
        let same = bytesRead == size && now.st_size == opened.st_size && now.st_ino == opened.st_ino
            && now.st_mtim.tv_sec == opened.st_mtim.tv_sec && now.st_mtim.tv_nsec == opened.st_mtim.tv_nsec
        guard same else { throw IngestError.changedWhileRead }
    }

    private static func requireRegular(_ status: stat) throws(IngestError) {
        switch status.st_mode & S_IFMT {
        case S_IFREG: return
        case S_IFDIR: throw IngestError.isAFolder
        case S_IFIFO: throw IngestError.notARegularFile(kind: "a FIFO (named pipe)")
        case S_IFSOCK: throw IngestError.notARegularFile(kind: "a socket")
        case S_IFCHR, S_IFBLK: throw IngestError.notARegularFile(kind: "a device")
        default: throw IngestError.notARegularFile(kind: "not a regular file")
        }
    }

    private static func openError(_ code: Int32) -> IngestError {
        switch code {
        case ENOENT, ENOTDIR: return .noSuchFile
        case EACCES, EPERM: return .permissionDenied
        default: return .unreadable(String(cString: strerror(code)))
        }
    }
}

/// `read(2)`, named apart from the methods called `read`.
private func systemRead(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    read(descriptor, buffer, count)
}
