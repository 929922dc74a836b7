import Foundation

/// An exclusive, non-blocking lock on `<store>.lock`, so two runs never work
/// on one store at once. It is an `flock(2)` lock: the kernel releases it
/// when the holder exits, even on `kill -9`, so a crash never leaves a stale
/// lock behind. The file itself says who holds it, for the refused run's
/// error message. It is opened without following a symbolic link and must
/// be a regular file, so a planted link cannot make the run truncate another file.
public final class RunLock {
    public let path: String
    private let descriptor: Int32

    /// Takes the lock at once, or throws `PipelineError.lockHeld` naming the holder.
    public init(path: String, purpose: String, access: FileAccess = .ownerOnly) throws {
        self.path = path
        let created = open(path, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, access.fileMode)
        let descriptor = created >= 0 ? created : open(path, O_RDWR | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else {
            let why = errno == ELOOP ? "it is a symbolic link; remove it" : String(cString: strerror(errno))
            throw PipelineError.lockUnusable(lockPath: path, reason: why)
        }
        var status = stat()
        guard fstat(descriptor, &status) == 0, status.st_mode & S_IFMT == S_IFREG else {
            close(descriptor)
            throw PipelineError.lockUnusable(lockPath: path, reason: "it is not a regular file; remove it")
        }
        if created >= 0 {
            do { try access.secure(descriptor: descriptor, path: path) } catch {
                close(descriptor)
                throw error
            }
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let holder = RunLock.contents(of: descriptor)
            close(descriptor)
            throw PipelineError.lockHeld(lockPath: path, holder: holder)
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
