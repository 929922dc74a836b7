import Foundation
import GRDB
import Testing
@testable import OutcomesKit

/// A small file system mounted for a test (tmpfs), to make a folder read-only
/// or full for real. Needs root, as CI and this project's machines run tests.
final class TmpfsMount {
    let path: String
    private let folder = TemporaryFolder("outcomes-mount")

    static var available: Bool { getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/mount") }

    init(kilobytes: Int) throws {
        path = folder.file("mnt")
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        try Self.mount(["-t", "tmpfs", "-o", "size=\(kilobytes)k,mode=0755", "tmpfs", path])
    }

    func remountReadOnly() throws { try Self.mount(["-o", "remount,ro", path]) }

    deinit { _ = try? Self.mount(["-l", path], command: "/usr/bin/umount") }

    private static func mount(_ arguments: [String], command: String = "/usr/bin/mount") throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: command)
        process.arguments = arguments
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw MountFailed(command: command, arguments: arguments) }
    }
}

/// Faults: kills, full or read-only disks, missing or foreign stores,
/// concurrent writers. Each leaves the store and the last report as they were.
@Suite(.serialized) struct FaultTests {
    static let header = "patient_id,session_date,modality,site\n"

    func sessions(_ count: Int, prefix: String = "P") -> String {
        Self.header + (1...count).map { "\(prefix)\($0),2026-10-\(String(format: "%02d", $0 % 28 + 1)),tms,North" }.joined(separator: "\n") + "\n"
    }

    func sha256(_ path: String) -> String {
        Digest.sha256(Array(FileManager.default.contents(atPath: path) ?? Data()))
    }

    @Test func killDuringIngestLeavesTheStoreAsBeforeThatFile() throws {
        let folder = TemporaryFolder()
        let store = folder.file("store.sqlite")
        let first = folder.write("first.csv", sessions(100, prefix: "A"))
        let big = folder.write("big.csv", sessions(30_000))
        #expect(try CommandLineTool.run(["ingest", "--db", store, first]).status == 0)
        let killed = try CommandLineTool.run(["ingest", "--db", store, big], environment: ["OUTCOMES_FAILPOINT": "ingest.after-record:20000"])
        #expect(killed.killedBySignal && killed.status == SIGKILL, "the failpoint kills the ingest mid-file")
        #expect(try TestStoreProbe.rows(in: store, "SELECT count(*) FROM sessions") == 100)
        #expect(try TestStoreProbe.rows(in: store, "SELECT count(*) FROM files") == 1)
        #expect(try CommandLineTool.run(["doctor", "--db", store]).status == 0)
        let again = try CommandLineTool.run(["ingest", "--db", store, big])
        #expect(again.stdout.contains("big.csv: loaded 30000 sessions"), "the same file ingests fully afterwards: \(again.stdout)")
    }

    /// A new store's first ingest runs with a rollback journal (`OutcomeStore.firstLoad`):
    /// killed in its second file, the store keeps the first, every command
    /// opens it (SQLite rolls the hot journal back), and it is in WAL mode again.
    @Test func killDuringAFirstIngestLeavesTheStoreAsBeforeThatFile() throws {
        let folder = TemporaryFolder()
        let store = folder.file("store.sqlite")
        let first = folder.write("first.csv", sessions(100, prefix: "A"))
        let big = folder.write("big.csv", sessions(30_000))
        let killed = try CommandLineTool.run(["ingest", "--db", store, first, big],
                                             environment: ["OUTCOMES_FAILPOINT": "ingest.after-record:20000"])
        #expect(killed.killedBySignal && killed.status == SIGKILL, "the failpoint kills the ingest mid-file")
        #expect(FileManager.default.fileExists(atPath: store + "-journal"), "killed mid-file, a rollback journal is left")
        let status = try CommandLineTool.run(["status", "--db", store])
        #expect(status.status == 0, "a read-only command opens the store: \(status.stderr)")
        #expect(try CommandLineTool.run(["doctor", "--db", store]).status == 0)
        #expect(try TestStoreProbe.rows(in: store, "SELECT count(*) FROM sessions") == 100)
        #expect(try TestStoreProbe.rows(in: store, "SELECT count(*) FROM files") == 1)
        let again = try CommandLineTool.run(["ingest", "--db", store, big])
        #expect(again.stdout.contains("big.csv: loaded 30000 sessions"), "the same file ingests fully afterwards: \(again.stdout)")
        #expect(try TestStoreProbe.text(in: store, "PRAGMA journal_mode") == "wal")
    }

    /// After a first ingest that ends normally the store is in WAL mode, with no journal left.
    @Test func aFirstIngestLeavesTheStoreInWALMode() throws {
        let folder = TemporaryFolder()
        let store = folder.file("store.sqlite")
        #expect(try CommandLineTool.run(["ingest", "--db", store, folder.write("a.csv", sessions(100))]).status == 0)
        #expect(try TestStoreProbe.text(in: store, "PRAGMA journal_mode") == "wal")
        #expect(!FileManager.default.fileExists(atPath: store + "-journal"))
    }

    @Test(.enabled(if: TmpfsMount.available, "needs root to mount a tmpfs"))
    func aReadOnlyOutputFolderIsAClearErrorAndNothingIsOverwritten() throws {
        let folder = TemporaryFolder()
        let store = folder.file("store.sqlite")
        _ = try CommandLineTool.run(["ingest", "--db", store, folder.write("s.csv", sessions(50))])
        let mount = try TmpfsMount(kilobytes: 4096)
        let out = mount.path + "/report"
        #expect(try CommandLineTool.run(["report", "--db", store, "--month", "2026-10", "--out", out]).status == 0)
        let before = ExampleReportTests.tree(out)
        try mount.remountReadOnly()
        let result = try CommandLineTool.run(["report", "--db", store, "--month", "2026-11", "--allow-partial", "--out", out])
        #expect(result.status == 5, "\(result.stderr)")
        #expect(result.stderr.hasPrefix("error: \(out): cannot write"), "\(result.stderr)")
        #expect(ExampleReportTests.tree(out) == before)
    }

    @Test(.enabled(if: TmpfsMount.available, "needs root to mount a tmpfs"))
    func aFullReportsFolderLeavesThePreviousReportIntact() throws {
        let folder = TemporaryFolder()
        folder.write("exports/s.csv", sessions(50))
        let mount = try TmpfsMount(kilobytes: 512)
        let pipeline = folder.write("p.yaml", "store: store.sqlite\ninputs: [exports/*.csv]\nreports: \(mount.path)\n")
        #expect(try CommandLineTool.run(["run", pipeline, "--month", "2026-10", "--quiet"]).status == 0)
        let report = mount.path + "/2026-10"
        let before = ExampleReportTests.tree(report)
        // Fill the disk (block by block until it refuses), leave 8 KiB, then bring new data.
        let filler = mount.path + "/filler"
        _ = FileManager.default.createFile(atPath: filler, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: filler))
        let block = Data(count: 4096)
        while (try? handle.write(contentsOf: block)) != nil {}
        try handle.truncate(atOffset: max(0, try handle.offset() - 8192))
        try handle.close()
        folder.write("exports/t.csv", sessions(60, prefix: "Q"))
        let result = try CommandLineTool.run(["run", pipeline, "--month", "2026-10", "--quiet"])
        #expect(result.status == 5, "\(result.stderr)")
        #expect(ExampleReportTests.tree(report) == before, "the previous report is intact")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: mount.path).filter { $0.hasPrefix(".") }
        #expect(leftovers.isEmpty, "no half-written folder is left: \(leftovers)")
    }

    @Test(.enabled(if: TmpfsMount.available, "needs root to mount a tmpfs"))
    func aFullDiskDuringIngestRollsTheFileBack() throws {
        let mount = try TmpfsMount(kilobytes: 1024)
        let folder = TemporaryFolder()
        let store = mount.path + "/store.sqlite"
        #expect(try CommandLineTool.run(["ingest", "--db", store, folder.write("a.csv", sessions(50))]).status == 0)
        let result = try CommandLineTool.run(["ingest", "--db", store, folder.write("big.csv", sessions(60_000))])
        #expect(result.status == 4, "\(result.stdout) \(result.stderr)")
        #expect(result.stderr == "error: \(StoreError.diskFull(path: store).description)\n", "\(result.stderr)")
        #expect(try TestStoreProbe.rows(in: store, "SELECT count(*) FROM sessions") == 50)
        #expect(try CommandLineTool.run(["doctor", "--db", store]).status == 0)
    }

    @Test func aMissingStoreIsAClearError() throws {
        let folder = TemporaryFolder()
        let result = try CommandLineTool.run(["report", "--db", folder.file("nowhere.sqlite"), "--month", "2026-10", "--out", folder.file("out")])
        #expect(result.status == 4)
        #expect(result.stderr.contains("no store here"))
        #expect(!FileManager.default.fileExists(atPath: folder.file("nowhere.sqlite")), "report does not create a store")
        #expect(!FileManager.default.fileExists(atPath: folder.file("out")))
    }

    @Test func aForeignDatabaseIsNeverTouched() throws {
        let folder = TemporaryFolder()
        let foreign = folder.file("other-app.sqlite")
        try DatabaseQueue(path: foreign).write { db in
            try db.execute(sql: "CREATE TABLE invoices (id INTEGER PRIMARY KEY, amount REAL); INSERT INTO invoices VALUES (1, 9.5)")
        }
        let hash = sha256(foreign)
        for arguments in [["ingest", "--db", foreign, folder.write("s.csv", sessions(5))],
                          ["report", "--db", foreign, "--month", "2026-10", "--out", folder.file("out")],
                          ["sql", "--db", foreign, "SELECT 1"]] {
            let result = try CommandLineTool.run(arguments)
            #expect(result.status == 4, "\(arguments[0]): \(result.stderr)")
            #expect(result.stderr.contains("not an outcomes store"), "\(arguments[0]): \(result.stderr)")
        }
        #expect(sha256(foreign) == hash)
    }

    @Test func aCorruptStoreIsAClearErrorAndIsNotOverwritten() throws {
        let folder = TemporaryFolder()
        let junk = folder.write("junk.sqlite", bytes: Array(repeating: 0x41, count: 40_000))
        let hash = sha256(junk)
        let result = try CommandLineTool.run(["ingest", "--db", junk, folder.write("s.csv", sessions(5))])
        #expect(result.status == 4)
        #expect(result.stderr.contains("not an SQLite database, or the file is corrupt"), "\(result.stderr)")
        #expect(sha256(junk) == hash)

        // A real store with damaged pages.
        let store = folder.file("store.sqlite")
        _ = try CommandLineTool.run(["ingest", "--db", store, folder.write("big.csv", sessions(20_000))])
        var bytes = Array(FileManager.default.contents(atPath: store)!)
        for offset in stride(from: 8192, to: min(bytes.count, 200_000), by: 4096) { bytes.replaceSubrange(offset..<(offset + 64), with: repeatElement(0xFF, count: 64)) }
        folder.write("store.sqlite", bytes: bytes)
        let damaged = sha256(store)
        let report = try CommandLineTool.run(["report", "--db", store, "--month", "2026-10", "--out", folder.file("out")])
        #expect(!report.killedBySignal)
        #expect(report.status == 4, "\(report.stderr)")
        let doctor = try CommandLineTool.run(["doctor", "--db", store])
        #expect(doctor.status == 4)
        #expect(doctor.stdout.contains("PROBLEM"))
        #expect(sha256(store) == damaged, "nothing wrote over the damaged store")
    }

    @Test func twoIngestsAtOnceAreSerializedWithNothingLostOrDoubled() throws {
        let folder = TemporaryFolder()
        let store = folder.file("store.sqlite")
        _ = try CommandLineTool.run(["ingest", "--db", store, folder.write("seed.csv", sessions(1))])
        let a = folder.write("a.csv", sessions(20_000, prefix: "A"))
        let b = folder.write("b.csv", sessions(20_000, prefix: "B"))
        let results = CommandLineTool.runConcurrently([["ingest", "--db", store, a, b], ["ingest", "--db", store, b, a]])
        #expect(results.allSatisfy { $0.status == 0 }, "\(results.map(\.stderr))")
        let outputs = results.map(\.stdout).joined()
        #expect(outputs.components(separatedBy: "loaded 20000 sessions").count - 1 == 2, "each file loaded once: \(outputs)")
        #expect(outputs.components(separatedBy: "skipped").count - 1 == 2, "and skipped once: \(outputs)")
        #expect(try TestStoreProbe.rows(in: store, "SELECT count(*) FROM sessions") == 40_001)
        #expect(try TestStoreProbe.rows(in: store, "SELECT count(*) FROM files") == 3)
    }

    @Test func storesFromOtherVersionsAreHandledClearly() throws {
        let folder = TemporaryFolder()
        // A store a newer version wrote: refused everywhere, doctor says why.
        let newer = folder.file("newer.sqlite")
        _ = try CommandLineTool.run(["ingest", "--db", newer, folder.write("s.csv", sessions(5))])
        try DatabaseQueue(path: newer).write { db in
            try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99: from the future')")
        }
        let refused = try CommandLineTool.run(["report", "--db", newer, "--month", "2026-10", "--out", folder.file("out")])
        #expect(refused.status == 4)
        #expect(refused.stderr.contains("written by a newer version"), "\(refused.stderr)")
        #expect(try CommandLineTool.run(["ingest", "--db", newer, folder.write("t.csv", sessions(3, prefix: "T"))]).status == 4)
        #expect(try CommandLineTool.run(["doctor", "--db", newer]).stdout.contains("PROBLEM schema: written by a newer version"))
        let notDowngraded = try CommandLineTool.run(["upgrade", "--db", newer])
        #expect(notDowngraded.status == 4)
        #expect(notDowngraded.stderr.contains("written by a newer version"), "\(notDowngraded.stderr)")

        // A store with the first schema only: the reading commands ask for an upgrade;
        // ingest upgrades it, and so does `upgrade`, which needs no file.
        for upgrader in [["ingest", folder.file("s.csv")], ["upgrade"]] {
            let older = folder.file("older-\(upgrader[0]).sqlite")
            try firstSchemaOnly(older)
            let outdated = try CommandLineTool.run(["report", "--db", older, "--month", "2026-10", "--out", folder.file("out")])
            #expect(outdated.status == 4)
            #expect(outdated.stderr.contains("out of date; run `outcomes upgrade --db \(older)`"), "\(outdated.stderr)")
            #expect(try CommandLineTool.run(["doctor", "--db", older]).stdout.contains("run `outcomes upgrade`"))
            #expect(try CommandLineTool.run([upgrader[0], "--db", older] + upgrader.dropFirst()).status == 0)
            #expect(try CommandLineTool.run(["doctor", "--db", older]).status == 0)
            #expect(try CommandLineTool.run(["status", "--db", older]).status == 0)
        }
        // The ingest's rows are there to report on.
        #expect(try CommandLineTool.run(["report", "--db", folder.file("older-ingest.sqlite"), "--month", "2026-10", "--out", folder.file("out")]).status == 0)
    }

    @Test func upgradeSaysWhatItAppliedAndNeverCreatesAStore() throws {
        let folder = TemporaryFolder()
        let older = folder.file("older.sqlite")
        try firstSchemaOnly(older)
        let upgraded = try CommandLineTool.run(["upgrade", "--db", older])
        #expect(upgraded.status == 0)
        let steps = StoreSchema.migrator.migrations.dropFirst()
        #expect(upgraded.stdout == "\(older): upgraded to \(StoreSchema.latestVersion); applied \(steps.count) steps: \(steps.joined(separator: "; "))\n")
        #expect(try DatabaseQueue(path: older).read { db in try StoreSchema.migrator.hasCompletedMigrations(db) })

        let again = try CommandLineTool.run(["upgrade", "--db", older])
        #expect(again.status == 0)
        #expect(again.stdout == "\(older): the schema is current (\(StoreSchema.latestVersion))\n")

        let missing = folder.file("missing.sqlite")
        let refused = try CommandLineTool.run(["upgrade", "--db", missing])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("no store here"), "\(refused.stderr)")
        #expect(!FileManager.default.fileExists(atPath: missing))
    }

    /// A store as the first release left it: the first migration only.
    private func firstSchemaOnly(_ path: String) throws {
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in try db.execute(sql: "PRAGMA application_id = \(StoreSchema.applicationID)") }
        try StoreSchema.migrator.migrate(queue, upTo: StoreSchema.migrator.migrations[0])
    }
}

/// A mount a test needed failed (the test then reports it).
struct MountFailed: Error {
    let command: String
    let arguments: [String]
}
