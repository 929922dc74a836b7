import Foundation
import Testing
@testable import OutcomesKit

/// The commands a person runs between reports (`status`, `catalog`), and the
/// exit codes that tell apart what went wrong (README, ExitStatus).
@Suite struct CommandTests {
    static let sessions = "patient_id,session_date,modality,site\nP1,2026-10-01,tms,North\nP2,2026-10-02,ketamine,South\n"
    static let scores = "patient_id,assessment_date,instrument,score\nP1,2026-10-01,phq9,20\nP1,2026-10-01,phq9,21\n"

    @Test func statusSaysWhatTheStoreHolds() throws {
        let folder = TemporaryFolder()
        let store = folder.file("store.sqlite")
        _ = try CommandLineTool.run(["ingest", "--db", store, folder.write("s.csv", Self.sessions), folder.write("c.csv", Self.scores)])
        let result = try CommandLineTool.run(["status", "--db", store])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.contains("files       2 (1 sessions, 1 scores)"))
        #expect(lines.contains("rows        2 sessions, 1 scores, 2 patients, 2 sites"))
        #expect(lines.contains("sessions    2026-10-01 to 2026-10-02"))
        #expect(lines.contains("modalities  ketamine_iv 1, tms 1"))
        #expect(lines.contains("rejects     1: conflicting_duplicate 1"))
        #expect(lines.contains { $0.hasPrefix("last file   c.csv, ingested ") })
    }

    @Test func catalogListsTheDefaultsAndAPipelinesOverrides() throws {
        let defaults = try CommandLineTool.run(["catalog"])
        #expect(defaults.status == 0)
        #expect(defaults.stdout == Catalog.standard.textDescription)
        let tms = defaults.stdout.split(separator: "\n").first { $0.hasPrefix("tms ") }.map(String.init) ?? ""
        #expect(tms.contains("phq9 gad7") && tms.contains(" 36 "), "\(tms)")

        let folder = TemporaryFolder()
        let pipeline = folder.write("p.yaml", """
            store: s.sqlite
            inputs: [x.csv]
            reports: r
            catalog:
              modalities:
                tms: { acute_sessions: 30 }
            """)
        let overridden = try CommandLineTool.run(["catalog", "--pipeline", pipeline])
        #expect(overridden.status == 0, "\(overridden.stderr)")
        let tmsOverridden = overridden.stdout.split(separator: "\n").first { $0.hasPrefix("tms ") }.map(String.init) ?? ""
        // Columns are separated by two spaces or more: the fourth is the acute sessions.
        let columns = tmsOverridden.components(separatedBy: "  ").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        #expect(columns.count > 3 && columns[3] == "30", "\(tmsOverridden)")
    }

    @Test func exitCodesTellTheKindOfFailure() throws {
        let folder = TemporaryFolder()
        let store = folder.file("store.sqlite")
        _ = try CommandLineTool.run(["ingest", "--db", store, folder.write("s.csv", Self.sessions)])

        let syntax = try CommandLineTool.run(["sql", "--db", store, "SELEC 1"])
        #expect(syntax.status == 10, "a statement error, not a store error: \(syntax.stderr)")
        #expect(syntax.stderr.contains("SQL error"))

        // A store whose folder cannot be created: the machine, not a bug.
        let blocker = folder.write("not-a-folder", "x")
        let noFolder = try CommandLineTool.run(["ingest", "--db", blocker + "/sub/store.sqlite", folder.file("s.csv")])
        #expect(noFolder.status == 9, "\(noFolder.stderr)")
        #expect(noFolder.stderr.contains("cannot create the folder"))

        // A lock file that cannot be used (a folder in its place).
        try FileManager.default.createDirectory(atPath: folder.file("locked/store.sqlite.lock"), withIntermediateDirectories: true)
        let pipeline = folder.write("locked/p.yaml", "store: store.sqlite\ninputs: [../s.csv]\nreports: r\n")
        let lock = try CommandLineTool.run(["run", pipeline, "--month", "2026-10"])
        #expect(lock.status == 9, "\(lock.stderr)")
        #expect(lock.stderr.contains("cannot use the lock file"))

        let both = try CommandLineTool.run(["status", "--db", store, "--quiet", "--verbose"])
        #expect(both.status == 64)
    }
}
