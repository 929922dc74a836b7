extension ReportView {
    /// Item 9 (thoughts of self-harm) and reliable deterioration.
    func safetySection(into markdown: inout Markdown) {
        var text = ""
        if let itemNine = catalog.itemNineInstrument {
            let scale = instrumentName(itemNine)
            text += "### Thoughts of self-harm (\(scale) item 9)\n\n"
            text += "Courses whose \(scale) baseline recorded item 9 (\"thoughts that you would be better off dead, or of hurting "
            text += "yourself\"), judged in the last 12 months. Positive means any answer above \"not at all\". Individual "
            text += "positive answers are followed up clinically at the time; these counts show the course of the group.\n\n"
            let summaries = itemNineSummaries(content.result, window: window(.twelveMonths), catalog: catalog)
            let rows = summaries.filter { $0.baselineRecorded > 0 }
            if rows.isEmpty {
                text += "No \(scale) baseline with item 9 in this period.\n"
            } else {
                text += Markdown.table(
                    ["Modality", "Item 9 at baseline", "Positive at baseline", "Resolved by the endpoint", "Still positive",
                     "No item 9 at the endpoint", "Newly positive at the endpoint"],
                    rows.map { summary in
                        [modalityName(summary.modality)]
                            + [summary.baselineRecorded, summary.positiveAtBaseline, summary.resolved, summary.persisted,
                               summary.unknownAtEndpoint, summary.emergent].map(count)
                    })
                let positive = rows.reduce(0) { $0 + $1.positiveAtBaseline }
                let resolved = rows.reduce(0) { $0 + $1.resolved }
                if positive > 0 {
                    text += "\nOf \(count(positive)) courses positive on item 9 at baseline, "
                    text += "\(count(resolved)) were no longer positive at the endpoint.\n"
                }
            }
            text += "\n"
        }

        text += "### Reliable deterioration\n\n"
        text += "A course **got reliably worse** when its endpoint is above its baseline by at least the scale's reliable-change "
        text += "value: more than measurement noise. This is a safety signal: each such course deserves a clinical review.\n\n"
        let worse = allSitesRows(.twelveMonths).filter { ($0.row.deteriorated ?? 0) > 0 }
        if worse.isEmpty {
            text += "No course got reliably worse in the last 12 months (on scales with a reliable-change value).\n"
        } else {
            text += Markdown.table(
                ["Modality", "Scale", "Evaluable", "Reliably worse", "Threshold"],
                worse.map { masked in
                    [modalityName(masked.row.modality),
                     instrumentName(masked.row.instrument), Markdown.count(masked.evaluable),
                     Markdown.count(masked.deteriorated),
                     "+\(catalog.instruments[masked.row.instrument].reliableChange ?? 0) points"]
                }, numeric: [2, 3, 4])
        }
        markdown.raw(text)
    }
}
