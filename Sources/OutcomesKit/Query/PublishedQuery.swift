/// A query under a pipeline shows what that pipeline's report shows: with a
/// small-cell policy (the public profile), each row comes from the report of
/// its month, through the same disclosure plan, so a query can never print
/// a count the report withholds, nor one that would give a withheld count
/// away.
extension OutcomeQuery {
    /// The matching `outcomes.csv` rows as the report under `options` shows them.
    public func shownRows(store: OutcomeStore, catalog: Catalog, options: ReportOptions, pipeline: String) throws -> [MaskedOutcomeRow] {
        guard options.minCell != nil else {
            return try rows(store: store, catalog: catalog).enumerated().map { Disclosure.none.outcome($1, at: $0) }
        }
        return try reports(store: store, catalog: catalog, options: options, pipeline: pipeline).flatMap { content, disclosure in
            content.result.outcomeRows.enumerated().compactMap { index, row in
                matches(row.window, row.modality, row.instrument, row.site, catalog: catalog) ? disclosure.outcome(row, at: index) : nil
            }
        }
    }

    /// The matching `timepoints.csv` rows as the report under `options` shows them.
    public func shownTimePointRows(store: OutcomeStore, catalog: Catalog, options: ReportOptions, pipeline: String) throws -> [MaskedTimePointRow] {
        guard options.minCell != nil else {
            return try timePointRows(store: store, catalog: catalog).enumerated().map { Disclosure.none.timePoint($1, at: $0) }
        }
        return try reports(store: store, catalog: catalog, options: options, pipeline: pipeline).flatMap { content, disclosure in
            content.result.timePointRows.enumerated().compactMap { index, row in
                matches(row.window, row.modality, row.instrument, row.site, catalog: catalog) ? disclosure.timePoint(row, at: index) : nil
            }
        }
    }

    /// The report content and disclosure plan of each month the query covers.
    private func reports(store: OutcomeStore, catalog: Catalog, options: ReportOptions, pipeline: String) throws -> [(ReportContent, Disclosure)] {
        try validate(catalog: catalog)
        if !options.siteBreakdown, site != nil || breakdown == .site { throw QueryError.sitesNotPublished(pipeline: pipeline) }
        let months = breakdown == .month ? self.months : [month]
        return try months.map { current in
            let input = try store.reportInput(catalog: catalog, asOf: cutDate(of: current))
            if let site, !input.events.siteNames.contains(site) {
                let known = Set(input.events.siteNames.filter { !$0.isEmpty }).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
                throw QueryError.unknownSite(site, known: known)
            }
            let (content, _) = try ReportBuilder.content(input, settings: ReportSettings(month: current, catalog: catalog, options: options))
            return (content, Disclosure.plan(content))
        }
    }
}
