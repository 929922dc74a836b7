extension ReportView {
    /// Per treatment, the last 12 months on every scale: what the outcomes
    /// were, and who was measured. (Each window and site is in `outcomes.csv`.)
    func modalityTables(into markdown: inout Markdown) {
        var text = "Last 12 months, all sites, every scale of each treatment. Rates are *share (95 % confidence interval)*; "
        text += "\"n/a\" means the scale has no such rule. *Evaluable*: a qualifying baseline and a follow-up score; "
        text += "*finished*: evaluable and finished the series, or responded sooner. Mean change is endpoint minus "
        text += "baseline over evaluable courses (negative is better). This month's and all-time figures, and each "
        text += "site's, are in `outcomes.csv`.\n"
        for modality in modalitiesBusiestFirst() {
            let spec = catalog.modalities[modality]
            let rows = catalog.instrumentIndices(of: spec).compactMap { row(.twelveMonths, modality, $0) }
            text += "\n### \(Markdown.escape(spec.name))\n"
            guard !rows.isEmpty else {
                text += "\nNo course ended in the last 12 months.\n"
                continue
            }
            text += "\n" + Markdown.table(
                ["Scale", "Evaluable", "Responded", "Remitted", "Recovered", "Finished", "Responded (finished)", "Mean change"],
                rows.map { masked in
                    [instrumentName(masked.row.instrument), Markdown.count(masked.evaluable),
                     Markdown.rateWithInterval(masked.responseEvaluable),
                     masked.row.remitters == nil ? "n/a" : Markdown.rateWithInterval(masked.remissionEvaluable),
                     masked.row.recovered == nil ? "n/a" : Markdown.rateWithInterval(recoveredShare(masked)),
                     Markdown.count(masked.completers), Markdown.rateWithInterval(masked.responseCompleters), meanChange(masked)]
                })
            text += "\n" + Markdown.table(
                ["Scale", "Courses", "No baseline", "Below threshold", "ITT", "Responded (ITT)", "Reliably better / worse",
                 "Early responders", "Sessions to response (median)"],
                rows.map { masked in
                    [instrumentName(masked.row.instrument), Markdown.count(masked.courses), Markdown.count(masked.noBaseline),
                     Markdown.count(masked.belowThreshold), Markdown.count(masked.intentionToTreat),
                     Markdown.rateWithInterval(masked.responseITT),
                     masked.row.improved == nil ? "n/a" : "\(Markdown.count(masked.improved)) / \(Markdown.count(masked.deteriorated))",
                     Markdown.count(masked.earlyResponders),
                     masked.medianSessionsToResponse.map { NumberFormat.fixed($0, decimals: 1) } ?? "–"]
                })
        }
        text += "\n*Early responders* (among ITT courses) had a score that met the response rule before their second "
        text += "session (a one-session course: by its window end). *Sessions to response* is, for each evaluable responder, "
        text += "the number of sessions given before the first score that met the rule: 1 for an early responder, 2 for "
        text += "one who first met it between the second and third session, and so on.\n"
        markdown.raw(text)
    }

    /// "−8.5 (18.0 → 9.5)", or "–" when withheld or undefined.
    func meanChange(_ masked: MaskedOutcomeRow) -> String {
        guard let change = masked.meanChange, let baseline = masked.meanBaseline, let endpoint = masked.meanEndpoint else { return "–" }
        return "\(Markdown.signed(change)) (\(NumberFormat.fixed(baseline, decimals: 1)) → \(NumberFormat.fixed(endpoint, decimals: 1)))"
    }
}
