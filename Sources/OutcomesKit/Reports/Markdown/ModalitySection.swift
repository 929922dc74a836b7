extension ReportView {
    /// Per treatment and scale, every window: the tables behind the headlines.
    func modalityTables(into markdown: inout Markdown) {
        var text = "Rates are *share (95 % confidence interval)*; \"n/a\" means the scale has no such rule. "
        text += "Mean change is endpoint minus baseline over completers (negative is better).\n"
        for (modalityIndex, modality) in catalog.modalities.enumerated() {
            let instruments = catalog.instrumentIndices(of: modality)
            let rowsByInstrument = instruments.map { instrument in
                WindowKind.allCases.compactMap { row($0, modalityIndex, instrument) }
            }
            text += "\n### \(Markdown.escape(modality.name))\n"
            guard rowsByInstrument.contains(where: { !$0.isEmpty }) else {
                text += "\nNo closed course yet.\n"
                continue
            }
            for (instrument, rows) in zip(instruments, rowsByInstrument) where !rows.isEmpty {
                text += "\n**\(instrumentName(instrument))**\n\n"
                text += Markdown.table(
                    ["Window", "Courses", "No baseline", "Below threshold", "ITT", "Completers", "Responded (ITT)",
                     "Responded (completers)", "Remitted (ITT)", "Remitted (completers)", "Mean change",
                     "Reliably better", "Reliably worse", "Early responders", "Median sessions to response"],
                    rows.map { masked in
                        let remissionRule = masked.row.remitters != nil
                        return [ReportView.windowLabels[masked.row.window.kind]!,
                                Markdown.count(masked.courses), Markdown.count(masked.noBaseline),
                                Markdown.count(masked.belowThreshold), Markdown.count(masked.intentionToTreat),
                                Markdown.count(masked.completers),
                                Markdown.rateWithInterval(masked.responseITT),
                                Markdown.rateWithInterval(masked.responseCompleters),
                                remissionRule ? Markdown.rateWithInterval(masked.remissionITT) : "n/a",
                                remissionRule ? Markdown.rateWithInterval(masked.remissionCompleters) : "n/a",
                                meanChange(masked),
                                Markdown.count(masked.improved), Markdown.count(masked.deteriorated),
                                Markdown.count(masked.earlyResponders),
                                masked.medianSessionsToResponse.map { NumberFormat.fixed($0, decimals: 1) } ?? "–"]
                    })
            }
        }
        markdown.raw(text)
    }

    /// "−8.5 (18.0 → 9.5)", or "–" when withheld or undefined.
    func meanChange(_ masked: MaskedOutcomeRow) -> String {
        guard let change = masked.meanChange, let baseline = masked.meanBaseline, let endpoint = masked.meanEndpoint else { return "–" }
        return "\(Markdown.signed(change)) (\(NumberFormat.fixed(baseline, decimals: 1)) → \(NumberFormat.fixed(endpoint, decimals: 1)))"
    }
}
