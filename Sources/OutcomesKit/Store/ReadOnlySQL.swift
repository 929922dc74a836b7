import GRDBSQLite

/// The result of a read-only SQL statement.
public struct SQLResult: Sendable, Equatable {
    public let columns: [String]
    /// Values as text; nil for NULL.
    public let rows: [[String?]]
}

/// `outcomes sql`: one read-only statement against the store, on a connection
/// of its own that cannot change anything, four times over:
/// 1. the file is opened read-only (`SQLITE_OPEN_READONLY`);
/// 2. `PRAGMA query_only` is on;
/// 3. an authorizer allows only reading (SELECT, reads, functions, recursive
///    queries, and pragmas that do not change the connection's safety);
/// 4. a statement SQLite does not call read-only is refused before it runs.
public enum ReadOnlySQL {
    public static func run(path: String, sql: String, maxRows: Int = 1_000_000) throws -> SQLResult {
        var connection: OpaquePointer?
        guard sqlite3_open_v2(path, &connection, SQLITE_OPEN_READONLY, nil) == SQLITE_OK, let connection else {
            let message = connection.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open"
            sqlite3_close(connection)
            throw StoreError("\(path): \(message)")
        }
        defer { sqlite3_close(connection) }
        sqlite3_busy_timeout(connection, 5000)
        guard sqlite3_exec(connection, "PRAGMA query_only = 1", nil, nil, nil) == SQLITE_OK else {
            throw StoreError("\(path): \(String(cString: sqlite3_errmsg(connection)))")
        }
        sqlite3_set_authorizer(connection, readOnlyAuthorizer, nil)

        var statement: OpaquePointer?
        var tail: UnsafePointer<CChar>?
        let code = sql.withCString { sqlite3_prepare_v2(connection, $0, -1, &statement, &tail) }
        defer { sqlite3_finalize(statement) }
        guard code == SQLITE_OK else {
            let message = String(cString: sqlite3_errmsg(connection))
            if code == SQLITE_AUTH || message.contains("not authorized") {
                throw StoreError("outcomes sql is read-only: this statement would change the store or the connection, and is refused")
            }
            throw StoreError("SQL error: \(message)")
        }
        guard let statement else { throw StoreError("SQL error: the text holds no statement") }
        if let tail, !String(cString: tail).allSatisfy({ $0.isWhitespace || $0 == ";" }) {
            throw StoreError("SQL error: give one statement at a time")
        }
        guard sqlite3_stmt_readonly(statement) != 0 else {
            throw StoreError("outcomes sql is read-only: this statement would change the store, and is refused")
        }

        let count = sqlite3_column_count(statement)
        let columns = (0..<count).map { String(cString: sqlite3_column_name(statement, $0)) }
        var rows: [[String?]] = []
        while true {
            let step = sqlite3_step(statement)
            if step == SQLITE_DONE { break }
            guard step == SQLITE_ROW else { throw StoreError("SQL error: \(String(cString: sqlite3_errmsg(connection)))") }
            guard rows.count < maxRows else { throw StoreError("more than \(maxRows) rows; add a LIMIT") }
            rows.append((0..<count).map { value(statement, $0) })
        }
        return SQLResult(columns: columns, rows: rows)
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
            return "x'" + buffer.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined() + "'"
        default:
            guard let text = sqlite3_column_text(statement, column) else { return "" }
            return String(decoding: UnsafeBufferPointer(start: text, count: Int(sqlite3_column_bytes(statement, column))), as: UTF8.self)
        }
    }
}

/// Pragmas that take an argument only to describe something (`PRAGMA table_info(t)`).
private let introspectionPragmas: Set<String> = ["table_info", "table_xinfo", "index_list", "index_info", "index_xinfo",
                                                 "foreign_key_list", "foreign_key_check", "integrity_check", "quick_check",
                                                 "table_list"]
/// Pragmas that act even without an argument.
private let actingPragmas: Set<String> = ["wal_checkpoint", "incremental_vacuum", "optimize", "shrink_memory"]

/// Allows only what reads: SELECT, reading columns, functions, recursive
/// CTEs, and pragmas that only read (`PRAGMA user_version`, `PRAGMA
/// table_info(t)`). Setting a pragma (`PRAGMA query_only = 0`), writes,
/// ATTACH, DETACH, transactions and schema changes are denied.
private let readOnlyAuthorizer: @convention(c) (UnsafeMutableRawPointer?, Int32, UnsafePointer<CChar>?,
                                                UnsafePointer<CChar>?, UnsafePointer<CChar>?, UnsafePointer<CChar>?) -> Int32 = {
    _, action, first, second, _, _ in
    switch action {
    case SQLITE_SELECT, SQLITE_READ, SQLITE_FUNCTION, SQLITE_RECURSIVE:
        return SQLITE_OK
    case SQLITE_PRAGMA:
        guard let first else { return SQLITE_DENY }
        let name = String(cString: first).lowercased()
        if actingPragmas.contains(name) { return SQLITE_DENY }
        return second == nil || introspectionPragmas.contains(name) ? SQLITE_OK : SQLITE_DENY
    default:
        return SQLITE_DENY
    }
}
