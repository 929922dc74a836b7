import Foundation
import Testing
@testable import OutcomesKit

/// POSIX record locks belong to the process, and closing any descriptor of
/// a file drops every one the process holds on it, SQLite's included. In WAL
/// mode a connection holds a read lock on the store file for as long as it
/// is open; without it, another process closing its last connection would
/// take itself for the last one and delete the log under this one. The
/// store's own setup lock (a `flock` on the store file) must therefore never
/// close its descriptor while a connection is open.
@Suite struct StoreLocksTests {
    /// The POSIX locks this process holds on `path`, from /proc/locks.
    static func posixLocks(on path: String) throws -> [String] {
        var info = stat()
        guard stat(path, &info) == 0 else { return [] }
        let inode = ":\(info.st_ino) "
        let pid = " \(getpid()) "
        let table = try String(contentsOfFile: "/proc/locks", encoding: .utf8)
        return table.split(separator: "\n").map(String.init).filter { $0.contains("POSIX") && $0.contains(pid) && $0.contains(inode) }
    }

    /// A store made by another process, opened here in each mode.
    @Test(arguments: [OutcomeStore.AccessMode.create, .existing, .readOnly])
    func anOpenStoreKeepsSQLitesReadLock(_ mode: OutcomeStore.AccessMode) throws {
        let folder = TemporaryFolder()
        let path = folder.file("store.sqlite")
        let csv = folder.write("a.csv", "patient_id,session_date,modality,site\nP1,2026-10-05,tms,North\n")
        #expect(try CommandLineTool.run(["ingest", "--db", path, csv]).status == 0)
        let reopened = try OutcomeStore(path: path, mode: mode)
        _ = try reopened.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM sessions") }
        #expect(try !Self.posixLocks(on: path).isEmpty, "SQLite's WAL read lock on the store file is held")
    }

    @Test func aFirstLoadLeavesSQLitesReadLock() throws {
        let folder = TemporaryFolder()
        let path = folder.file("store.sqlite")
        let store = try OutcomeStore(path: path, mode: .create)
        _ = try Ingestor(store: store, catalog: .standard).ingest([
            InputPath(folder.write("a.csv", "patient_id,session_date,modality,site\nP1,2026-10-05,tms,North\n")),
        ])
        _ = try store.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM sessions") }
        #expect(try !Self.posixLocks(on: path).isEmpty, "SQLite's WAL read lock on the store file is held")
    }
}
