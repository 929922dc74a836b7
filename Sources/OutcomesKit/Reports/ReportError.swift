/// A report that could not be written. Each case carries the path and the
/// operating system's reason.
public enum ReportError: Error, Equatable, Sendable, CustomStringConvertible {
    case cannotCreateFolder(String, String)
    /// The folder is read-only, not ours, or the disk is full.
    case cannotWriteHere(String)
    case cannotWrite(String, String)
    case cannotReplace(String, String)
    /// A report option outside its range (set through the library, not a pipeline file, which is checked on loading).
    case invalidOption(String)

    public var description: String {
        switch self {
        case .cannotCreateFolder(let path, let why): return "\(path): cannot create the report folder (\(why))"
        case .cannotWriteHere(let folder): return "\(folder): cannot write here (read-only folder, no permission, or disk full)"
        case .cannotWrite(let path, let why): return "\(path): cannot write (\(why))"
        case .cannotReplace(let path, let why): return "\(path): cannot replace (\(why))"
        case .invalidOption(let problem): return "report option: \(problem)"
        }
    }
}
