import Foundation
import GRDB

/// The SQLite store: one file holding exactly the valid rows of every export
/// ingested, the rejects with their raw values, and a record of each file.
public final class OutcomeStore: @unchecked Sendable {
    /// How a command needs the store.
    public enum AccessMode: Sendable {
        /// Create the store when missing and bring its schema up to date (ingest).
        case create
        /// The store must exist; it is opened read-only (query, sql, status).
        case readOnly
        /// The store must exist, its schema current; it is opened for writing
        /// what the tool derives from its rows (course results kept between
        /// reports). When the file or its folder is not writable, it is opened
        /// read-only: results are then computed, not kept (report).
        case existing
        /// The store must exist; its schema is brought up to date, nothing
        /// else is written (`outcomes upgrade`).
        case upgrade

        /// Whether opening applies the migrations a store lacks (the other
        /// modes refuse an outdated store and name the command that upgrades it).
        var upgradesSchema: Bool { self == .create || self == .upgrade }
    }

    public let path: String
    let queue: DatabaseQueue
    /// Held while the schema is set up and during a first load; its
    /// descriptor is closed after the connection (`deinit`). Nil when
    /// opened read-only.
    private var setupLock: StoreSetupLock?
    /// The migrations this opening applied, oldest first: empty when the
    /// schema was already current, or when the mode does not upgrade.
    public private(set) var migrationsApplied: [String] = []
    /// Patients seen by this process's ingests, across their files.
    let patients = PatientCache()
    /// The time an ingest records (`IngestClock.now` unless a test or the worked example fixes it).
    public var clock: @Sendable () -> Date = IngestClock.now

    /// How long a writer waits for another writer before giving up.
    public static let busyTimeout: TimeInterval = 600

    /// Opens the store at `path` (`.create` creates it when missing; `.create`
    /// and `.upgrade` bring its schema up to date).
    /// A new store file, and its folder, get `access`'s modes whatever the
    /// umask; SQLite gives its -wal and -shm files the store file's mode.
    public init(path: String, mode: AccessMode, access: FileAccess = .ownerOnly) throws {
        self.path = path
        let exists = FileAccess.exists(path)
        if mode != .create, !exists { throw StoreError.missing(path: path) }
        // SQLite's log and index files are created beside the store.
        // The folder of a bare name is ".": with "" the check failed, and a store
        // given as `--db store.sqlite` was opened read-only and kept no results.
        let writable = Foundation.access(path, W_OK) == 0 && Foundation.access(FilePath.folder(of: path), W_OK) == 0
        let mode: AccessMode = mode == .existing ? (writable ? .existing : .readOnly) : mode
        var configuration = Configuration()
        configuration.readonly = mode == .readOnly
        configuration.busyMode = .timeout(OutcomeStore.busyTimeout)
        configuration.journalMode = mode == .readOnly ? .default : .wal
        // Rows are written only by this tool, parents first; checking each
        // reference on every insert would double the cost of an ingest.
        // `outcomes doctor` runs PRAGMA foreign_key_check instead.
        configuration.foreignKeysEnabled = false
        configuration.prepareDatabase { db in
            // Readers (reports, queries) scan tables once, in order: a small page
            // cache and no memory map (SQLite's default), since every mapped or
            // cached page counts in the process's memory. At 2.2M rows a report
            // peaked at 295 MB with a 1 GiB map and a 64 MiB cache, 255 MB
            // without the map, 202 MB with an 8 MiB cache as well, in the same
            // time (1.3–1.5 s).
            // An ingest's 64 MiB cache holds the B-trees it inserts into.
            // A report opens the store for writing only to keep course results,
            // a chunk at a time: it reads as a reader does.
            try db.execute(sql: db.configuration.readonly || mode == .existing ? "PRAGMA cache_size = -8192" : "PRAGMA cache_size = -65536")
            if !db.configuration.readonly {
                try db.execute(sql: "PRAGMA synchronous = NORMAL")
                // Temporary data (statement journals, sorts) stays SQLite's default,
                // a file past a small size: its size follows what a statement
                // changes, and a migration's DROP TABLE or an ingest's invalidation
                // change pages all over a table (held in memory, the v7 upgrade of
                // a 10M-row store peaked at 515 MB). The statements that run most,
                // the ingest's 64-row INSERTs and the invalidation's UPDATE, are
                // `OR FAIL` and keep no statement journal at all.
            }
        }
        do {
            if mode != .readOnly {
                // Two processes creating or upgrading one store take turns:
                // the second waits here, then finds the schema done.
                let setup = try StoreSetupLock(path: path, access: access)
                defer { setup.unlock() }
                setupLock = setup
                // A new store starts with a rollback journal, for its first load
                // (`firstLoad`), which switches it to the log.
                if setup.created { configuration.journalMode = .default }
                // Look before writing: opening for writing switches the file to
                // WAL, which would change another application's database before
                // the identity check could refuse it.
                if exists {
                    var look = Configuration()
                    look.readonly = true
                    look.busyMode = .timeout(OutcomeStore.busyTimeout)
                    try DatabaseQueue(path: path, configuration: look).inDatabase { db in
                        try OutcomeStore.checkIdentity(db, path: path, mode: mode)
                    }
                }
                queue = try DatabaseQueue(path: path, configuration: configuration)
                try queue.inDatabase { db in try OutcomeStore.checkIdentity(db, path: path, mode: mode) }
                if mode == .create {
                    try queue.write { db in try db.execute(sql: "PRAGMA application_id = \(StoreSchema.applicationID)") }
                }
                if mode.upgradesSchema {
                    let before = try queue.read { db in try StoreSchema.migrator.appliedIdentifiers(db) }
                    try StoreSchema.migrator.migrate(queue)
                    migrationsApplied = StoreSchema.migrator.migrations.filter { !before.contains($0) }
                }
            } else {
                queue = try DatabaseQueue(path: path, configuration: configuration)
                try queue.inDatabase { db in try OutcomeStore.checkIdentity(db, path: path, mode: mode) }
            }
        } catch let error as DatabaseError {
            throw OutcomeStore.storeError(error, path: path)
        }
    }

    deinit {
        // The setup lock's descriptor only once the connection is closed: closing
        // it earlier would drop SQLite's record locks (`StoreSetupLock`). Should the
        // connection not close, the descriptor stays open until the process ends.
        guard let setupLock else { return }
        do {
            try queue.close()
            setupLock.closeDescriptor()
        } catch {
            setupLock.leaveOpen()
        }
    }

    /// Refuses a file that is not an outcomes store (another application's
    /// database, a corrupt file, or a store from a newer version of the tool).
    private static func checkIdentity(_ db: Database, path: String, mode: AccessMode) throws {
        let applicationID = try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0
        let tableCount = try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master") ?? 0
        let isEmpty = tableCount == 0 && applicationID == 0
        if isEmpty {
            if mode != .create { throw StoreError.empty(path: path) }
            return
        }
        guard applicationID == StoreSchema.applicationID else { throw StoreError.foreign(path: path) }
        if try StoreSchema.migrator.hasBeenSuperseded(db) { throw StoreError.newerVersion(path: path) }
        // Only an ingest or `outcomes upgrade` upgrades a store; other commands ask for one.
        if !mode.upgradesSchema, try !StoreSchema.migrator.hasCompletedMigrations(db) { throw StoreError.outdated(path: path) }
    }

    /// Copies the write-ahead log into the store file and truncates it, after a
    /// command's ingests, so later reads find every page in the store file and
    /// the log gives its disk space back. PASSIVE first, which never waits on
    /// readers; the log is truncated only when no reader holds an older
    /// snapshot, so a long `outcomes sql` never stalls a writer here.
    public func checkpoint() throws {
        try wrapped {
            try queue.writeWithoutTransaction { db in
                let row = try Row.fetchOne(db, sql: "PRAGMA wal_checkpoint(PASSIVE)")
                let busy: Int = row?[0] ?? 1, logged: Int = row?[1] ?? -1, done: Int = row?[2] ?? -2
                if busy == 0, logged == done {
                    // Every frame is in the store: truncating now cannot wait on a reader.
                    try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)")
                }
            }
        }
    }

    /// Runs `body`, a first ingest into a store this process created, with a
    /// rollback journal on disk rather than the write-ahead log, and switches
    /// the store to the log after it. A first ingest writes every page of the
    /// store; through the log each page is written twice (the log, then the
    /// checkpoint into the store), while a rollback journal keeps only the
    /// pages that existed before each file's transaction, which for a new
    /// store are few. Each file still commits or rolls back whole, and a
    /// process killed mid-file leaves a hot journal that SQLite rolls back
    /// on the next open (`synchronous = FULL` while it lasts, so that holds
    /// on power loss too). At 2M rows: 79 MB written instead of 154 MB,
    /// ingest 2.59–3.32 s instead of 3.11–3.43 s (the two builds in turn).
    ///
    /// A new store is created in that mode (`init`), and only ever switched
    /// from it to the log, never back: leaving the log with another
    /// connection open is not safe. The setup lock is held throughout, so an
    /// ingest or report of another process waits to open the store until the
    /// first load has ended (rollback-journal locking would refuse its
    /// writes as busy). One that opened it first has switched it to the log
    /// already, and this load then goes through the log as any other.
    func firstLoad<T>(_ body: () throws -> T) throws -> T {
        guard setupLock?.created ?? false, !isReadOnly else { return try body() }
        setupLock?.lock()
        defer { setupLock?.unlock() }
        guard try read({ db in
            try String.fetchOne(db, sql: "PRAGMA journal_mode") == "delete"
                && (try Bool.fetchOne(db, sql: "SELECT NOT EXISTS (SELECT 1 FROM files)") ?? false)
        }) else { return try body() }
        try wrapped { try queue.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL") } }
        defer {
            // To the log; should that fail, the next open sets it (`Configuration.journalMode`).
            try? queue.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA synchronous = NORMAL")
                try db.execute(sql: "PRAGMA journal_mode = WAL")
                // A read opens the new log: before one, a checkpoint on this
                // connection failed with SQLITE_LOCKED (SQLite 3.40).
                _ = try Int.fetchAll(db, sql: "SELECT count(*) FROM sqlite_master")
            }
        }
        return try body()
    }

    /// Whether the store was opened read-only (then course results are
    /// computed but not kept).
    public var isReadOnly: Bool { queue.configuration.readonly }

    /// Reads the store.
    public func read<T>(_ body: (Database) throws -> T) throws -> T {
        try read(on: queue, body)
    }

    /// Reads the store on `connection` (`secondConnection`).
    func read<T>(on connection: DatabaseQueue, _ body: (Database) throws -> T) throws -> T {
        try wrapped { try connection.inDatabase(body) }
    }

    /// A second connection to the store, set up as this one is, for a thread
    /// that reads or writes while this connection is in use (WAL lets one
    /// writer and any readers run at once; one connection takes turns).
    func secondConnection() throws -> DatabaseQueue {
        try wrapped { try DatabaseQueue(path: path, configuration: queue.configuration) }
    }

    /// Runs `body` in one IMMEDIATE transaction, on `connection` (this
    /// store's own by default): it waits for any other writer, then either
    /// all of it is stored or none of it.
    func writeTransaction<T>(on connection: DatabaseQueue? = nil, _ body: (Database) throws -> T) throws -> T {
        try wrapped {
            try (connection ?? queue).inDatabase { db in
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
            throw OutcomeStore.storeError(error, path: path)
        }
    }

    static func storeError(_ error: DatabaseError, path: String) -> StoreError {
        switch error.resultCode {
        case .SQLITE_NOTADB: return .notADatabase(path: path)
        case .SQLITE_CORRUPT: return .corrupt(path: path, detail: error.message ?? "")
        case .SQLITE_BUSY: return .busy(path: path)
        case .SQLITE_FULL: return .diskFull(path: path)
        case .SQLITE_READONLY: return .readOnly(path: path)
        case .SQLITE_CANTOPEN: return .cannotOpen(path: path)
        default: return .database("\(path): \(error.message ?? "\(error)")")
        }
    }
}

/// Serializes creating and migrating a store (and a new store's first
/// load): an exclusive `flock` on the store file itself, held only while
/// the schema is set up. SQLite's own locks are POSIX record locks, which
/// `flock` does not touch on Linux, so readers and the ingests' transactions
/// are never blocked by it. A new store file is created here with the
/// right mode.
///
/// The descriptor stays open as long as the store's connection: POSIX
/// record locks belong to the process, and closing any descriptor of the
/// file drops them all, SQLite's included (in WAL mode a connection holds a
/// read lock on the file for as long as it is open; without it, another
/// process closing its last connection takes itself for the last one and
/// deletes the log under this one). `OutcomeStore` closes it after its
/// connection (`StoreLocksTests`).
private final class StoreSetupLock {
    private var descriptor: Int32
    /// Whether this lock created the store file.
    let created: Bool

    init(path: String, access: FileAccess) throws {
        try access.createFolder(FilePath.parent(of: path))
        var descriptor = open(path, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, access.fileMode)
        created = descriptor >= 0
        if descriptor >= 0 {
            do { try access.secure(descriptor: descriptor, path: path) } catch {
                close(descriptor)
                throw error
            }
        } else {
            // It exists (or cannot be opened for writing: SQLite will say why).
            descriptor = open(path, O_RDWR | O_NOFOLLOW | O_CLOEXEC)
        }
        self.descriptor = descriptor
        lock()
    }

    func lock() {
        guard descriptor >= 0 else { return }
        while flock(descriptor, LOCK_EX) != 0, errno == EINTR {}
    }

    func unlock() {
        guard descriptor >= 0 else { return }
        flock(descriptor, LOCK_UN)
    }

    /// Only once no connection of this process has the store open.
    func closeDescriptor() {
        guard descriptor >= 0 else { return }
        close(descriptor)
        descriptor = -1
    }

    /// Keeps the descriptor open until the process ends (a connection that
    /// did not close may still hold SQLite's locks).
    func leaveOpen() { descriptor = -1 }

    /// When the store's `init` failed (its connection is being closed too).
    deinit { closeDescriptor() }
}
