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

    /// `--style messy-headers`: the same rows in other tools' spelling and order.
    @Test func theMessyHeadersStyleStoresTheSameRows() throws {
        func stored(_ style: SyntheticStyle, messyRate: Double) throws -> (rows: [String], rejects: [RejectReason: Int], firstLines: [String]) {
            var styled = options
            styled.style = style
            styled.messyRate = messyRate
            styled.split = 2
            let store = try TestStore(), data = TemporaryFolder()
            let summary = try SyntheticExport.write(styled, to: data.path)
            var rejects: [RejectReason: Int] = [:]
            for report in try Ingestor(store: store.store, catalog: .standard).ingest(summary.files.map(data.file)) {
                rejects.merge(try #require(store.summary(report), "\(report.line)").rejects, uniquingKeysWith: +)
            }
            let rows = try store.store.read { db in
                try String.fetchAll(db, sql: """
                    SELECT patient_id || ' ' || session_date || ' ' || modality || ' ' || ifnull(site, '') FROM session_view
                    UNION ALL
                    SELECT patient_id || ' ' || assessment_date || ' ' || instrument || ' ' || score || ' ' || ifnull(item9, '') FROM score_view
                    ORDER BY 1
                    """)
            }
            let scores = try #require(summary.files.first { $0.hasPrefix("scores") })
            // Messy rows hold bytes that are not UTF-8: decode leniently.
            let text = String(decoding: try #require(FileManager.default.contents(atPath: data.file(scores))), as: UTF8.self)
            return (rows, rejects, Array(text.split(separator: "\n").prefix(40).map(String.init)))
        }
        // Clean rows are stored alike; with messy rows, which of two conflicting rows is kept depends on
        // their order (the first), so there only the rejects are compared.
        let plain = try stored(.plain, messyRate: 0), messy = try stored(.messyHeaders, messyRate: 0)
        #expect(messy.rows == plain.rows && !plain.rows.isEmpty, "\(Set(messy.rows).symmetricDifference(plain.rows).sorted().prefix(6))")
        let plainRejects = try stored(.plain, messyRate: 0.05).rejects, messyRejects = try stored(.messyHeaders, messyRate: 0.05).rejects
        #expect(messyRejects == plainRejects && messyRejects.count == RejectReason.allCases.count)
        #expect(messy.firstLines[0] == "\u{FEFF}Patient_ID,ASSESSMENT_DATE,Instrument,SCORE,Item9")
        // Plain files group each patient's rows; the messy ones interleave patients.
        func patientChanges(_ lines: [String]) -> Int {
            let ids = lines.dropFirst().map { $0.prefix { $0 != "," } }
            return zip(ids, ids.dropFirst()).filter { $0 != $1 }.count
        }
        #expect(patientChanges(messy.firstLines) > 2 * patientChanges(plain.firstLines))
        #expect(messy.firstLines.dropFirst().contains { $0.contains(",PHQ-9,") || $0.contains(",Phq9,") || $0.contains(",PHQ9,") })
    }

    @Test func theShuffledPatientOrderIsAPermutation() {
        for count in [1, 2, 3, 10, 97, 300, 1024] {
            for seed: UInt64 in [1, 7, 11, 1 << 40] {
                let order = (0..<count).map { SyntheticExport.shuffledPosition($0, count: count, seed: seed) }
                #expect(Set(order) == Set(0..<count), "count \(count) seed \(seed)")
            }
        }
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
