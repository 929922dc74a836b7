/// A store that cannot be opened, read or written as expected, or a
/// statement given to `outcomes sql` that cannot run. Each case carries the
/// facts; `description` words them in one place.
public enum StoreError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No store at the path.
    case missing(path: String)
    /// The file exists but holds no store yet.
    case empty(path: String)
    /// Another application's SQLite file: never touched.
    case foreign(path: String)
    case newerVersion(path: String)
    /// An older schema: the commands that read refuse it; `upgrade` and `ingest` upgrade it.
    case outdated(path: String)
    case notADatabase(path: String)
    case corrupt(path: String, detail: String)
    /// Another writer held the store past the busy timeout.
    case busy(path: String)
    case diskFull(path: String)
    case readOnly(path: String)
    /// A missing folder or no permission.
    case cannotOpen(path: String)
    /// Any other error SQLite reported.
    case database(String)
    /// The store holds something the tool never writes (a bug or tampering).
    case inconsistent(String)
    /// A statement given to `outcomes sql` that cannot run.
    case statement(StatementProblem)

    public var description: String {
        switch self {
        case .missing(let path): return "\(path): no store here; run `outcomes ingest --db \(path) FILE...` first"
        case .empty(let path): return "\(path): the store is empty; ingest files first"
        case .foreign(let path): return "\(path): this SQLite file is not an outcomes store; refusing to touch it"
        case .newerVersion(let path): return "\(path): the store was written by a newer version of outcomes"
        case .outdated(let path): return "\(path): the store's schema is out of date; run `outcomes upgrade --db \(path)` (an ingest upgrades it too)"
        case .notADatabase(let path): return "\(path): not an SQLite database, or the file is corrupt"
        case .corrupt(let path, let detail): return "\(path): the store is corrupt (\(detail)); run `outcomes doctor`"
        case .busy(let path): return "\(path): the store is busy with another writer; try again later"
        case .diskFull(let path): return "\(path): the disk is full"
        case .readOnly(let path): return "\(path): the store is read-only"
        case .cannotOpen(let path): return "\(path): cannot open the store (missing folder or no permission)"
        case .database(let message): return message
        case .inconsistent(let detail): return "the store is inconsistent: \(detail); run `outcomes doctor`"
        case .statement(let problem): return problem.description
        }
    }
}

/// Why `outcomes sql` did not run a statement.
public enum StatementProblem: Equatable, Sendable, CustomStringConvertible {
    /// SQLite could not prepare it (a syntax error, an unknown table).
    case invalid(String)
    /// It would change the store or the connection.
    case wouldWrite
    /// It calls a function a reader has no need of.
    case functionNotAllowed(String)
    case severalStatements
    case noStatement
    case tooManyRows(limit: Int)
    case timedOut(seconds: Double)
    /// SQLite failed while running it.
    case failed(String)

    public var description: String {
        switch self {
        case .invalid(let message): return "SQL error: \(message)"
        case .wouldWrite: return "outcomes sql is read-only: this statement would change the store or the connection, and is refused"
        case .functionNotAllowed(let name): return "outcomes sql does not allow the function \(name)()"
        case .severalStatements: return "SQL error: give one statement at a time"
        case .noStatement: return "SQL error: the text holds no statement"
        case .tooManyRows(let limit): return "more than \(limit) rows; add a LIMIT"
        case .timedOut(let seconds): return "the statement ran longer than \(NumberFormat.fixed(seconds, decimals: 0)) s and was stopped (--timeout)"
        case .failed(let message): return "SQL error: \(message)"
        }
    }
}
