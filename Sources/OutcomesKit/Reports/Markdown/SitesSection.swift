extension ReportView {
    /// The last 12 months by site, on each treatment's headline scale.
    func siteTables(into markdown: inout Markdown) {
        var text = "Last 12 months, on each treatment's headline scale. A course belongs to the site of its first session.\n"
        for (modalityIndex, modality) in catalog.modalities.enumerated() {
            let instrument = mainScale(modalityIndex)
            let all = rows(.twelveMonths, modalityIndex, instrument)
            guard all.count > 1 else { continue }
            let (rows, omitted) = limitingSites(all, site: \.row.site, weight: \.row.courses)
            text += "\n### \(Markdown.escape(modality.name)) (\(instrumentName(instrument)))\n\n"
            text += Markdown.table(
                ["Site", "Courses", "ITT", "Evaluable", "Responded", "Remitted", "Finished", "Responded (finished)"],
                rows.map { masked in
                    [masked.row.site == .allSites ? "**All sites**" : Markdown.escape(masked.row.site.label),
                     Markdown.count(masked.courses), Markdown.count(masked.intentionToTreat),
                     Markdown.count(masked.evaluable), Markdown.rateWithInterval(masked.responseEvaluable),
                     masked.row.remitters == nil ? "n/a" : Markdown.rateWithInterval(masked.remissionEvaluable),
                     Markdown.count(masked.completers), Markdown.rateWithInterval(masked.responseCompleters)]
                })
            if omitted > 0 { text += ReportView.omittedSites(omitted, file: "outcomes.csv") }
        }
        markdown.raw(text)
    }
}
