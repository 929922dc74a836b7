import Foundation

/// Another run holds the lock.
public struct LockHeldError: Error, CustomStringConvertible {
    public let lockPath: String
    /// What the holder wrote into the lock file (process id, host, start time, pipeline).
    public let holder: String

    public var description: String {
        "another run holds the lock \(lockPath)" + (holder.isEmpty ? "" : ": \(holder)")
    }
}

/// An exclusive, non-blocking lock on `<store>.lock`, so two runs never work
/// on one store at once. It is an `flock(2)` lock: the kernel releases it
/// when the holder exits, even on `kill -9`, so a crash never leaves a stale
/// lock behind. The file itself says who holds it, for the refused run's
/// error message.
public final class RunLock {
    public let path: String
    private let descriptor: Int32

    /// Takes the lock at once or throws `LockHeldError` naming the holder.
    public init(path: String, purpose: String) throws {
        self.path = path
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw OutputError("\(path): cannot create the lock file (\(String(cString: strerror(errno))))")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let holder = RunLock.contents(of: descriptor)
            close(descriptor)
            throw LockHeldError(lockPath: path, holder: holder)
        }
        self.descriptor = descriptor
        var host = [CChar](repeating: 0, count: 256)
        gethostname(&host, host.count)
        let hostName = String(decoding: host.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let note = "pid \(getpid()) on \(hostName) since \(Date().ISO8601Format()) (\(purpose))\n"
        ftruncate(descriptor, 0)
        _ = note.withCString { pwrite(descriptor, $0, strlen($0), 0) }
    }

    deinit {
        ftruncate(descriptor, 0)
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }

    private static func contents(of descriptor: Int32) -> String {
        var buffer = [UInt8](repeating: 0, count: 512)
        let count = pread(descriptor, &buffer, buffer.count, 0)
        guard count > 0 else { return "" }
        return String(decoding: buffer[0..<count], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
