import GRDB
import GRDBSQLite

/// A prepared statement driven through the SQLite C API, for the hot paths
/// (ingest inserts, loading millions of events), where going through
/// GRDB's `StatementArguments` per row would cost more than the insert.
///
/// It lives inside one GRDB access block (`db`) and is finalized with it.
final class SQLiteStatement {
    private let handle: OpaquePointer
    private let connection: OpaquePointer

    init(_ db: Database, _ sql: String) throws {
        guard let connection = db.sqliteConnection else { throw StoreError.database("the store connection is closed") }
        var statement: OpaquePointer?
        let code = sqlite3_prepare_v3(connection, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
        guard code == SQLITE_OK, let statement else {
            throw StoreError.database("cannot prepare SQL: \(String(cString: sqlite3_errmsg(connection)))")
        }
        self.handle = statement
        self.connection = connection
    }

    deinit { sqlite3_finalize(handle) }

    func bind(_ index: Int32, _ value: Int64) { sqlite3_bind_int64(handle, index, value) }
    func bind(_ index: Int32, _ value: Int) { sqlite3_bind_int64(handle, index, Int64(value)) }
    func bindNull(_ index: Int32) { sqlite3_bind_null(handle, index) }

    /// Binds a C string that outlives every step of this statement (the
    /// ingest writer's canonical ids, freed in its deinit, after its last
    /// step; finalizing never reads a binding). Not copied: this is the hot path.
    func bind(_ index: Int32, staticText text: UnsafePointer<CChar>) {
        sqlite3_bind_text(handle, index, text, -1, nil)
    }

    /// Binds bytes as text, copied by SQLite, so the binding never outlives
    /// the buffer it came from (SQLITE_TRANSIENT).
    func bind(_ index: Int32, copying bytes: UnsafeBufferPointer<UInt8>) {
        guard let base = bytes.baseAddress, !bytes.isEmpty else {
            sqlite3_bind_text(handle, index, "", 0, sqliteTransient)
            return
        }
        base.withMemoryRebound(to: CChar.self, capacity: bytes.count) { characters in
            _ = sqlite3_bind_text(handle, index, characters, Int32(bytes.count), sqliteTransient)
        }
    }

    /// Binds a Swift string (copied by SQLite).
    func bind(_ index: Int32, _ text: String) {
        sqlite3_bind_text(handle, index, text, -1, sqliteTransient)
    }

    /// Binds bytes as a BLOB (copied by SQLite).
    func bind(_ index: Int32, blob bytes: [UInt8]) {
        bytes.withUnsafeBytes { raw in
            _ = sqlite3_bind_blob(handle, index, raw.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!, Int32(raw.count), sqliteTransient)
        }
    }

    /// Runs one step: true when a row is available.
    @discardableResult
    func step() throws -> Bool {
        switch sqlite3_step(handle) {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default:
            let message = String(cString: sqlite3_errmsg(connection))
            sqlite3_reset(handle)
            throw StoreError.database(message)
        }
    }

    /// Resets the statement for the next row, clearing nothing it need not.
    func reset() { sqlite3_reset(handle) }

    /// Runs the statement to completion and resets it.
    func run() throws {
        defer { sqlite3_reset(handle) }
        while try step() {}
    }

    func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }
    func int(_ column: Int32) -> Int { Int(sqlite3_column_int64(handle, column)) }
    func isNull(_ column: Int32) -> Bool { sqlite3_column_type(handle, column) == SQLITE_NULL }

    func text(_ column: Int32) -> String {
        guard let pointer = sqlite3_column_text(handle, column) else { return "" }
        let count = Int(sqlite3_column_bytes(handle, column))
        return String(decoding: UnsafeBufferPointer(start: pointer, count: count), as: UTF8.self)
    }

    /// The bytes of a text column, valid until the next step or reset.
    func textBytes(_ column: Int32) -> UnsafeBufferPointer<UInt8> {
        let pointer = sqlite3_column_text(handle, column)
        return UnsafeBufferPointer(start: pointer, count: Int(sqlite3_column_bytes(handle, column)))
    }

    /// Reads a BLOB column's bytes, valid only inside `body`.
    func blob<T>(_ column: Int32, _ body: (UnsafeRawBufferPointer) throws -> T) rethrows -> T {
        let pointer = sqlite3_column_blob(handle, column)
        return try body(UnsafeRawBufferPointer(start: pointer, count: Int(sqlite3_column_bytes(handle, column))))
    }

    /// Rows changed by the last statement on this connection.
    var changes: Int { Int(sqlite3_changes(connection)) }
    var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(connection) }
}

/// `SQLITE_TRANSIENT`: SQLite copies the bound value.
private let sqliteTransient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)
