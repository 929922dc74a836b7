import Foundation
import Testing
@testable import OutcomesKit

/// Pipeline files: paths, options, catalogue overrides, and clear errors.
@Suite struct PipelineDefinitionTests {
    func load(_ yaml: String) throws -> PipelineDefinition {
        let folder = TemporaryFolder()
        return try PipelineDefinition.load(path: folder.write("pipelines/p.yaml", yaml))
    }

    func error(_ yaml: String) -> String {
        do {
            _ = try load(yaml)
            return "no error"
        } catch {
            return "\(error)"
        }
    }

    let minimal = "store: ../var/s.sqlite\ninputs: [../data/*.csv]\nreports: ../reports\n"

    @Test func pathsAreRelativeToThePipelineFile() throws {
        let pipeline = try load(minimal)
        let folder = (pipeline.path as NSString).deletingLastPathComponent
        let root = (folder as NSString).deletingLastPathComponent
        #expect(pipeline.store == root + "/var/s.sqlite")
        #expect(pipeline.inputs == [root + "/data/*.csv"])
        #expect(pipeline.reportsRoot == root + "/reports")
        #expect(pipeline.name == "p")
        #expect(pipeline.catalog == .standard)
        #expect(pipeline.report == ReportOptions())
        #expect(pipeline.sha256.count == 64)
    }

    @Test func optionsAreRead() throws {
        let pipeline = try load(minimal + """
            name: public
            report: { min_cell: 11, sites: false, title: Outcomes, trend_months: 6 }
            quality: { max_reject_rate: 0.02 }
            permissions: { group: clinic }
            """)
        #expect(pipeline.name == "public")
        #expect(pipeline.report == ReportOptions(minCell: 11, siteBreakdown: false, title: "Outcomes", trendMonths: 6))
        #expect(pipeline.quality.maxRejectRate == 0.02)
        #expect(pipeline.group == "clinic")
    }

    @Test func catalogueOverridesAndAdditions() throws {
        let pipeline = try load(minimal + """
            catalog:
              instruments:
                phq9: { min_baseline: 5, remission: 5 }
                hads: { name: HADS, floor: 0, max: 21, min_baseline: 8, response: 10 points, remission: none, aliases: [hads-a] }
              modalities:
                tms: { acute_sessions: 30 }
                inpatient: { name: Inpatient care, instruments: [hamd17, hads], gap_days: 90, follow_up_days: 14 }
            """)
        let catalog = pipeline.catalog
        #expect(catalog.instrument(named: "phq9")?.minBaseline == 5)
        #expect(catalog.instrument(named: "phq9")?.remission == 5)
        #expect(catalog.instrument(named: "HADS-A")?.response == .points(10))
        #expect(catalog.instrument(named: "hads")?.remission == nil)
        #expect(catalog.modality(named: "tms")?.acuteSessions == 30)
        #expect(catalog.modality(named: "inpatient")?.horizonDays == nil)
        #expect(catalog.modalities.map(\.id).contains("inpatient"))
    }

    @Test func sessionBinsAreReadAndChecked() throws {
        let pipeline = try load(minimal + "catalog: { modalities: { tms: { session_bins: [1, 10, 20] }, bhrt: { session_bins: null } } }")
        #expect(pipeline.catalog.modality(named: "tms")?.sessionBins == [1, 10, 20])
        #expect(pipeline.catalog.modality(named: "ketamine")?.sessionBins == [1, 4, 6])
        #expect(pipeline.catalog.modality(named: "bhrt")?.sessionBins == [])
        #expect(error(minimal + "catalog: { modalities: { tms: { session_bins: [2, 10] } } }").contains("starting at 1 and ascending"))
        #expect(error(minimal + "catalog: { modalities: { tms: { session_bins: [1, 10, 10] } } }").contains("starting at 1 and ascending"))
    }

    @Test func errorsNameTheFileLineAndKey() {
        let typo = error(minimal + "report:\n  min_cel: 11\n")
        #expect(typo.contains("p.yaml, line 5"), "\(typo)")
        #expect(typo.contains("unknown key \"min_cel\" (did you mean min_cell?)"), "\(typo)")
        #expect(error(minimal + "quality: { max_reject_rate: 2 }").contains("quality.max_reject_rate: 2 is outside 0.0–1.0"))
        #expect(error("inputs: [a]\nreports: r\n").contains("needs store"))
        #expect(error(minimal + "catalog: { modalities: { tms: { gap_days: soon } } }").contains("catalog.modalities.tms.gap_days: expected a whole number"))
        #expect(error(minimal + "catalog: { modalities: { new: { gap_days: 3 } } }").contains("a new modality needs instruments"))
        #expect(error(minimal + "catalog: { modalities: { tms: { instruments: [hads] } } }").contains("unknown instrument \"hads\""))
        #expect(error(minimal + "catalog: { instruments: { phq9: { response: half } } }").contains("response must be a percentage"))
        #expect(error(": : :").contains("not valid YAML"))
        #expect(error("").contains("empty"))
    }

    @Test func globsExpandInByteOrderOncePerFile() throws {
        let folder = TemporaryFolder()
        for name in ["b.csv", "a.csv", "B.csv", "c.txt"] { folder.write("data/\(name)", "x") }
        let path = folder.write("p.yaml", "store: s.sqlite\ninputs: [data/*.csv, data/a.csv]\nreports: r\n")
        let files = try PipelineDefinition.load(path: path).inputFiles().map(\.baseName)
        #expect(files == ["B.csv", "a.csv", "b.csv"])
    }

    @Test func lastCompleteMonthIsTheMonthBeforeToday() {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let date = calendar.date(from: DateComponents(year: 2026, month: 1, day: 15))!
        #expect(PipelineRunner.lastCompleteMonth(today: date, calendar: calendar).description == "2025-12")
    }

    @Test func pathsAreNormalizedLexically() {
        #expect(lexicallyNormalized("pipelines/../reports/x") == "reports/x")
        #expect(lexicallyNormalized("/a/./b/../c") == "/a/c")
        #expect(lexicallyNormalized("../a") == "../a")
        #expect(lexicallyNormalized("a/../../b/*.csv") == "../b/*.csv")
    }
}
