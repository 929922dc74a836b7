import Foundation
import Testing
@testable import OutcomesKit

/// A month's outcome files depend only on the rows stored and the catalogue,
/// never on how the exports arrived: in which splits and order, with late
/// files extending courses that an earlier report saw as finished, with an
/// old month run again, or with the catalogue changed between runs. The
/// store keeps course results between reports (schema v5) and an ingest cuts
/// short those its rows change: every month's files, and every course record
/// (open courses too), must equal those of a cold store holding the same
/// files, and the kept records must actually be reused.
@Suite struct IngestOrderTests {
    static let outcomeFiles = ["outcomes.csv", "retention.csv", "timepoints.csv"]

    /// The three outcome files of `month` from `store`, and the report's rows.
    static func outcomeFiles(_ store: OutcomeStore, month: YearMonth, catalog: Catalog) throws -> [String: String] {
        try report(store, month: month, catalog: catalog).files
    }

    static func report(_ store: OutcomeStore, month: YearMonth, catalog: Catalog) throws -> (files: [String: String], rows: ReportRows) {
        let report = try ReportBuilder.build(try store.reportInput(catalog: catalog, asOf: cutDate(of: month)),
                                             settings: ReportSettings(month: month, catalog: catalog))
        return (Dictionary(uniqueKeysWithValues: outcomeFiles.map { ($0, report.files[$0] ?? "") }),
                ReportRows(outcomeRows: report.result.outcomeRows, timePointRows: report.result.timePointRows))
    }

    /// The same files (and rows) from a fresh store holding `files`, ingested in their natural (date) order at once.
    static func cold(_ files: [String], month: YearMonth, catalog: Catalog) throws -> (files: [String: String], rows: ReportRows) {
        let folder = TemporaryFolder("outcomes-cold")
        let store = try OutcomeStore(path: folder.file("cold.sqlite"), mode: .create)
        _ = try Ingestor(store: store, catalog: catalog).ingest(files.sorted().map { InputPath($0) })
        return try report(store, month: month, catalog: catalog)
    }

    /// The course records as of `month`'s cut computed from a fresh store
    /// holding `files` ingested in the order given (so that patient and site
    /// keys are those of the store that received them in that order).
    static func coldRecords(_ files: [String], month: YearMonth, catalog: Catalog) throws -> [CourseRecord] {
        let folder = TemporaryFolder("outcomes-cold-records")
        let store = try OutcomeStore(path: folder.file("cold.sqlite"), mode: .create)
        _ = try Ingestor(store: store, catalog: catalog).ingest(files.map { InputPath($0) })
        let records = try store.courseRecords(catalog: catalog, asOf: cutDate(of: month), store: false)
        #expect(records.reusedPatients == 0)
        return records.records
    }

    @Test(arguments: [UInt64(3), 17])
    func reportsEqualAColdRebuildWhateverTheArrivalOrder(seed: UInt64) throws {
        // Clean rows only: of two conflicting rows the first stored stays (§2), so with
        // conflicts the order may rightly change what is stored.
        let data = TemporaryFolder("outcomes-exports")
        let options = SyntheticOptions(patients: 160, seed: seed, from: day("2025-05-01"), to: day("2026-10-31"),
                                       messyRate: 0, split: 18)
        let files = try SyntheticExport.write(options, to: data.path).files.map(data.file)
        // Monthly exports, sessions and scores of each month together, mostly in date order,
        // but a file now and then held back and delivered a few runs late.
        var random = SyntheticRandom(seed: seed)
        var pending = files.sorted { $0.split(separator: "_").dropFirst().joined() < $1.split(separator: "_").dropFirst().joined() }
        var late: [String] = []
        var deliveries: [[String]] = []
        while !pending.isEmpty || !late.isEmpty {
            var batch: [String] = []
            for _ in 0..<min(random.int(2...6), pending.count) {
                let file = pending.removeFirst()
                if random.chance(0.15) { late.append(file) } else { batch.append(file) }
            }
            if pending.isEmpty || random.chance(0.3) {
                batch += late
                late.removeAll()
            }
            if !batch.isEmpty { deliveries.append(batch) }
        }
        #expect(deliveries.count >= 5)

        let folder = TemporaryFolder("outcomes-incremental")
        let store = try OutcomeStore(path: folder.file("store.sqlite"), mode: .create)
        var ingested: [String] = []
        var checked = 0   // comparisons of files with rows
        var reused = 0, recomputed = 0   // patients whose kept records a report read back, or had to compute
        var keptRowsChecked = 0   // months whose rows an earlier report kept and no ingest dropped
        var reported: Set<YearMonth> = []
        for (run, batch) in deliveries.enumerated() {
            // A catalogue override that changes between runs (a longer gap for TMS), as a pipeline file may.
            let catalog = run % 3 == 2 ? try Self.longerTMSGap() : Catalog.standard
            _ = try Ingestor(store: store, catalog: catalog).ingest(batch.map { InputPath($0) })
            ingested += batch
            // The month of the latest export delivered, and an older month run again.
            let months = ingested.compactMap(Self.lastMonth).sorted()
            guard let latest = months.last else { continue }
            let runMonths = Set([latest, latest.adding(months: -random.int(1...6))])
            defer { reported.formUnion(runMonths) }
            // Rows an earlier report kept that this batch's rows did not reach
            // (all dated after its cut): still what a cold store gives.
            for month in reported.subtracting(runMonths).sorted() {
                guard let rows = try store.reportRows(catalog: catalog, cut: cutDate(of: month)) else { continue }
                keptRowsChecked += 1
                #expect(rows == (try Self.cold(ingested, month: month, catalog: catalog)).rows,
                        "run \(run + 1), month \(month): kept report rows differ from a cold computation")
                break
            }
            for month in runMonths {
                let before = try store.courseRecords(catalog: catalog, asOf: cutDate(of: month), store: false)
                reused += before.reusedPatients
                recomputed += before.computedPatients
                // Rows an earlier report of this month kept, if no ingest since dropped them.
                let keptRows = try store.reportRows(catalog: catalog, cut: cutDate(of: month))
                let incremental = try Self.outcomeFiles(store, month: month, catalog: catalog)
                let rebuilt = try Self.cold(ingested, month: month, catalog: catalog)
                for name in Self.outcomeFiles {
                    #expect(incremental[name] == rebuilt.files[name], "run \(run + 1), month \(month), \(name)")
                }
                if let keptRows {
                    keptRowsChecked += 1
                    #expect(keptRows == rebuilt.rows, "run \(run + 1), month \(month): kept report rows differ from a cold computation")
                }
                #expect(try store.reportRows(catalog: catalog, cut: cutDate(of: month)) == rebuilt.rows, "run \(run + 1), month \(month)")
                // The report kept every patient's records: read back, they equal a cold computation's.
                let kept = try store.courseRecords(catalog: catalog, asOf: cutDate(of: month), store: false)
                #expect(kept.computedPatients == 0, "run \(run + 1), month \(month)")
                #expect(kept.records == (try Self.coldRecords(ingested, month: month, catalog: catalog)), "run \(run + 1), month \(month): kept records differ from a cold computation")
                // Early months may have no finished course yet; most must have rows.
                if incremental["outcomes.csv"]!.split(separator: "\n").count > 1 { checked += 1 }
            }
        }
        #expect(checked >= 8)
        #expect(keptRowsChecked > 0, "no month's kept rows outlived an ingest")
        // Reports reused kept records, and recomputed only some patients.
        #expect(reused > 0 && recomputed > 0 && reused > recomputed / 4, "reused \(reused), recomputed \(recomputed)")
    }

    /// The last month an export named `sessions_2026-03-01_2026-03-31.csv` covers.
    static func lastMonth(_ path: String) -> YearMonth? {
        let name = (path as NSString).lastPathComponent
        guard let last = name.split(separator: "_").last?.prefix(10), let day = Day(iso: String(last)) else { return nil }
        return YearMonth(containing: day)
    }

    static func longerTMSGap() throws -> Catalog {
        var modalities = Catalog.standard.modalities
        let index = try #require(modalities.firstIndex { $0.id == "tms" })
        modalities[index].gapDays += 21
        return try Catalog(instruments: Catalog.standard.instruments, modalities: modalities)
    }
}
