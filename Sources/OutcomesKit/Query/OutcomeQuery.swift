/// A question the director asks between reports ("TMS remission at the St.
/// Augustine site over the last 12 months?"), answered from the same engine
/// as the report, so that every number agrees with `outcomes.csv`.
public struct OutcomeQuery: Sendable, Equatable {
    /// Rows broken down by site, or one `month` row per month.
    public enum Breakdown: String, Sendable, CaseIterable { case site, month }

    public var month: YearMonth
    public var window: WindowKind?
    /// Canonical modality id.
    public var modality: String?
    /// Canonical instrument id.
    public var instrument: String?
    /// A stored site name, exactly.
    public var site: String?
    public var breakdown: Breakdown?
    /// First and last month of a `--by month` breakdown.
    public var from: YearMonth?
    public var to: YearMonth?

    public init(month: YearMonth, window: WindowKind? = nil, modality: String? = nil, instrument: String? = nil,
                site: String? = nil, breakdown: Breakdown? = nil, from: YearMonth? = nil, to: YearMonth? = nil) {
        self.month = month
        self.window = window
        self.modality = modality
        self.instrument = instrument
        self.site = site
        self.breakdown = breakdown
        self.from = from
        self.to = to
    }

    /// Most months a `--by month` breakdown covers.
    public static let maxMonths = 240

    /// The first and last month of a `--by month` breakdown: `from...to`, by
    /// default the 12 months ending with `month`.
    var monthRange: (first: YearMonth, last: YearMonth) {
        let last = to ?? month
        return (from ?? last.adding(months: -11), last)
    }

    /// The months of a `--by month` breakdown, counted by index (so a range
    /// at the calendar's end cannot loop).
    public var months: [YearMonth] {
        let (first, last) = monthRange
        guard first <= last, last.index - first.index < Self.maxMonths else { return [] }
        return (first.index...last.index).compactMap(YearMonth.init(index:))
    }

    /// Checks the combination of options, and the modality and instrument
    /// against the catalogue, before anything is loaded.
    public func validate(catalog: Catalog) throws(QueryError) {
        try validateOptions()
        if let modality, let instrument, let spec = catalog.modality(named: modality), !spec.instruments.contains(instrument) {
            throw QueryError.notAScaleOf(instrument: instrument, modality: modality, scales: spec.instruments)
        }
    }

    /// Checks the combination of options alone (no catalogue needed).
    public func validateOptions() throws(QueryError) {
        if breakdown == .month {
            if let window, window != .month { throw QueryError.windowWithMonthBreakdown(window) }
            let (first, last) = monthRange
            if first > last { throw QueryError.fromAfterTo }
            if last.index - first.index >= Self.maxMonths { throw QueryError.tooManyMonths(limit: Self.maxMonths) }
        } else if from != nil || to != nil {
            throw QueryError.rangeWithoutMonthBreakdown
        }
    }

    /// Runs the query: loads only what it needs, computes with the report's
    /// engine, and keeps the matching rows in `outcomes.csv` order.
    public func rows(store: OutcomeStore, catalog: Catalog) throws -> [OutcomeRow] {
        try results(store: store, catalog: catalog).flatMap { result in
            result.outcomeRows.filter { matches($0.window, $0.modality, $0.instrument, $0.site, catalog: catalog) }
        }
    }

    /// The matching rows of `timepoints.csv`, in its order.
    public func timePointRows(store: OutcomeStore, catalog: Catalog) throws -> [TimePointRow] {
        try results(store: store, catalog: catalog).flatMap { result in
            result.timePointRows.filter { matches($0.window, $0.modality, $0.instrument, $0.site, catalog: catalog) }
        }
    }

    /// The engine's results for each month the query covers: the rows kept
    /// by each month's report, when every month has them; else from the
    /// course results a report kept, when every patient has them for each
    /// month's cut; else computed from the rows. Only their rows are read.
    private func results(store: OutcomeStore, catalog: Catalog) throws -> [OutcomeResult] {
        try validate(catalog: catalog)
        let months = breakdown == .month ? self.months : [month]
        if let rows = try keptRows(store: store, catalog: catalog, months: months) { return rows }
        if let kept = try keptResults(store: store, catalog: catalog, months: months) { return kept }
        let lastMonth = months.max()!
        let input = try store.outcomeInput(catalog: catalog, asOf: cutDate(of: lastMonth),
                                           modalities: modality.map { [$0] })
        if let site { try requireKnown(site, among: input.siteNames) }
        let events = OutcomeEngine.prepare(input, catalog: catalog)
        return months.map { current in
            OutcomeEngine.compute(events, catalog: catalog, month: current, only: breakdown == .month ? [.month] : window.map { [$0] })
        }
    }

    /// The results of `months` from the rows their reports kept (nil unless
    /// every month has them): a report's rows are a query's rows for every
    /// window, modality, scale and site, filtered by `matches`.
    private func keptRows(store: OutcomeStore, catalog: Catalog, months: [YearMonth]) throws -> [OutcomeResult]? {
        var kept: [(YearMonth, ReportRows)] = []
        for month in months {
            guard let rows = try store.reportRows(catalog: catalog, cut: cutDate(of: month)) else { return nil }
            kept.append((month, rows))
        }
        if let site {
            let siteNames = try store.siteNamesAndFirstSessionDay(asOf: cutDate(of: months.max()!)).siteNames
            try requireKnown(site, among: siteNames)
        }
        return kept.map { month, rows in
            OutcomeResult(month: month, cut: cutDate(of: month), windows: [], courses: [], outcomeRows: rows.outcomeRows,
                          retentionRows: [], timePointRows: rows.timePointRows, summary: CourseSummary())
        }
    }

    /// Refuses a site the store does not know, naming those it does.
    private func requireKnown(_ site: String, among siteNames: [String]) throws {
        guard !siteNames.contains(site) else { return }
        let known = Set(siteNames.filter { !$0.isEmpty }).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        throw QueryError.unknownSite(site, known: known)
    }

    /// The results of `months` from kept course results, reading only the
    /// records of the cells asked about (modality, site, the windows' days)
    /// through the `course_results_by_cell` index; nil when a month's cut
    /// has no complete set of kept results.
    private func keptResults(store: OutcomeStore, catalog: Catalog, months: [YearMonth]) throws -> [OutcomeResult]? {
        var catalogIDs: [Int64] = []
        for month in months {
            guard let id = try store.coveredResults(catalog: catalog, cut: cutDate(of: month)) else { return nil }
            catalogIDs.append(id)
        }
        let lastMonth = months.max()!
        let (siteNames, firstDay) = try store.siteNamesAndFirstSessionDay(asOf: cutDate(of: lastMonth))
        var siteID: Int32?
        if let site {
            try requireKnown(site, among: siteNames)
            siteID = siteNames.firstIndex(of: site).map(Int32.init)
        }
        let only: Set<WindowKind>? = breakdown == .month ? [.month] : window.map { [$0] }
        return try zip(months, catalogIDs).map { month, catalogID in
            let windows = reportWindows(month: month, firstSessionDay: firstDay).filter { only?.contains($0.kind) ?? true }
            let days = windows.map(\.periodStart).min()!...windows.map(\.periodEnd).max()!
            let records = try store.storedRecords(catalogID: catalogID, catalog: catalog, cut: cutDate(of: month),
                                                  modality: modality.flatMap { catalog.modalityIndex(id: $0) }, site: siteID,
                                                  windowEnds: days)
            return OutcomeEngine.result(records: records, month: month, siteNames: siteNames, firstSessionDay: firstDay,
                                        catalog: catalog, only: only)
        }
    }

    /// Whether a row (of any of the files) answers this query.
    func matches(_ rowWindow: ReportWindow, _ rowModality: Int, _ rowInstrument: Int, _ rowSite: SiteSelector,
                 catalog: Catalog) -> Bool {
        if let window, rowWindow.kind != window { return false }
        if breakdown == .month, rowWindow.kind != .month { return false }
        if let modality, catalog.modalities[rowModality].id != modality { return false }
        if let instrument, catalog.instruments[rowInstrument].id != instrument { return false }
        if let site { return rowSite == .site(site) }
        return breakdown == .site || rowSite == .allSites
    }
}

extension Catalog {
    /// The canonical id of a modality named by id or alias, or an error that
    /// suggests the closest names.
    public func resolveModality(_ name: String) throws(QueryError) -> String {
        if let modality = modality(named: name) { return modality.id }
        throw QueryError.unknownName(kind: "modality", name: name, suggestions: closestNames(to: name, among: .modality),
                                     known: modalities.map(\.id))
    }

    /// The canonical id of an instrument named by id or alias, or an error
    /// that suggests the closest names.
    public func resolveInstrument(_ name: String) throws(QueryError) -> String {
        if let instrument = instrument(named: name) { return instrument.id }
        throw QueryError.unknownName(kind: "instrument", name: name, suggestions: closestNames(to: name, among: .instrument),
                                     known: instruments.map(\.id))
    }
}
