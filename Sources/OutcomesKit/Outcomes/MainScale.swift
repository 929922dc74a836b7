extension OutcomeResult {
    /// The scale a report's tables and charts show for a modality: its
    /// headline instrument (DATA-CONTRACT §4), or, when its headline is
    /// retention, the scale with the most evaluable courses in the last 12
    /// months (on a tie, the first listed).
    public func mainScale(of modality: Int, catalog: Catalog) -> Int {
        let spec = catalog.modalities[modality]
        guard spec.leadsWithRetention else { return catalog.headlineInstrument(of: modality) }
        var evaluable: [Int: Int] = [:]
        for row in outcomeRows where row.window.kind == .twelveMonths && row.modality == modality && row.site == .allSites {
            evaluable[row.instrument] = row.evaluable
        }
        let scales = catalog.instrumentIndices(of: spec, inListedOrder: true)
        return scales.enumerated().max {
            (evaluable[$0.element] ?? 0, -$0.offset) < (evaluable[$1.element] ?? 0, -$1.offset)
        }!.element
    }
}
