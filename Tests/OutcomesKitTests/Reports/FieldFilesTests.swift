import Foundation
import Testing
@testable import OutcomesKit

/// survival.csv, dropout.csv and by_sessions.csv as files: counts a reader
/// can check against the store, and the public profile's survival rule.
@Suite(.serialized) struct FieldFilesTests {
    @Test func dropoutCountsEqualASQLCountOverTheStore() throws {
        let folder = TemporaryFolder()
        // One ketamine course per patient (sessions 3 days apart, all in 2026): courses are patients.
        var sessions = "patient_id,session_date,modality,site\n"
        let lengths = [1, 1, 2, 3, 3, 4, 5, 6, 6, 6, 6, 7, 9]
        for (index, length) in lengths.enumerated() {
            for session in 0..<length {
                sessions += "P\(index),\(day("2026-03-02") + index * 10 + session * 3),ketamine,North\n"
            }
        }
        let store = folder.file("store.sqlite")
        let ingest = try CommandLineTool.run(["ingest", "--db", store, folder.write("sessions.csv", sessions)])
        #expect(ingest.status == 0, "\(ingest.stderr)")
        let report = try CommandLineTool.run(["report", "--db", store, "--month", "2026-07", "--out", folder.file("r")])
        #expect(report.status == 0, "\(report.stderr)")
        let dropout = try String(contentsOfFile: folder.file("r/dropout.csv"), encoding: .utf8)
        let rows: [[String]] = ReportAttacker.parseCSV(dropout).dropFirst().filter { $0[0] == "12m" && $0[3] == "ketamine_iv" }
        #expect(rows.count == 6)
        for row in rows {
            let k = Int(row[5])!
            let statement = "SELECT count(*) FROM (SELECT patient_id, count(*) AS n FROM sessions "
                + "WHERE modality = 'ketamine_iv' GROUP BY patient_id) WHERE n >= \(k)"
            let sql = try CommandLineTool.run(["sql", "--db", store, "--format", "csv", statement])
            #expect(sql.status == 0, "\(sql.stderr)")
            #expect(sql.stdout == "count(*)\n\(row[6])\n", "session \(k)")
        }
        // Session 1 is every course; the curve never rises.
        #expect(rows.first?[7] == "1.0000")
        let reached = rows.map { Int($0[6])! }
        #expect(zip(reached, reached.dropFirst()).allSatisfy { $0 >= $1 })
    }

    @Test func aPublicCurveHasOnlyFixedDaysAndStopsBeforeSmallCounts() throws {
        let folder = TemporaryFolder()
        let store = try AttackerTests.syntheticStore(patients: 2_500, seed: 11, in: folder)
        let settings = ReportSettings(month: YearMonth("2026-10")!, options: ReportOptions(minCell: 11, siteBreakdown: false))
        let files = try ReportBuilder.build(store: store, settings: settings).files
        let survival = files.files.first { $0.name == "survival.csv" }!.contents
        let records = ReportAttacker.records(survival)
        #expect(!records.isEmpty)
        for record in records {
            let fixed = record["curve"] == "durability" ? [28, 56, 84] : [7, 14, 28, 56]
            #expect(fixed.contains(Int(record["day"]!)!), "\(record)")
            #expect(Int(record["at_risk"]!)! >= 11)
            for column in ["events", "censored"] {
                let count = Int(record[column]!)!
                #expect(count == 0 || count >= 11, "\(column) \(count)")
            }
        }
        // The same store and month give the same bytes.
        let again = try ReportBuilder.build(store: store, settings: settings).files
        for name in ["survival.csv", "dropout.csv", "by_sessions.csv", "details.md"] {
            #expect(files.files.first { $0.name == name }?.contents == again.files.first { $0.name == name }?.contents, "\(name)")
        }
    }
}
