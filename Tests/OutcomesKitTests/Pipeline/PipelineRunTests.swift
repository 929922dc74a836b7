import Foundation
import Testing
@testable import OutcomesKit

/// `outcomes run` as cron runs it: byte-identical output, one run at a time,
/// a report never half-written, and data-quality failures kept apart from crashes.
@Suite struct PipelineRunTests {
    /// A pipeline over a small synthetic data set, in its own folder.
    struct Setup {
        let folder = TemporaryFolder("outcomes-run")
        let pipeline: String

        init(maxRejectRate: Double? = nil, messy: Double = 0.01, group: String? = nil) throws {
            let options = SyntheticOptions(patients: 150, seed: 5, from: day("2025-11-01"), to: day("2026-10-31"),
                                           messyRate: messy, split: 2)
            _ = try SyntheticExport.write(options, to: folder.file("exports"))
            var yaml = "store: var/store.sqlite\ninputs: [exports/*.csv]\nreports: reports\n"
            if let maxRejectRate { yaml += "quality: { max_reject_rate: \(maxRejectRate) }\n" }
            if let group { yaml += "permissions: { group: \(group) }\n" }
            pipeline = folder.write("pipeline.yaml", yaml)
        }

        var report: String { folder.file("reports/2026-10") }

        func run(_ extra: [String] = [], environment: [String: String] = [:]) throws -> CommandLineTool.Result {
            try CommandLineTool.run(["run", pipeline, "--month", "2026-10", "--quiet"] + extra, environment: environment)
        }
    }

    @Test func twoRunsGiveIdenticalBytes() throws {
        let setup = try Setup()
        let first = try setup.run()
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout == "report for 2026-10 written to \(setup.report)\n")
        let before = ExampleReportTests.tree(setup.report)
        let names = Set(before.keys)
        for name in ["outcomes.csv", "retention.csv", "timepoints.csv", "survival.csv", "dropout.csv", "by_sessions.csv",
                     "rejects.csv", "outcomes.md", "outcomes.html", "details.md", "details.html", "manifest.json",
                     "charts/response-12m.svg", "charts/trend.svg", "charts/rapid-response.svg", "charts/time-to-response.svg",
                     "charts/durability.svg", "charts/dropout.svg", "charts/by-sessions.svg"] {
            #expect(names.contains(name), "\(name) is written")
        }
        // Besides those, only the internal report's per-treatment change plots.
        #expect(names.filter { !$0.hasPrefix("charts/change-") }.count == 19, "\(names.sorted())")
        let second = try setup.run()
        #expect(second.status == 0)
        #expect(ExampleReportTests.tree(setup.report) == before)
        let timestamp = try NSRegularExpression(pattern: "\\d{4}-\\d\\d-\\d\\d[T ]\\d\\d:\\d\\d")
        for (name, bytes) in before {
            let text = String(decoding: bytes, as: UTF8.self)
            #expect(timestamp.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) == nil, "\(name) holds a clock time")
        }
    }

    @Test func aSecondRunExitsAtOnceWhileTheLockIsHeld() throws {
        let setup = try Setup()
        let storeFolder = setup.folder.file("var")
        try FileManager.default.createDirectory(atPath: storeFolder, withIntermediateDirectories: true)
        let lock = try RunLock(path: setup.folder.file("var/store.sqlite.lock"), purpose: "test holder")
        let started = Date()
        let blocked = try setup.run()
        #expect(blocked.status == 6)
        #expect(blocked.stderr.contains("another run holds the lock"))
        #expect(blocked.stderr.contains("pid \(getpid())"))
        #expect(blocked.stderr.contains("test holder"))
        #expect(Date().timeIntervalSince(started) < 5, "it does not wait")
        #expect(!FileManager.default.fileExists(atPath: setup.report))
        withExtendedLifetime(lock) {}
    }

    @Test(arguments: ["report.before-swap", "report.mid-write"])
    func aRunKilledMidReportLeavesThePreviousReportIntact(_ failpoint: String) throws {
        let setup = try Setup()
        #expect(try setup.run().status == 0)
        let before = ExampleReportTests.tree(setup.report)
        // New data arrive; the next run is killed (SIGKILL) while writing its report.
        let extra = SyntheticOptions(patients: 40, seed: 99, from: day("2026-09-01"), to: day("2026-10-31"), messyRate: 0, split: 1)
        _ = try SyntheticExport.write(extra, to: setup.folder.file("exports/late"))
        try FileManager.default.moveItem(atPath: setup.folder.file("exports/late/sessions.csv"), toPath: setup.folder.file("exports/z-sessions.csv"))
        let killed = try setup.run(environment: ["OUTCOMES_FAILPOINT": failpoint])
        #expect(killed.status == SIGKILL, "the run was killed by the failpoint")
        #expect(ExampleReportTests.tree(setup.report) == before, "the previous report is intact")
        // The next run cleans up and replaces the report.
        #expect(try setup.run().status == 0)
        #expect(ExampleReportTests.tree(setup.report) != before)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: setup.folder.file("reports")).filter { $0.hasPrefix(".") }
        #expect(leftovers.isEmpty)
    }

    @Test func aFailedQualityGateWritesNoReportAndFailsAgainNextTime() throws {
        let setup = try Setup(maxRejectRate: 0.001, messy: 0.03)
        let first = try setup.run()
        #expect(first.status == 2, "\(first.stderr)")
        #expect(first.stderr.contains("held back"))
        #expect(first.stderr.contains("max_reject_rate"))
        #expect(!FileManager.default.fileExists(atPath: setup.report))
        #expect(try setup.run().status == 2, "the held-back files were not stored, so the gate fails again")
    }

    @Test func aRefusedInputWritesNoReport() throws {
        let setup = try Setup()
        setup.folder.write("exports/zz-phi.csv", "patient_id,dob,session_date,modality\nX1,1980-01-01,2026-10-01,tms\n")
        let result = try setup.run()
        #expect(result.status == 3)
        #expect(result.stderr.contains("zz-phi.csv: refused"))
        #expect(!FileManager.default.fileExists(atPath: setup.report))
    }

    @Test func anInvalidPipelineIsAConfigurationError() throws {
        let folder = TemporaryFolder()
        let path = folder.write("bad.yaml", "store: s.sqlite\ninputs: [x]\nreports: r\nreprot: {}\n")
        let result = try CommandLineTool.run(["run", path, "--month", "2026-10"])
        #expect(result.status == 7)
        #expect(result.stderr.contains("unknown key \"reprot\" (did you mean report?)"))
    }

    @Test func filesAreCreatedOwnerOnly() throws {
        let setup = try Setup()
        #expect(try setup.run().status == 0)
        for path in [setup.folder.file("var/store.sqlite"), "\(setup.report)/outcomes.csv"] {
            let mode = (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue
            #expect(mode == 0o600, "\(path)")
        }
    }

    @Test func aPipelineGroupMayReadTheStoreAndReports() throws {
        // As root, any group will do; otherwise the user's own primary group.
        let name = getuid() == 0 ? "users" : String(cString: getgrgid(getgid())!.pointee.gr_name)
        let gid = getgrnam(name)!.pointee.gr_gid
        let setup = try Setup(group: name)
        let result = try setup.run()
        #expect(result.status == 0, "\(result.stderr)")
        for path in [setup.folder.file("var/store.sqlite"), "\(setup.report)/outcomes.md", "\(setup.report)/charts/trend.svg"] {
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o640, "\(path)")
            #expect((attributes[.groupOwnerAccountID] as? NSNumber)?.uint32Value == gid, "\(path)")
        }
        let unknown = try Setup(group: "no-such-group-here")
        let failed = try unknown.run()
        #expect(failed.status == 9, "a group the machine lacks is an environment problem")
        #expect(failed.stderr.contains("no group \"no-such-group-here\""))
    }
}
