import Foundation
import Testing
@testable import OutcomesKit

/// Course results kept in the store (schema v5): read back, they equal what
/// was computed; an ingest cuts short exactly the spans its rows change.
@Suite struct CourseResultsTests {
    static func store(patients: Int = 120, seed: UInt64 = 5) throws -> (TemporaryFolder, OutcomeStore) {
        let test = try TestStore.synthetic(SyntheticOptions(patients: patients, seed: seed, from: day("2025-05-01"), to: day("2026-10-31"),
                                                            messyRate: 0, split: 1))
        return (test.folder, test.store)
    }

    @Test func keptRecordsReadBackEqualTheComputedOnes() throws {
        // The folder holds the store's file: kept until the test ends.
        let (folder, store) = try Self.store()
        defer { withExtendedLifetime(folder) {} }
        for month in ["2026-03", "2026-10"] {
            let cut = cutDate(of: YearMonth(month)!)
            let computed = try store.courseRecords(catalog: .standard, asOf: cut, store: true)
            #expect(computed.computedPatients > 0 && computed.stored)
            let readBack = try store.courseRecords(catalog: .standard, asOf: cut, store: true)
            #expect(readBack.computedPatients == 0 && readBack.reusedPatients > 0)
            #expect(readBack.records.count == computed.records.count)
            for (a, b) in zip(readBack.records, computed.records) where a != b {
                Issue.record("\(month): read back \(a)\ncomputed \(b)")
                break
            }
        }
    }

    /// A first report writes its records without the cell index and builds it
    /// after; a report stopped in between leaves it missing, and the next
    /// report that marks its cut covered builds it again.
    @Test func theCellIndexIsBuiltAfterAFirstReportAndRepaired() throws {
        // The folder holds the store's file: kept until the test ends.
        let (folder, store) = try Self.store()
        defer { withExtendedLifetime(folder) {} }
        func hasIndex() throws -> Bool {
            try store.read { db in
                try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = 'course_results_by_cell')") ?? false
            }
        }
        let march = cutDate(of: YearMonth("2026-03")!), october = cutDate(of: YearMonth("2026-10")!)
        #expect(try store.courseRecords(catalog: .standard, asOf: october, store: true).stored)
        #expect(try hasIndex())
        try store.writeTransaction { db in try db.execute(sql: "DROP INDEX course_results_by_cell") }
        // March: most patients' October spans hold no March cut, so this is bulk again;
        // then October once more with one patient's row new: not bulk, and covered.
        #expect(try store.courseRecords(catalog: .standard, asOf: march, store: true).stored)
        #expect(try hasIndex())
        try store.writeTransaction { db in
            try db.execute(sql: "DROP INDEX course_results_by_cell")
            try db.execute(sql: "DELETE FROM result_coverage")
            try db.execute(sql: "DELETE FROM patient_results WHERE patient_id = (SELECT min(patient_id) FROM patient_results)")
        }
        let again = try store.courseRecords(catalog: .standard, asOf: october, store: true)
        #expect(again.computedPatients == 1 && again.stored)
        #expect(try hasIndex())
    }

    @Test func queriesFromKeptResultsEqualQueriesFromTheRows() throws {
        // The folder holds the store's file: kept until the test ends.
        let (folder, store) = try Self.store(patients: 200, seed: 9)
        defer { withExtendedLifetime(folder) {} }
        let month = YearMonth("2026-09")!
        let site = try #require(try store.siteNamesAndFirstSessionDay(asOf: cutDate(of: month)).siteNames.first { !$0.isEmpty })
        let queries = [
            OutcomeQuery(month: month),
            OutcomeQuery(month: month, window: .twelveMonths, modality: "tms", site: site),
            OutcomeQuery(month: month, modality: "ketamine_iv", breakdown: .site),
            OutcomeQuery(month: month, window: .month, instrument: "phq9"),
            OutcomeQuery(month: month, modality: "esketamine", breakdown: .month),
        ]
        let fromRows = try queries.map { try $0.rows(store: store, catalog: .standard) }
        let pointsFromRows = try queries.map { try $0.timePointRows(store: store, catalog: .standard) }
        #expect(fromRows.allSatisfy { !$0.isEmpty }, "\(fromRows.map(\.count))")
        for offset in 0..<12 {
            _ = try store.courseRecords(catalog: .standard, asOf: cutDate(of: month.adding(months: -offset)), store: true)
        }
        #expect(try store.coveredResults(catalog: .standard, cut: cutDate(of: month)) != nil)
        for (index, query) in queries.enumerated() {
            #expect(try query.rows(store: store, catalog: .standard) == fromRows[index], "\(query)")
            #expect(try query.timePointRows(store: store, catalog: .standard) == pointsFromRows[index], "\(query)")
        }
        // Each month's report keeps its rows with the coverage (schema v6): queries read them.
        for offset in 0..<12 {
            let reported = month.adding(months: -offset)
            _ = try ReportBuilder.build(try store.reportInput(catalog: .standard, asOf: cutDate(of: reported)),
                                        settings: ReportSettings(month: reported))
            #expect(try store.reportRows(catalog: .standard, cut: cutDate(of: reported)) != nil, "\(reported)")
        }
        for (index, query) in queries.enumerated() {
            #expect(try query.rows(store: store, catalog: .standard) == fromRows[index], "\(query)")
            #expect(try query.timePointRows(store: store, catalog: .standard) == pointsFromRows[index], "\(query)")
        }
        #expect(throws: QueryError.self) { try OutcomeQuery(month: month, site: "No Such Site").rows(store: store, catalog: .standard) }
        // A new file with a row dated 2026-09-03 drops the coverage (and rows) of
        // that cut and later ones: queries compute from the rows again. August's stay.
        let extra = TemporaryFolder("outcomes-results-extra")
        try "patient_id,session_date,modality,site\nP-NEW-1,2026-09-03,tms,\(site)\n".write(toFile: extra.file("sessions_extra.csv"), atomically: true, encoding: .utf8)
        _ = try Ingestor(store: store, catalog: .standard).ingest([InputPath(extra.file("sessions_extra.csv"))])
        #expect(try store.coveredResults(catalog: .standard, cut: cutDate(of: month)) == nil)
        #expect(try store.reportRows(catalog: .standard, cut: cutDate(of: month)) == nil)
        #expect(try store.reportRows(catalog: .standard, cut: cutDate(of: month.adding(months: -1))) != nil)
    }

    /// A report of a store without patients marks its cut covered; the first
    /// rows stored must drop that mark, or the next report would read no course.
    @Test func aCutCoveredWithNoPatientIsDroppedByTheFirstRows() throws {
        let folder = TemporaryFolder("outcomes-results-empty")
        try "patient_id,session_date,modality,site\n".write(toFile: folder.file("sessions_empty.csv"), atomically: true, encoding: .utf8)
        let store = try OutcomeStore(path: folder.file("s.sqlite"), mode: .create)
        _ = try Ingestor(store: store, catalog: .standard).ingest([InputPath(folder.file("sessions_empty.csv"))])
        let cut = cutDate(of: YearMonth("2026-10")!)
        #expect(try store.courseRecords(catalog: .standard, asOf: cut, store: true).records.isEmpty)
        #expect(try store.coveredResults(catalog: .standard, cut: cut) != nil)
        try "patient_id,session_date,modality,site\nP1,2026-09-01,tms,A\nP1,2026-09-02,tms,A\n"
            .write(toFile: folder.file("sessions_more.csv"), atomically: true, encoding: .utf8)
        _ = try Ingestor(store: store, catalog: .standard).ingest([InputPath(folder.file("sessions_more.csv"))])
        #expect(try store.coveredResults(catalog: .standard, cut: cut) == nil)
        #expect(try store.courseRecords(catalog: .standard, asOf: cut, store: true).records.count == 1)
    }

    /// `--db store.sqlite` (a bare name, in the working folder) is a writable
    /// store: its folder is ".", not "", and a report keeps its results there.
    @Test func aReportOfAStoreNamedBareKeepsItsResults() throws {
        let folder = TemporaryFolder("outcomes-results-bare")
        folder.write("sessions.csv", "patient_id,session_date,modality,site\nP1,2026-10-01,tms,A\nP1,2026-10-02,tms,A\n")
        #expect(try CommandLineTool.run(["ingest", "--db", "s.sqlite", "sessions.csv"], in: folder.path).status == 0)
        let report = try CommandLineTool.run(["report", "--db", "s.sqlite", "--month", "2026-10", "--out", "r"], in: folder.path)
        #expect(report.status == 0, "\(report.stderr)")
        let store = try OutcomeStore(path: folder.file("s.sqlite"), mode: .existing)
        #expect(try store.coveredResults(catalog: .standard, cut: cutDate(of: YearMonth("2026-10")!)) != nil)
    }

    @Test func anIngestCutsShortOnlyTheSpansItsRowsChange() throws {
        // The folder holds the store's file: kept until the test ends.
        let (folder, store) = try Self.store(patients: 60, seed: 11)
        defer { withExtendedLifetime(folder) {} }
        let march = cutDate(of: YearMonth("2026-03")!), october = cutDate(of: YearMonth("2026-10")!)
        _ = try store.courseRecords(catalog: .standard, asOf: march, store: true)
        _ = try store.courseRecords(catalog: .standard, asOf: october, store: true)
        let patient = try #require(try store.read { db in try String.fetchOne(db, sql: "SELECT pseudonym FROM patients WHERE id = 1") })
        // A score of patient 1 dated in June 2026: March's records still hold, October's not.
        let extra = TemporaryFolder("outcomes-results-score")
        try "patient_id,assessment_date,instrument,score\n\(patient),2026-06-15,phq9,12\n".write(toFile: extra.file("scores_extra.csv"), atomically: true, encoding: .utf8)
        _ = try Ingestor(store: store, catalog: .standard).ingest([InputPath(extra.file("scores_extra.csv"))])
        let inMarch = try store.courseRecords(catalog: .standard, asOf: march, store: false)
        let inOctober = try store.courseRecords(catalog: .standard, asOf: october, store: false)
        #expect(inMarch.computedPatients == 0)
        #expect(inOctober.computedPatients == 1)
        #expect(inOctober.reusedPatients > 30)
    }

    @Test func doctorDeepRecomputesKeptResultsAndFindsATamperedOne() throws {
        let (folder, store) = try Self.store(patients: 80, seed: 13)
        for month in ["2026-01", "2026-06", "2026-10"] {
            _ = try store.courseRecords(catalog: .standard, asOf: cutDate(of: YearMonth(month)!), store: true)
        }
        let sound = try store.verifyCourseResults(catalog: .standard)
        #expect(sound.problems.isEmpty, "\(sound.problems)")
        #expect(sound.records > 80 && sound.records == sound.spans)
        // Records kept under another catalogue are counted, not checked.
        #expect(try store.verifyCourseResults(catalog: try IngestOrderTests.longerTMSGap()).otherCatalogues == sound.spans)

        let deep = try CommandLineTool.run(["doctor", "--db", folder.file("store.sqlite"), "--deep"])
        #expect(deep.status == 0 && deep.stdout.contains("ok      course results: \(sound.records) patient spans recomputed"), "\(deep.stdout)")
        try store.writeTransaction { db in
            try db.execute(sql: """
                UPDATE course_results SET window_end = window_end + 1
                WHERE patient_id = (SELECT min(patient_id) FROM course_results)
                """)
        }
        let tampered = try store.verifyCourseResults(catalog: .standard)
        #expect(!tampered.problems.isEmpty)
        let found = try CommandLineTool.run(["doctor", "--db", folder.file("store.sqlite"), "--deep"])
        #expect(found.status == 4 && found.stdout.contains("PROBLEM course results:"), "\(found.stdout)")
    }

    @Test func doctorDeepRecomputesKeptReportRowsAndFindsSwappedOnes() throws {
        let (folder, store) = try Self.store(patients: 80, seed: 17)
        let months = [YearMonth("2026-06")!, YearMonth("2026-10")!]
        for month in months {
            _ = try ReportBuilder.build(try store.reportInput(catalog: .standard, asOf: cutDate(of: month)), settings: ReportSettings(month: month))
        }
        let sound = try store.verifyReportRows(catalog: .standard)
        #expect(sound.cuts == 2 && sound.problems.isEmpty, "\(sound.problems)")
        let deep = try CommandLineTool.run(["doctor", "--db", folder.file("store.sqlite"), "--deep"])
        #expect(deep.status == 0 && deep.stdout.contains("ok      report rows: 2 covered months"), "\(deep.stdout)")
        // June's rows kept as October's: found.
        try store.writeTransaction { db in
            try db.execute(sql: "UPDATE result_coverage SET rows = (SELECT rows FROM result_coverage WHERE cut = ?) WHERE cut = ?",
                           arguments: [cutDate(of: months[0]).ordinal, cutDate(of: months[1]).ordinal])
        }
        #expect(try store.verifyReportRows(catalog: .standard).problems.count == 1)
        let found = try CommandLineTool.run(["doctor", "--db", folder.file("store.sqlite"), "--deep"])
        #expect(found.status == 4 && found.stdout.contains("PROBLEM report rows:"), "\(found.stdout)")
    }
}
