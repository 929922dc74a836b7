import Foundation
import GRDB

/// The rows of a covered cut's report (schema v6): the outcome and
/// time-point rows of every window, site rows included, kept with the
/// coverage mark. A query of that cut filters them instead of reading any
/// course, so it costs the same at any size. Dropped with the coverage by
/// any ingest that stores a row dated on or before the cut.
public struct ReportRows: Codable, Equatable, Sendable {
    public let outcomeRows: [OutcomeRow]
    public let timePointRows: [TimePointRow]

    public init(outcomeRows: [OutcomeRow], timePointRows: [TimePointRow]) {
        self.outcomeRows = outcomeRows
        self.timePointRows = timePointRows
    }

    /// JSON, whose numbers read back as the same doubles (shortest round-trip form).
    func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return try encoder.encode(self)
    }

    static func decoded(_ data: Data) throws -> ReportRows {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return try decoder.decode(ReportRows.self, from: data)
    }
}

extension OutcomeStore {
    /// Rows a report keeps at most: a practice's report has hundreds (about
    /// 700 at 10M rows); a store of 150,000 sites has millions, whose JSON
    /// would cost gigabytes to build. Its queries read the course records.
    static let maxKeptReportRows = 20_000

    /// Keeps a report's rows with its cut's coverage mark, when the cut is
    /// covered under `catalog` (the report stored every record, and no file
    /// stored a row dated on or before the cut since) and they are at most
    /// `maxKeptReportRows`. Returns whether kept.
    @discardableResult
    public func keepReportRows(_ rows: ReportRows, catalog: Catalog, cut: Day) throws -> Bool {
        guard rows.outcomeRows.count + rows.timePointRows.count <= OutcomeStore.maxKeptReportRows else { return false }
        let blob = try rows.encoded()
        return try writeTransaction { db in
            try db.execute(sql: """
                UPDATE result_coverage SET rows = ?
                WHERE catalog_id = (SELECT id FROM result_catalogs WHERE sha256 = ?) AND cut = ? AND rows IS NULL
                """, arguments: [blob, OutcomeStore.resultFingerprint(catalog), cut.ordinal])
            return db.changesCount > 0
        }
    }

    /// The rows kept for `cut` under `catalog`, if its coverage holds them.
    public func reportRows(catalog: Catalog, cut: Day) throws -> ReportRows? {
        let blob = try read { db in
            try Data.fetchOne(db, sql: """
                SELECT v.rows FROM result_catalogs c JOIN result_coverage v ON v.catalog_id = c.id
                WHERE c.sha256 = ? AND v.cut = ? AND v.rows IS NOT NULL
                """, arguments: [OutcomeStore.resultFingerprint(catalog), cut.ordinal])
        }
        guard let blob else { return nil }
        do { return try ReportRows.decoded(blob) } catch {
            throw StoreError.inconsistent("the report rows kept for \(cut) cannot be read: \(error)")
        }
    }
}

/// What `outcomes doctor --deep` found of the report rows kept with coverage marks.
public struct ReportRowsCheck: Sendable {
    /// Covered cuts whose rows were recomputed and compared.
    public var cuts = 0
    /// One line per cut whose kept rows differ from a cold computation.
    public var problems: [String] = []
}

extension OutcomeStore {
    /// `outcomes doctor --deep`: for every cut that keeps report rows under
    /// `catalog`, computes the month cold from the rows (every patient's
    /// courses, folded as a report does) and compares.
    public func verifyReportRows(catalog: Catalog) throws -> ReportRowsCheck {
        let cuts = try read { db in
            try Int32.fetchAll(db, sql: """
                SELECT v.cut FROM result_catalogs c JOIN result_coverage v ON v.catalog_id = c.id
                WHERE c.sha256 = ? AND v.rows IS NOT NULL ORDER BY v.cut
                """, arguments: [OutcomeStore.resultFingerprint(catalog)])
        }
        var check = ReportRowsCheck()
        guard !cuts.isEmpty else { return check }
        let patients = try read { db in try Int32.fetchAll(db, sql: "SELECT id FROM patients ORDER BY id") }
        for ordinal in cuts {
            let cut = Day(ordinal: ordinal)
            // Reports keep rows at a month's last day only.
            let month = YearMonth(containing: cut)
            guard let kept = try reportRows(catalog: catalog, cut: cut), cutDate(of: month) == cut else {
                check.problems.append("rows kept for \(cut), which is no month's last day")
                continue
            }
            let (siteNames, firstDay) = try siteNamesAndFirstSessionDay(asOf: cut)
            var fold = MonthFold(month: month, firstSessionDay: firstDay, siteNames: siteNames, catalog: catalog)
            try computeRecords(of: patients, catalog: catalog, cut: cut) { records, _, _ in
                for record in records { fold.add(record) }
            }
            let result = fold.finish().result
            check.cuts += 1
            if kept != ReportRows(outcomeRows: result.outcomeRows, timePointRows: result.timePointRows) {
                check.problems.append("the rows kept for \(month) differ from the rows")
            }
        }
        return check
    }
}
