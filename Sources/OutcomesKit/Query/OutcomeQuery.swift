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

    /// The months of a `--by month` breakdown: `from...to`, by default the 12
    /// months ending with `month`.
    public var months: [YearMonth] {
        let last = to ?? month
        let first = from ?? last.adding(months: -11)
        var months: [YearMonth] = []
        var current = first
        while current <= last {
            months.append(current)
            current = current.adding(months: 1)
        }
        return months
    }

    /// Checks the combination of options before anything is loaded.
    public func validate() throws(QueryError) {
        if breakdown == .month {
            if let window, window != .month {
                throw QueryError("--by month gives one `month` window row per month; drop --window \(window.rawValue)")
            }
            let months = self.months
            if months.isEmpty { throw QueryError("--from must not be after --to") }
            if months.count > 240 { throw QueryError("--by month covers at most 240 months") }
        } else if from != nil || to != nil {
            throw QueryError("--from and --to go with --by month")
        }
    }

    /// Runs the query: loads only what it needs, computes with the report's
    /// engine, and keeps the matching rows in `outcomes.csv` order.
    public func rows(store: OutcomeStore, catalog: Catalog) throws -> [OutcomeRow] {
        try validate()
        let months = breakdown == .month ? self.months : [month]
        let lastMonth = months.max()!
        let input = try store.outcomeInput(catalog: catalog, asOf: cutDate(of: lastMonth),
                                           modalities: modality.map { [$0] })
        if let site, !input.siteNames.contains(site) {
            let known = Set(input.siteNames.filter { !$0.isEmpty }).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            throw QueryError("no site \"\(site)\" in the store; sites: \(known.joined(separator: ", "))")
        }
        let events = OutcomeEngine.prepare(input, catalog: catalog)
        var rows: [OutcomeRow] = []
        for current in months {
            let result = OutcomeEngine.compute(events, catalog: catalog, month: current,
                                               only: breakdown == .month ? [.month] : window.map { [$0] })
            rows += result.outcomeRows.filter { matches($0) && (breakdown != .month || $0.window.kind == .month) }
        }
        return rows
    }

    /// Whether a row answers this query.
    func matches(_ row: OutcomeRow) -> Bool {
        if let window, row.window.kind != window { return false }
        if let modality, row.modality != modality { return false }
        if let instrument, row.instrument != instrument { return false }
        if let site { return row.site == .site(site) }
        return breakdown == .site || row.site == .allSites
    }
}

/// A query that cannot be answered as asked.
public struct QueryError: Error, CustomStringConvertible, Equatable {
    public let description: String
    public init(_ description: String) { self.description = description }
}

extension Catalog {
    /// The canonical id of a modality named by id or alias, or an error that
    /// suggests the closest names.
    public func resolveModality(_ name: String) throws(QueryError) -> String {
        if let modality = modality(named: name) { return modality.id }
        let hint = closestNames(to: name, among: .modality)
        throw QueryError("unknown modality \"\(name)\"" + (hint.isEmpty ? "; known: \(modalities.map(\.id).joined(separator: ", "))"
                                                                   : " (did you mean \(hint.joined(separator: ", "))?)"))
    }

    /// The canonical id of an instrument named by id or alias, or an error
    /// that suggests the closest names.
    public func resolveInstrument(_ name: String) throws(QueryError) -> String {
        if let instrument = instrument(named: name) { return instrument.id }
        let hint = closestNames(to: name, among: .instrument)
        throw QueryError("unknown instrument \"\(name)\"" + (hint.isEmpty ? "; known: \(instruments.map(\.id).joined(separator: ", "))"
                                                                     : " (did you mean \(hint.joined(separator: ", "))?)"))
    }
}
