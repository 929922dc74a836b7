import Foundation
import Testing
@testable import OutcomesKit

/// `outcomes synth`: deterministic, realistic, and messy in every way the ingest must catch.
@Suite struct SyntheticExportTests {
    let options = SyntheticOptions(patients: 300, seed: 11, from: SyntheticOptions.defaultFrom,
                                   to: SyntheticOptions.defaultTo, messyRate: 0.05, split: 1)

    func contents(_ folder: TemporaryFolder) throws -> [String: Data] {
        var files: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) {
            files[name] = FileManager.default.contents(atPath: folder.file(name))
        }
        return files
    }

    @Test func sameArgumentsGiveTheSameBytes() throws {
        let first = TemporaryFolder(), second = TemporaryFolder()
        _ = try SyntheticExport.write(options, to: first.path)
        _ = try SyntheticExport.write(options, to: second.path)
        #expect(try contents(first) == contents(second))
        var other = options
        other.seed = 12
        let third = TemporaryFolder()
        _ = try SyntheticExport.write(other, to: third.path)
        #expect(try contents(first) != contents(third))
    }

    @Test func coversEveryModalityAndEveryRejectReason() throws {
        let store = try TestStore()
        let data = TemporaryFolder()
        let summary = try SyntheticExport.write(options, to: data.path)
        let reports = try Ingestor(store: store.store, catalog: .standard).ingest(summary.files.map(data.file))
        var reasons = Set<RejectReason>()
        var duplicates = 0
        for report in reports {
            guard let loaded = store.summary(report) else {
                Issue.record("\(report.line)")
                continue
            }
            reasons.formUnion(loaded.rejects.keys)
            duplicates += loaded.duplicates
        }
        #expect(reasons == Set(RejectReason.allCases))
        #expect(duplicates > 0)
        let modalities = try store.store.read { db in try String.fetchAll(db, sql: "SELECT DISTINCT modality FROM sessions ORDER BY 1") }
        #expect(modalities == Catalog.standard.modalities.map(\.id))
        #expect(try store.count("sites") == SyntheticPatient.sites.count)
    }

    @Test func splitFollowsCalendarMonths() {
        let periods = SyntheticExport.periods(from: day("2024-11-01"), to: day("2026-10-31"), count: 24)
        #expect(periods.count == 24)
        #expect(periods[0] == (day("2024-11-01"), day("2024-11-30")))
        #expect(periods[23] == (day("2026-10-01"), day("2026-10-31")))
        let short = SyntheticExport.periods(from: day("2026-10-01"), to: day("2026-10-10"), count: 2)
        #expect(short.map(\.first) == [day("2026-10-01"), day("2026-10-06")])
    }

    @Test func pseudonymsAreUniqueAndWellFormed() {
        let ids = (0..<20_000).map(SyntheticExport.pseudonym)
        #expect(Set(ids).count == ids.count)
        #expect(ids.allSatisfy { FieldRules.patientIDProblem(Array($0.utf8)) == nil && $0.count == 8 })
    }
}
