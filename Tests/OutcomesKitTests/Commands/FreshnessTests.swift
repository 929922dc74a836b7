import Foundation
import Testing
@testable import OutcomesKit

/// A run that says when the data are missing or stale: each rule exits with
/// its status, says so on stderr even under `--quiet` (so cron mails it), and
/// leaves the previous report as it was.
@Suite struct FreshnessTests {
    static let header = "patient_id,session_date,modality,site\n"

    /// TMS sessions of `patients` patients, weekly from `start` for `weeks` weeks.
    static func sessions(_ patients: Int, start: String, weeks: Int, prefix: String = "P") -> String {
        header + (0..<patients).flatMap { patient in
            (0..<weeks).map { week in "\(prefix)\(patient),\(Day(iso: start)! + 7 * week),tms,North" }
        }.joined(separator: "\n") + "\n"
    }

    /// A folder with a pipeline, its first exports, and the report for 2026-09 written.
    static func preparedRun() throws -> (folder: TemporaryFolder, pipeline: String, previous: [String: Data]) {
        let folder = TemporaryFolder()
        folder.write("exports/august.csv", sessions(12, start: "2026-08-03", weeks: 6))
        let pipeline = folder.write("p.yaml", "store: var/store.sqlite\ninputs: [exports/*.csv]\nreports: reports\n")
        let first = try CommandLineTool.run(["run", pipeline, "--month", "2026-09", "--quiet"])
        #expect(first.status == 0, "\(first.stderr)")
        return (folder, pipeline, ExampleReportTests.tree(folder.file("reports")))
    }

    /// Runs and checks the refusal: status, one stderr line under --quiet, nothing written.
    func expectRefused(_ arguments: [String], status: Int32, saying words: String, in prepared: (folder: TemporaryFolder, pipeline: String, previous: [String: Data])) throws {
        let run = try CommandLineTool.run(arguments + ["--quiet"])
        #expect(run.status == status, "\(run.stderr)")
        #expect(run.stderr.contains(words), "stderr: \(run.stderr)")
        #expect(run.stderr.split(separator: "\n").count == 1, "one line, even under --quiet: \(run.stderr)")
        #expect(ExampleReportTests.tree(prepared.folder.file("reports")) == prepared.previous, "the previous report is untouched")
    }

    static func month(_ offset: Int) -> YearMonth { YearMonth(containing: Day.today()).adding(months: offset) }

    @Test func aFutureMonthIsRefused() throws {
        let prepared = try Self.preparedRun()
        try expectRefused(["run", prepared.pipeline, "--month", Self.month(2).description], status: 2, saying: "has not ended",
                          in: prepared)
    }

    @Test func anUnfinishedMonthIsRefusedUnlessAllowedAndThenLabelled() throws {
        let prepared = try Self.preparedRun()
        let current = Self.month(0).description
        try expectRefused(["run", prepared.pipeline, "--month", current], status: 2, saying: "--allow-partial", in: prepared)
        let store = prepared.folder.file("var/store.sqlite")
        let report = try CommandLineTool.run(["report", "--db", store, "--month", current, "--out", prepared.folder.file("out")])
        #expect(report.status == 2 && report.stderr.contains("has not ended"), "\(report.stderr)")
        // Allowed: written, and labelled on its page and in its manifest.
        prepared.folder.write("exports/now.csv", Self.sessions(3, start: Self.month(0).firstDay.description, weeks: 1, prefix: "N"))
        let partial = try CommandLineTool.run(["run", prepared.pipeline, "--month", current, "--allow-partial", "--quiet"])
        #expect(partial.status == 0, "\(partial.stderr)")
        let markdown = try String(contentsOfFile: prepared.folder.file("reports/\(current)/outcomes.md"), encoding: .utf8)
        #expect(markdown.hasPrefix("# Treatment outcomes: \(Markdown.monthName(Self.month(0))) (partial month)"))
        #expect(markdown.contains("**Partial month.**"))
        let manifest = try String(contentsOfFile: prepared.folder.file("reports/\(current)/manifest.json"), encoding: .utf8)
        #expect(manifest.contains("\"partial_month\" : true"))
    }

    @Test func aMonthWithoutDataIsNoNewData() throws {
        let prepared = try Self.preparedRun()
        try expectRefused(["run", prepared.pipeline, "--month", "2024-01"], status: 8, saying: "no new data: no session or score is dated in 2024-01",
                          in: prepared)
        let report = try CommandLineTool.run(["report", "--db", prepared.folder.file("var/store.sqlite"), "--month", "2024-01",
                                              "--out", prepared.folder.file("out"), "--quiet"])
        #expect(report.status == 8 && !FileManager.default.fileExists(atPath: prepared.folder.file("out/outcomes.md")), "\(report.stderr)")
    }

    @Test func noNewFileSinceTheLastReportIsNoNewData() throws {
        let prepared = try Self.preparedRun()
        try expectRefused(["run", prepared.pipeline, "--month", "2026-10"], status: 8, saying: "no new export since the report for 2026-09",
                          in: prepared)
        // The same month again is a rerun, not stale: it is written the same.
        let again = try CommandLineTool.run(["run", prepared.pipeline, "--month", "2026-09", "--quiet"])
        #expect(again.status == 0 && ExampleReportTests.tree(prepared.folder.file("reports")) == prepared.previous)
        // A new export makes October reportable.
        prepared.folder.write("exports/october.csv", Self.sessions(12, start: "2026-10-05", weeks: 2, prefix: "Q"))
        #expect(try CommandLineTool.run(["run", prepared.pipeline, "--month", "2026-10", "--quiet"]).status == 0)
    }

    @Test func aMissingInputFolderIsNoNewData() throws {
        let prepared = try Self.preparedRun()
        try FileManager.default.removeItem(atPath: prepared.folder.file("exports"))
        try expectRefused(["run", prepared.pipeline, "--month", "2026-09"], status: 8, saying: "/exports/*.csv); is the export folder there and mounted?",
                          in: prepared)
    }

    @Test func everyReportSaysWhatTheDataRunTo() throws {
        let prepared = try Self.preparedRun()
        let markdown = try String(contentsOfFile: prepared.folder.file("reports/2026-09/outcomes.md"), encoding: .utf8)
        #expect(markdown.contains("**Data through:** the latest session stored is dated 2026-09-07, the latest score –; the last file ingested was `august.csv`, on "))
        #expect(markdown.contains("**Nothing is stored after 2026-09-07**, 23 days before the month's end"))
    }

    /// The README's crontab line, on a fresh copy (no `var/`), with an empty
    /// environment and no terminal, as cron runs it.
    @Test func theReadmeCrontabLineWorksOnAFreshCloneUnderEnvI() throws {
        let readme = try String(contentsOf: ExampleReportTests.repository.appendingPathComponent("README.md"), encoding: .utf8)
        let line = try #require(readme.split(separator: "\n").first { $0.hasPrefix("15 6 2 * *") })
        let command = String(line.dropFirst("15 6 2 * *".count)).trimmingCharacters(in: .whitespaces)
        let clone = TemporaryFolder("outcomes-clone")
        for folder in ["pipelines", "sample-data"] {
            try FileManager.default.copyItem(atPath: ExampleReportTests.repository.appendingPathComponent(folder).path,
                                             toPath: clone.file(folder))
        }
        try FileManager.default.createDirectory(atPath: clone.file(".build/release"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: clone.file(".build/release/outcomes"), withDestinationPath: CommandLineTool.executable)
        func cron(month: String) throws -> CommandLineTool.Result {
            let script = command.replacingOccurrences(of: "/srv/outcomes", with: clone.path)
                .replacingOccurrences(of: "--quiet", with: "--month \(month) --quiet")
            return try CommandLineTool.run(["-i", "/bin/sh", "-c", script], executable: "/usr/bin/env")
        }
        let success = try cron(month: "2026-10")
        #expect(success.status == 0 && success.stdout.isEmpty && success.stderr.isEmpty, "cron would mail: \(success.stdout)\(success.stderr)")
        let log = try String(contentsOfFile: clone.file("var/cron.log"), encoding: .utf8)
        #expect(log.contains("report for 2026-10 written to"), "\(log)")
        // A month with no data: loud, in what cron mails.
        let empty = try cron(month: "2024-01")
        #expect(empty.stderr.contains("no new data"), "\(empty.stderr)")
        #expect(empty.stdout.contains("outcomes run failed with status 8"), "\(empty.stdout)")
    }
}
