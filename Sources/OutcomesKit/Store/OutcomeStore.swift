import Foundation
import GRDB

/// The SQLite store: one file holding exactly the valid rows of every export
/// ingested, the rejects with their raw values, and a record of each file.
public final class OutcomeStore: @unchecked Sendable {
    /// How a command needs the store.
    public enum AccessMode: Sendable {
        /// Create the store when missing and bring its schema up to date (ingest).
        case create
        /// The store must exist; it is opened read-only (report, query, sql).
        case readOnly
    }

    public let path: String
    let queue: DatabaseQueue

    /// How long a writer waits for another writer before giving up.
    public static let busyTimeout: TimeInterval = 600

    public init(path: String, mode: AccessMode) throws {
        self.path = path
        let exists = FileManager.default.fileExists(atPath: path)
        if mode == .readOnly, !exists {
            throw StoreError("\(path): no store here; run `outcomes ingest --db \(path) FILE...` first")
        }
        var configuration = Configuration()
        configuration.readonly = mode == .readOnly
        configuration.busyMode = .timeout(OutcomeStore.busyTimeout)
        configuration.journalMode = mode == .readOnly ? .default : .wal
        // Rows are written only by this tool, parents first; checking each
        // reference on every insert would double the cost of an ingest.
        // `outcomes doctor` runs PRAGMA foreign_key_check instead.
        configuration.foreignKeysEnabled = false
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA cache_size = -65536")
            // Reports and queries read through a memory map: no copy from the
            // kernel per page. (Not for writers: mapped pages would count in an
            // ingest's memory, which must stay flat.)
            if db.configuration.readonly { try db.execute(sql: "PRAGMA mmap_size = 1073741824") }
            if !db.configuration.readonly { try db.execute(sql: "PRAGMA synchronous = NORMAL") }
        }
        do {
            // Look before writing: opening for writing switches the file to WAL,
            // which would change another application's database before the
            // identity check could refuse it.
            if exists, mode == .create {
                var look = Configuration()
                look.readonly = true
                try DatabaseQueue(path: path, configuration: look).inDatabase { db in
                    try OutcomeStore.checkIdentity(db, path: path, mode: mode)
                }
            }
            queue = try DatabaseQueue(path: path, configuration: configuration)
            try queue.inDatabase { db in try OutcomeStore.checkIdentity(db, path: path, mode: mode) }
            if mode == .create {
                try queue.write { db in
                    try db.execute(sql: "PRAGMA application_id = \(StoreSchema.applicationID)")
                }
                try StoreSchema.migrator.migrate(queue)
            }
        } catch let error as StoreError {
            throw error
        } catch let error as DatabaseError {
            throw StoreError("\(path): \(OutcomeStore.explain(error))")
        }
    }

    /// Refuses a file that is not an outcomes store (another application's
    /// database, a corrupt file, or a store from a newer version of the tool).
    private static func checkIdentity(_ db: Database, path: String, mode: AccessMode) throws {
        let applicationID = try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0
        let tableCount = try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master") ?? 0
        let isEmpty = tableCount == 0 && applicationID == 0
        if isEmpty {
            if mode == .readOnly { throw StoreError("\(path): the store is empty; ingest files first") }
            return
        }
        guard applicationID == StoreSchema.applicationID else {
            throw StoreError("\(path): this SQLite file is not an outcomes store; refusing to touch it")
        }
        if try StoreSchema.migrator.hasBeenSuperseded(db) {
            throw StoreError("\(path): the store was written by a newer version of outcomes")
        }
        if mode == .readOnly, try !StoreSchema.migrator.hasCompletedMigrations(db) {
            throw StoreError("\(path): the store's schema is out of date; run `outcomes ingest` to upgrade it")
        }
    }

    /// Copies the write-ahead log into the store file and truncates it, after a
    /// command's ingests: later reads find every page in the store file, and
    /// the log gives its disk space back.
    public func checkpoint() throws {
        try wrapped { try queue.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") } }
    }

    /// Reads the store.
    public func read<T>(_ body: (Database) throws -> T) throws -> T {
        try wrapped { try queue.inDatabase(body) }
    }

    /// Runs `body` in one IMMEDIATE transaction: it waits for any other
    /// writer, then either all of it is stored or none of it.
    func writeTransaction<T>(_ body: (Database) throws -> T) throws -> T {
        try wrapped {
            try queue.inDatabase { db in
                var result: T?
                try db.inTransaction(.immediate) {
                    result = try body(db)
                    return .commit
                }
                return result!
            }
        }
    }

    private func wrapped<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as DatabaseError {
            throw StoreError("\(path): \(OutcomeStore.explain(error))")
        }
    }

    private static func explain(_ error: DatabaseError) -> String {
        switch error.resultCode {
        case .SQLITE_NOTADB: return "not an SQLite database, or the file is corrupt"
        case .SQLITE_CORRUPT: return "the store is corrupt (\(error.message ?? "")); run `outcomes doctor`"
        case .SQLITE_BUSY: return "the store is busy with another writer; try again later"
        case .SQLITE_FULL: return "the disk is full"
        case .SQLITE_READONLY: return "the store is read-only"
        case .SQLITE_CANTOPEN: return "cannot open the store (missing folder or no permission)"
        default: return error.message ?? "\(error)"
        }
    }
}
