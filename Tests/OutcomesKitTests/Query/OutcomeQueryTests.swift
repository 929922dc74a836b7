import Foundation
import Testing
@testable import OutcomesKit

/// `outcomes query` agrees exactly with `outcomes.csv`.
@Suite struct OutcomeQueryTests {
    /// A store of synthetic data with several sites, shared by the tests.
    static let shared: (folder: TemporaryFolder, store: String) = {
        let folder = TemporaryFolder("outcomes-query")
        let options = SyntheticOptions(patients: 400, seed: 3, from: day("2025-01-01"), to: day("2026-10-31"), messyRate: 0.01, split: 4)
        let summary = try! SyntheticExport.write(options, to: folder.file("exports"))
        let store = try! OutcomeStore(path: folder.file("store.sqlite"), mode: .create)
        _ = try! Ingestor(store: store, catalog: .standard).ingest(summary.files.map { folder.file("exports/\($0)") })
        return (folder, folder.file("store.sqlite"))
    }()

    /// `outcomes.csv` of a month, as `outcomes report` writes it.
    func reportLines(_ month: String) throws -> [String] {
        let store = try OutcomeStore(path: Self.shared.store, mode: .readOnly)
        let files = try ReportBuilder.build(store: store, settings: ReportSettings(month: YearMonth(month)!)).files
        return files["outcomes.csv"]!.split(separator: "\n").map(String.init)
    }

    func query(_ arguments: [String]) throws -> CommandLineTool.Result {
        try CommandLineTool.run(["query", "--db", Self.shared.store, "--format", "csv"] + arguments)
    }

    func expectSameRows(_ arguments: [String], month: String = "2026-10", where keep: ([String]) -> Bool) throws {
        let report = try reportLines(month)
        let expected = [report[0]] + report.dropFirst().filter { keep($0.split(separator: ",", omittingEmptySubsequences: false).map(String.init)) }
        let result = try query(["--month", month] + arguments)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.split(separator: "\n").map(String.init) == expected, "\(arguments)")
        #expect(expected.count > 1, "the filter \(arguments) should select rows")
    }

    @Test func allSitesRowsByDefault() throws {
        try expectSameRows([]) { $0[5] == "*" }
    }

    @Test func modalityByAliasAndInstrument() throws {
        try expectSameRows(["--modality", "NeuroStar TMS", "--instrument", "PHQ-9"]) { $0[3] == "tms" && $0[4] == "phq9" && $0[5] == "*" }
    }

    @Test func oneWindow() throws {
        try expectSameRows(["--window", "12m", "--modality", "ketamine"]) { $0[0] == "12m" && $0[3] == "ketamine_iv" && $0[5] == "*" }
    }

    @Test func bySite() throws {
        try expectSameRows(["--by", "site", "--modality", "ort"]) { $0[3] == "ort" }
    }

    @Test func oneSite() throws {
        try expectSameRows(["--site", "St. Augustine", "--window", "12m"]) { $0[0] == "12m" && $0[5] == "St. Augustine" }
    }

    @Test func byMonthMatchesEachMonthsReport() throws {
        let result = try query(["--month", "2026-10", "--by", "month", "--from", "2026-07", "--to", "2026-09", "--modality", "esketamine"])
        #expect(result.status == 0, "\(result.stderr)")
        var expected = [try reportLines("2026-07")[0]]
        for month in ["2026-07", "2026-08", "2026-09"] {
            expected += try reportLines(month).dropFirst().filter { line in
                let fields = line.split(separator: ",", omittingEmptySubsequences: false)
                return fields[0] == "month" && fields[3] == "esketamine" && fields[5] == "*"
            }
        }
        #expect(result.stdout.split(separator: "\n").map(String.init) == expected)
        #expect(expected.count == 7, "three months × two instruments")
    }

    @Test func jsonHasTypedNumbersWithTheCSVsDigits() throws {
        let result = try CommandLineTool.run(["query", "--db", Self.shared.store, "--month", "2026-10", "--modality", "tms",
                                              "--instrument", "phq9", "--window", "12m", "--format", "json"])
        let objects = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as! [[String: Any]]
        #expect(objects.count == 1)
        let csv = try query(["--month", "2026-10", "--modality", "tms", "--instrument", "phq9", "--window", "12m"])
            .stdout.split(separator: "\n")[1].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        #expect(objects[0]["courses"] as? Int == Int(csv[6]))
        let rate = OutcomeFiles.outcomesHeader.firstIndex(of: "response_rate_itt")!
        #expect((objects[0]["response_rate_itt"] as? NSNumber)?.doubleValue == Double(csv[rate]))
        #expect(objects[0]["site"] as? String == "*")
        #expect(result.stdout.contains("\"response_rate_itt\": \(csv[rate]),"), "the same digits as the CSV")
    }

    @Test func tableShowsPercentagesWithIntervals() throws {
        let result = try CommandLineTool.run(["query", "--db", Self.shared.store, "--month", "2026-10", "--modality", "tms",
                                              "--window", "12m", "--population", "itt"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("n (ITT)"))
        #expect(result.stdout.range(of: #"\d+\.\d % \(\d+\.\d–\d+\.\d\)"#, options: .regularExpression) != nil)
    }

    @Test func helpfulErrors() throws {
        let typo = try query(["--month", "2026-10", "--modality", "ketamin"])
        #expect(typo.status == 64)
        #expect(typo.stderr.contains("did you mean ketamine"))
        let instrument = try query(["--month", "2026-10", "--instrument", "phq-8"])
        #expect(instrument.stderr.contains("did you mean"))
        let site = try query(["--month", "2026-10", "--site", "Nowhere"])
        #expect(site.stderr.contains("no site \"Nowhere\"") && site.stderr.contains("St. Augustine"))
        let combination = try query(["--month", "2026-10", "--from", "2026-01"])
        #expect(combination.stderr.contains("--from and --to go with --by month"))
    }
}
