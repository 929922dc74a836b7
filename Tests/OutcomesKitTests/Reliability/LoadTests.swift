import Foundation
import GRDB
import Testing
@testable import OutcomesKit

/// A large ingest with 1 % garbage keeps every good row and every reject with
/// its reason, and the counts match exactly what the generator wrote.
/// `make test`: about 50 000 rows. `make load`: about 10 million
/// (`OUTCOMES_LOAD_PATIENTS=420000`, release build).
@Suite struct LoadTests {
    static var patients: Int { Int(ProcessInfo.processInfo.environment["OUTCOMES_LOAD_PATIENTS"] ?? "") ?? 2_000 }

    @Test func everyGoodRowAndEveryRejectIsKeptWithExactCounts() throws {
        let folder = TemporaryFolder("outcomes-load")
        let options = SyntheticOptions(patients: Self.patients, seed: 77, from: SyntheticOptions.defaultFrom,
                                       to: SyntheticOptions.defaultTo, messyRate: 0.01, split: 1)
        let written = try SyntheticExport.write(options, to: folder.file("exports"))
        let store = try OutcomeStore(path: folder.file("store.sqlite"), mode: .create)
        let reports = try Ingestor(store: store, catalog: .standard).ingest(written.files.map { folder.file("exports/\($0)") })

        var loaded = 0, duplicates = 0, records = 0
        var rejects: [RejectReason: Int] = [:]
        for report in reports {
            guard case .loaded(let summary) = report.outcome else {
                Issue.record("\(report.line)")
                continue
            }
            loaded += summary.loaded
            duplicates += summary.duplicates
            records += summary.records
            rejects.merge(summary.rejects, uniquingKeysWith: +)
        }
        print("load test: \(records) records, \(loaded) loaded, \(duplicates) duplicates, \(rejects.values.reduce(0, +)) rejected")
        #expect(records == written.rows + written.messyRows)
        #expect(loaded == written.rows, "every good row is stored")
        #expect(duplicates == written.expectedDuplicates)
        #expect(rejects == written.expectedRejects, "every reject, with its reason")
        let (rows, rejectRows, integrity) = try store.read { db in
            (try Int.fetchOne(db, sql: "SELECT (SELECT count(*) FROM sessions) + (SELECT count(*) FROM scores)"),
             try Int.fetchOne(db, sql: "SELECT count(*) FROM rejects"),
             try String.fetchAll(db, sql: "PRAGMA integrity_check"))
        }
        #expect(rows == loaded)
        #expect(rejectRows == rejects.values.reduce(0, +))
        #expect(integrity == ["ok"])
    }
}
