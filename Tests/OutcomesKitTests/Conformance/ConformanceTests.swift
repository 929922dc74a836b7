import Foundation
import GRDB
import Testing
@testable import OutcomesKit

/// The public conformance case (`../shared/conformance/case1`, copied into
/// the fixtures): the contract's worked example as a golden test, through the
/// library and through the command line.
@Suite struct ConformanceCase1Tests {
    static let caseFolder = "conformance/case1"

    func casePath(_ name: String) -> String { Fixtures.path("\(Self.caseFolder)/\(name)") }

    @Test func libraryMatchesExpectedFiles() throws {
        let folder = TemporaryFolder()
        let store = try OutcomeStore(path: folder.file("T.sqlite"), mode: .create)
        let reports = try Ingestor(store: store, catalog: .standard)
            .ingest(["sessions.csv", "scores.csv", "phi.csv", "sessions.csv"].map(casePath))

        guard case .loaded = reports[0].outcome, case .loaded = reports[1].outcome else {
            Issue.record("sessions.csv and scores.csv should load: \(reports.map(\.line))")
            return
        }
        guard case .refused(let why) = reports[2].outcome else {
            Issue.record("phi.csv should be refused: \(reports[2].line)")
            return
        }
        #expect(why == .directIdentifier(column: "patient_name"))
        guard case .skipped = reports[3].outcome else {
            Issue.record("the repeated sessions.csv should be skipped: \(reports[3].line)")
            return
        }

        let files = try ReportBuilder.build(store: store, settings: ReportSettings(month: YearMonth("2026-10")!)).files
        #expect(files["outcomes.csv"] == (try Fixtures.contents("\(Self.caseFolder)/expected/outcomes.csv")))
        #expect(files["retention.csv"] == (try Fixtures.contents("\(Self.caseFolder)/expected/retention.csv")))
        #expect(files["timepoints.csv"] == (try Fixtures.contents("\(Self.caseFolder)/expected/timepoints.csv")))
        #expect(firstThreeColumns(files["rejects.csv"] ?? "")
                == (try Fixtures.contents("\(Self.caseFolder)/expected/rejects.csv")))
    }

    @Test func commandLineRunsTheCaseAsTheReadmeSays() throws {
        let folder = TemporaryFolder()
        let store = folder.file("T.sqlite")
        let ingest = try CommandLineTool.run(["ingest", "--db", store] + ["sessions.csv", "scores.csv", "phi.csv", "sessions.csv"].map(casePath))
        #expect(ingest.status == 3, "a refused file exits non-zero, after the others load")
        #expect(ingest.stderr.contains("phi.csv: refused"))
        #expect(ingest.stderr.contains("patient_name"))
        #expect(ingest.stdout.contains("sessions.csv: loaded 84 sessions"))
        #expect(ingest.stdout.contains("sessions.csv: skipped"))
        #expect(try TestStoreProbe.rows(in: store, "SELECT count(*) FROM patients WHERE pseudonym = 'K9'") == 0,
                "nothing from phi.csv is stored")

        let out = folder.file("OUT")
        let report = try CommandLineTool.run(["report", "--db", store, "--month", "2026-10", "--out", out])
        #expect(report.status == 0, "\(report.stderr)")
        for name in ["outcomes.csv", "retention.csv", "timepoints.csv"] {
            let written = try String(contentsOfFile: "\(out)/\(name)", encoding: .utf8)
            #expect(written == (try Fixtures.contents("\(Self.caseFolder)/expected/\(name)")), "\(name)")
        }
        let rejects = try String(contentsOfFile: "\(out)/rejects.csv", encoding: .utf8)
        #expect(firstThreeColumns(rejects) == (try Fixtures.contents("\(Self.caseFolder)/expected/rejects.csv")))
        #expect(FileManager.default.fileExists(atPath: "\(out)/outcomes.md"))
    }

    @Test func sameStoreAndMonthGiveIdenticalBytes() throws {
        let folder = TemporaryFolder()
        let store = try OutcomeStore(path: folder.file("T.sqlite"), mode: .create)
        _ = try Ingestor(store: store, catalog: .standard).ingest(["sessions.csv", "scores.csv"].map(casePath))
        let month = YearMonth("2026-10")!
        let first = try ReportBuilder.build(store: store, settings: ReportSettings(month: month)).files
        let second = try ReportBuilder.build(store: store, settings: ReportSettings(month: month)).files
        #expect(first.files.map(\.name) == second.files.map(\.name))
        for (a, b) in zip(first.files, second.files) { #expect(a.contents == b.contents, "\(a.name)") }
    }

    /// The `file, record, reason` columns (the case's fields hold no commas).
    func firstThreeColumns(_ csv: String) -> String {
        csv.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            line.split(separator: ",", maxSplits: 3, omittingEmptySubsequences: false).prefix(3).joined(separator: ",")
        }.joined(separator: "\n")
    }
}

/// The public conformance case 2 (`../shared/conformance/case2`): times of
/// day, ties between instants and the dose-anchored time points (SPEC v2),
/// byte for byte through the command line as its README says.
@Suite struct ConformanceCase2Tests {
    func casePath(_ name: String) -> String { Fixtures.path("conformance/case2/\(name)") }

    @Test func commandLineMatchesTheExpectedFiles() throws {
        let folder = TemporaryFolder()
        let store = folder.file("T.sqlite")
        let ingest = try CommandLineTool.run(["ingest", "--db", store, casePath("sessions.csv"), casePath("scores.csv")])
        #expect(ingest.status == 0, "\(ingest.stderr)")
        #expect(ingest.stdout.contains("scores.csv: loaded 34 scores, 1 duplicate"), "13:00 written with a space is the same value")
        let out = folder.file("OUT")
        let report = try CommandLineTool.run(["report", "--db", store, "--month", "2026-10", "--out", out])
        #expect(report.status == 0, "\(report.stderr)")
        for name in ["outcomes.csv", "retention.csv", "timepoints.csv"] {
            let written = try String(contentsOfFile: "\(out)/\(name)", encoding: .utf8)
            #expect(written == (try Fixtures.contents("conformance/case2/expected/\(name)")), "\(name)")
        }
        let rejects = try String(contentsOfFile: "\(out)/rejects.csv", encoding: .utf8)
        #expect(ConformanceCase1Tests().firstThreeColumns(rejects) == (try Fixtures.contents("conformance/case2/expected/rejects.csv")))
    }

    @Test func filesWithoutTimesGiveVersionOnesNumbers() throws {
        // Case 1 has no times: its v2 outcomes.csv, less the new columns, is the v1 file
        // (v1's completers are v2's evaluable courses).
        let v2 = try Fixtures.contents("conformance/case1/expected/outcomes.csv").split(separator: "\n").map { line in
            line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        }
        let v1 = try Fixtures.contents("conformance/case1-v1/outcomes.csv").split(separator: "\n").map { line in
            line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        }
        let header2 = v2[0], header1 = v1[0]
        let renamed = ["completers_n": "evaluable_n", "response_rate_completers": "response_rate_evaluable",
                       "response_ci_low_completers": "response_ci_low_evaluable", "response_ci_high_completers": "response_ci_high_evaluable",
                       "remission_rate_completers": "remission_rate_evaluable", "remission_ci_low_completers": "remission_ci_low_evaluable",
                       "remission_ci_high_completers": "remission_ci_high_evaluable"]
        let columns = header1.map { header2.firstIndex(of: renamed[$0] ?? $0)! }
        #expect(v1.count == v2.count)
        for (old, new) in zip(v1.dropFirst(), v2.dropFirst()) {
            #expect(columns.map { new[$0] } == old)
        }
    }
}

/// Opens a store file read-only to count rows in tests.
enum TestStoreProbe {
    static func rows(in path: String, _ sql: String) throws -> Int {
        let store = try OutcomeStore(path: path, mode: .readOnly)
        return try store.read { db in try Int.fetchOne(db, sql: sql) ?? -1 }
    }

    static func text(in path: String, _ sql: String) throws -> String? {
        let store = try OutcomeStore(path: path, mode: .readOnly)
        return try store.read { db in try String.fetchOne(db, sql: sql) }
    }
}
