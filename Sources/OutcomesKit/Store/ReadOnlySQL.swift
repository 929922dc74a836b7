import Foundation
import GRDBSQLite

/// The result of a read-only SQL statement.
public struct SQLResult: Sendable, Equatable {
    public let columns: [String]
    /// Values as text; nil for NULL.
    public let rows: [[String?]]
}

/// `outcomes sql`: one read-only statement against the store, on a connection
/// of its own that cannot change anything, four times over:
/// 1. the file is opened read-only (`SQLITE_OPEN_READONLY`), and only when it
///    is an outcomes store of the current schema;
/// 2. `PRAGMA query_only` is on;
/// 3. an authorizer allows only reading (SELECT, reads, recursive queries,
///    pragmas that do not change the connection's safety) and only the
///    functions a reader needs (`allowedFunctions`);
/// 4. a statement SQLite does not call read-only is refused before it runs.
///
/// A statement that runs longer than its time limit is interrupted, so a
/// runaway query never holds a snapshot that stalls the monthly run.
public enum ReadOnlySQL {
    public static func run(path: String, sql: String, maxRows: Int = 1_000_000, timeout: Double = 30) throws -> SQLResult {
        guard FileAccess.exists(path) else { throw StoreError.missing(path: path) }
        var connection: OpaquePointer?
        guard sqlite3_open_v2(path, &connection, SQLITE_OPEN_READONLY, nil) == SQLITE_OK, let connection else {
            sqlite3_close(connection)
            throw StoreError.cannotOpen(path: path)
        }
        defer { sqlite3_close(connection) }
        sqlite3_busy_timeout(connection, 5000)
        try checkIdentity(connection, path: path)
        guard sqlite3_exec(connection, "PRAGMA query_only = 1", nil, nil, nil) == SQLITE_OK else {
            throw StoreError.database("\(path): \(String(cString: sqlite3_errmsg(connection)))")
        }
        let denied = DeniedFunction()
        sqlite3_set_authorizer(connection, readOnlyAuthorizer, Unmanaged.passUnretained(denied).toOpaque())

        var statement: OpaquePointer?
        var tail: UnsafePointer<CChar>?
        let code = sql.withCString { sqlite3_prepare_v2(connection, $0, -1, &statement, &tail) }
        defer { sqlite3_finalize(statement) }
        guard code == SQLITE_OK else {
            let message = String(cString: sqlite3_errmsg(connection))
            if let name = denied.name { throw StoreError.statement(.functionNotAllowed(name)) }
            if code == SQLITE_AUTH || message.contains("not authorized") { throw StoreError.statement(.wouldWrite) }
            throw StoreError.statement(.invalid(message))
        }
        guard let statement else { throw StoreError.statement(.noStatement) }
        if let tail, !String(cString: tail).allSatisfy({ $0.isWhitespace || $0 == ";" }) {
            throw StoreError.statement(.severalStatements)
        }
        guard sqlite3_stmt_readonly(statement) != 0 else { throw StoreError.statement(.wouldWrite) }

        // The time limit: SQLite calls the handler every 1,000 virtual-machine
        // steps, and a non-zero answer interrupts the statement.
        let deadline = UnsafeMutablePointer<Double>.allocate(capacity: 1)
        deadline.initialize(to: Date().timeIntervalSince1970 + timeout)
        defer { deadline.deallocate() }
        sqlite3_progress_handler(connection, 1000, pastDeadline, deadline)

        let count = sqlite3_column_count(statement)
        let columns = (0..<count).map { String(cString: sqlite3_column_name(statement, $0)) }
        var rows: [[String?]] = []
        while true {
            let step = sqlite3_step(statement)
            if step == SQLITE_DONE { break }
            if step == SQLITE_INTERRUPT { throw StoreError.statement(.timedOut(seconds: timeout)) }
            guard step == SQLITE_ROW else { throw StoreError.statement(.failed(String(cString: sqlite3_errmsg(connection)))) }
            guard rows.count < maxRows else { throw StoreError.statement(.tooManyRows(limit: maxRows)) }
            rows.append((0..<count).map { value(statement, $0) })
        }
        return SQLResult(columns: columns, rows: rows)
    }

    /// Refuses any file but an outcomes store of the current schema, before a
    /// statement sees it.
    private static func checkIdentity(_ connection: OpaquePointer, path: String) throws {
        func integer(_ sql: String) throws -> Int64 {
            var statement: OpaquePointer?
            defer { sqlite3_finalize(statement) }
            guard sqlite3_prepare_v2(connection, sql, -1, &statement, nil) == SQLITE_OK else {
                let code = sqlite3_errcode(connection)
                if code == SQLITE_NOTADB { throw StoreError.notADatabase(path: path) }
                throw StoreError.database("\(path): \(String(cString: sqlite3_errmsg(connection)))")
            }
            switch sqlite3_step(statement) {
            case SQLITE_ROW: return sqlite3_column_int64(statement, 0)
            case SQLITE_NOTADB: throw StoreError.notADatabase(path: path)
            case SQLITE_CORRUPT: throw StoreError.corrupt(path: path, detail: String(cString: sqlite3_errmsg(connection)))
            default: throw StoreError.database("\(path): \(String(cString: sqlite3_errmsg(connection)))")
            }
        }
        let applicationID = try integer("PRAGMA application_id")
        if applicationID == 0, try integer("SELECT count(*) FROM sqlite_master") == 0 { throw StoreError.empty(path: path) }
        guard applicationID == Int64(StoreSchema.applicationID) else { throw StoreError.foreign(path: path) }
        let applied = try integer("SELECT count(*) FROM grdb_migrations")
        let known = Int64(StoreSchema.migrator.migrations.count)
        if applied > known { throw StoreError.newerVersion(path: path) }
        if applied < known { throw StoreError.outdated(path: path) }
    }

    private static func value(_ statement: OpaquePointer, _ column: Int32) -> String? {
        switch sqlite3_column_type(statement, column) {
        case SQLITE_NULL: return nil
        case SQLITE_INTEGER: return String(sqlite3_column_int64(statement, column))
        case SQLITE_FLOAT: return String(sqlite3_column_double(statement, column))
        case SQLITE_BLOB:
            let count = Int(sqlite3_column_bytes(statement, column))
            guard let bytes = sqlite3_column_blob(statement, column) else { return "x''" }
            let buffer = UnsafeRawBufferPointer(start: bytes, count: count)
            // Rejects keep raw records as blobs: show them as text when they are text.
            if FieldRules.isUTF8(buffer) { return String(decoding: buffer, as: UTF8.self) }
            return "x'" + Digest.hex(buffer) + "'"
        default:
            guard let text = sqlite3_column_text(statement, column) else { return "" }
            return String(decoding: UnsafeBufferPointer(start: text, count: Int(sqlite3_column_bytes(statement, column))), as: UTF8.self)
        }
    }

    /// Functions a reader needs: SQLite's core scalar, aggregate, window,
    /// date and math functions, and the JSON readers. Everything else is
    /// refused, among them `load_extension`, `fts3_tokenizer` (which returns
    /// a pointer into the library), `readfile`/`writefile` and `edit`.
    public static let allowedFunctions: Set<String> = [
        // core scalar
        "abs", "char", "coalesce", "concat", "concat_ws", "format", "glob", "hex", "ifnull", "iif", "instr", "length",
        "like", "likelihood", "likely", "lower", "ltrim", "max", "min", "nullif", "octet_length", "printf", "quote",
        "replace", "round", "rtrim", "sign", "soundex", "substr", "substring", "trim", "typeof", "unhex", "unicode",
        "unlikely", "upper", "sqlite_version",
        // date and time
        "date", "time", "datetime", "julianday", "unixepoch", "strftime", "timediff", "current_date", "current_time",
        "current_timestamp",
        // aggregate
        "avg", "count", "group_concat", "string_agg", "sum", "total",
        // window
        "row_number", "rank", "dense_rank", "percent_rank", "cume_dist", "ntile", "lag", "lead", "first_value",
        "last_value", "nth_value",
        // math
        "acos", "acosh", "asin", "asinh", "atan", "atan2", "atanh", "ceil", "ceiling", "cos", "cosh", "degrees", "exp",
        "floor", "ln", "log", "log10", "log2", "mod", "pi", "pow", "power", "radians", "sin", "sinh", "sqrt", "tan",
        "tanh", "trunc",
        // JSON, read-only
        "json", "json_array", "json_array_length", "json_extract", "json_object", "json_quote", "json_type",
        "json_valid", "json_each", "json_tree", "json_group_array", "json_group_object",
    ]
}

/// The function the authorizer refused, for the message (the authorizer's context).
private final class DeniedFunction {
    var name: String?
}

/// Interrupts the statement once the deadline (seconds since 1970) has passed.
private let pastDeadline: @convention(c) (UnsafeMutableRawPointer?) -> Int32 = { context in
    guard let deadline = context?.assumingMemoryBound(to: Double.self).pointee else { return 0 }
    return Date().timeIntervalSince1970 > deadline ? 1 : 0
}

/// Pragmas that take an argument only to describe something (`PRAGMA table_info(t)`).
private let introspectionPragmas: Set<String> = ["table_info", "table_xinfo", "index_list", "index_info", "index_xinfo",
                                                 "foreign_key_list", "foreign_key_check", "integrity_check", "quick_check",
                                                 "table_list"]
/// Pragmas that act even without an argument.
private let actingPragmas: Set<String> = ["wal_checkpoint", "incremental_vacuum", "optimize", "shrink_memory"]

/// Allows only what reads: SELECT, reading columns, the allowed functions,
/// recursive CTEs, and pragmas that only read (`PRAGMA user_version`,
/// `PRAGMA table_info(t)`). Setting a pragma (`PRAGMA query_only = 0`),
/// writes, ATTACH, DETACH, transactions and schema changes are denied.
private let readOnlyAuthorizer: @convention(c) (UnsafeMutableRawPointer?, Int32, UnsafePointer<CChar>?,
                                                UnsafePointer<CChar>?, UnsafePointer<CChar>?, UnsafePointer<CChar>?) -> Int32 = {
    context, action, first, second, _, _ in
    switch action {
    case SQLITE_SELECT, SQLITE_READ, SQLITE_RECURSIVE:
        return SQLITE_OK
    case SQLITE_FUNCTION:
        guard let second else { return SQLITE_DENY }
        let name = String(cString: second).lowercased()
        if ReadOnlySQL.allowedFunctions.contains(name) { return SQLITE_OK }
        context.map { Unmanaged<DeniedFunction>.fromOpaque($0).takeUnretainedValue().name = name }
        return SQLITE_DENY
    case SQLITE_PRAGMA:
        guard let first else { return SQLITE_DENY }
        let name = String(cString: first).lowercased()
        if actingPragmas.contains(name) { return SQLITE_DENY }
        return second == nil || introspectionPragmas.contains(name) ? SQLITE_OK : SQLITE_DENY
    default:
        return SQLITE_DENY
    }
}
