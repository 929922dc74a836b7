import Foundation
import Testing
@testable import OutcomesKit

/// `outcomes sql` reads and never changes the store.
@Suite struct ReadOnlySQLTests {
    func fixture() throws -> TestStore {
        let store = try TestStore()
        _ = try store.ingest([("s.csv", "patient_id,session_date,modality,site\nP1,2026-10-01,tms,North\nP2,2026-10-02,tms,South\n")])
        return store
    }

    /// The store's file and its write-ahead log. (The `-shm` file is SQLite's
    /// shared-memory index: every reader updates its read marks, so it is not
    /// content and is left out.)
    func bytes(_ folder: TemporaryFolder) throws -> [String: Data] {
        var files: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) where !name.hasSuffix("-shm") {
            files[name] = FileManager.default.contents(atPath: folder.file(name))
        }
        return files
    }

    @Test func selectsAndReadOnlyPragmasWork() throws {
        let store = try fixture()
        let path = store.folder.file("store.sqlite")
        let result = try ReadOnlySQL.run(path: path, sql: "SELECT patient_id, session_date, site FROM session_view ORDER BY 1")
        #expect(result.columns == ["patient_id", "session_date", "site"])
        #expect(result.rows == [["P1", "2026-10-01", "North"], ["P2", "2026-10-02", "South"]])
        #expect(try ReadOnlySQL.run(path: path, sql: "PRAGMA table_info(files)").rows.count == 13)
        #expect(try ReadOnlySQL.run(path: path, sql: "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 3) SELECT count(*) FROM n;").rows == [["3"]])
    }

    @Test(arguments: [
        "INSERT INTO sites (name) VALUES ('x')", "UPDATE sites SET name = 'x'", "DELETE FROM sessions", "DROP TABLE rejects",
        "CREATE TABLE t (x)", "CREATE TEMP TABLE t (x)", "ALTER TABLE sites ADD COLUMN y", "ATTACH DATABASE '/tmp/other.sqlite' AS o",
        "VACUUM", "VACUUM INTO '/tmp/copy-of-store.sqlite'", "REINDEX", "ANALYZE", "BEGIN IMMEDIATE",
        "PRAGMA query_only = 0", "PRAGMA writable_schema = 1", "PRAGMA user_version = 7", "PRAGMA journal_mode = DELETE",
        "PRAGMA wal_checkpoint", "SELECT 1; DELETE FROM sessions", "REPLACE INTO sites (id, name) VALUES (1, 'x')",
        "WITH x AS (SELECT 1) DELETE FROM sessions",
    ])
    func changesAreRefusedAndTheStoreIsUntouched(_ sql: String) throws {
        let store = try fixture()
        let before = try bytes(store.folder)
        #expect(throws: StoreError.self, "\(sql)") { _ = try ReadOnlySQL.run(path: store.folder.file("store.sqlite"), sql: sql) }
        #expect(try bytes(store.folder) == before, "\(sql) changed the store's files")
        #expect(!FileManager.default.fileExists(atPath: "/tmp/copy-of-store.sqlite"))
        #expect(try store.count("sessions") == 2)
    }

    @Test func theCommandExplainsARefusal() throws {
        let store = try fixture()
        let result = try CommandLineTool.run(["sql", "--db", store.folder.file("store.sqlite"), "DELETE FROM sessions"])
        #expect(result.status == 10, "a statement error has its own status, not the store's")
        #expect(result.stderr.contains("read-only"))
        let csv = try CommandLineTool.run(["sql", "--db", store.folder.file("store.sqlite"), "--format", "csv",
                                           "SELECT '=1+1' AS formula, count(*) AS n FROM sessions"])
        #expect(csv.stdout == "formula,n\n'=1+1,2\n")
    }
}
