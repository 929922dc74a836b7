/// A pipeline file that cannot be used, or a run that cannot start. Each
/// case carries the facts (file, line, key); `description` words them.
public enum PipelineError: Error, Equatable, Sendable, CustomStringConvertible {
    case noSuchFile(String)
    case unreadable(String, String)
    case notUTF8(String)
    case empty(String)
    case notYAML(String, String)
    /// A value a person must fix, at `line` of `file`, under `key` (`report.min_cell`).
    case invalid(file: String, line: Int?, key: String, problem: String)
    /// Another run holds the lock.
    case lockHeld(lockPath: String, holder: String)
    /// The lock file cannot be created or used (a machine problem).
    case lockUnusable(lockPath: String, reason: String)

    public var description: String {
        switch self {
        case .noSuchFile(let path): return "\(path): no such file"
        case .unreadable(let path, let why): return "\(path): cannot read the pipeline file (\(why))"
        case .notUTF8(let path): return "\(path): not UTF-8"
        case .empty(let path): return "\(path): the pipeline file is empty"
        case .notYAML(let path, let detail): return "\(path): not valid YAML (\(detail))"
        case .invalid(let file, let line, let key, let problem):
            return "\(file)\(line.map { ", line \($0)" } ?? ""): \(key.isEmpty ? "" : "\(key): ")\(problem)"
        case .lockHeld(let lockPath, let holder):
            return "another run holds the lock \(lockPath)" + (holder.isEmpty ? "" : ": \(TerminalText.safe(holder))")
        case .lockUnusable(let lockPath, let reason): return "\(lockPath): cannot use the lock file (\(reason))"
        }
    }
}
