extension ReportView {
    /// Item 9 (thoughts of self-harm) in both directions, and reliable
    /// deterioration on every scale that has a reliable-change value.
    func safetySection(into markdown: inout Markdown) {
        var text = ""
        if let itemNine = catalog.itemNineInstrument {
            text += itemNineTable(scale: instrumentName(itemNine))
        }
        text += "### Reliable deterioration\n\n"
        text += "A course **got reliably worse** when its endpoint is above its baseline by at least the scale's reliable-change "
        text += "value: more than measurement noise. This is a safety signal: each such course deserves a clinical review. "
        text += "Last 12 months, all sites, every scale with a reliable-change value; a zero is shown, not left out.\n\n"
        let rows = allSitesRows(.twelveMonths).filter { $0.row.deteriorated != nil }
        if rows.isEmpty {
            text += "No course with a follow-up score in the last 12 months on a scale with a reliable-change value.\n"
        } else {
            text += Markdown.table(
                ["Modality", "Scale", "Evaluable", "Reliably better", "Reliably worse", "Threshold"],
                rows.map { masked in
                    [modalityName(masked.row.modality), instrumentName(masked.row.instrument), Markdown.count(masked.evaluable),
                     Markdown.count(masked.improved), Markdown.count(masked.deteriorated),
                     "±\(catalog.instruments[masked.row.instrument].reliableChange ?? 0) points"]
                }, numeric: [2, 3, 4, 5])
        }
        markdown.raw(text)
    }

    /// Item 9 per modality, both ways: positive at baseline and how it ended,
    /// and negative at baseline but positive at the endpoint.
    private func itemNineTable(scale: String) -> String {
        var text = "### Thoughts of self-harm (\(scale) item 9)\n\n"
        text += "Courses whose \(scale) baseline recorded item 9 (\"thoughts that you would be better off dead, or of hurting "
        text += "yourself\"), judged in the last 12 months, all sites. Positive means any answer above \"not at all\". "
        text += "*Newly positive*: not positive at baseline, positive at the endpoint; each deserves a clinical review. "
        text += "Individual positive answers are followed up clinically at the time; these counts show the course of the group.\n\n"
        let summaries = content.result.summary.itemNine
            .filter { $0.baselineRecorded > 0 }
        guard !summaries.isEmpty else { return text + "No \(scale) baseline with item 9 in this period.\n\n" }
        var total = ItemNineSummary(modality: -1)
        for summary in summaries {
            total.baselineRecorded += summary.baselineRecorded
            total.positiveAtBaseline += summary.positiveAtBaseline
            total.resolved += summary.resolved
            total.persisted += summary.persisted
            total.unknownAtEndpoint += summary.unknownAtEndpoint
            total.emergent += summary.emergent
        }
        var rows = summaries.map { summary in
            [modalityName(summary.modality)] + disclosure.itemNine(modality: summary.modality, summary).map(Markdown.count)
        }
        let totals = disclosure.itemNine(modality: nil, total)
        rows.append(["**All**"] + totals.map { "**\(Markdown.count($0))**" })
        text += Markdown.table(
            ["Modality", "Item 9 at baseline", "Positive at baseline", "Resolved by the endpoint", "Still positive",
             "No item 9 at the endpoint", "Newly positive"], rows)
        let positive = totals[ItemNineCount.positiveAtBaseline.index], resolved = totals[ItemNineCount.resolved.index]
        let emergent = totals[ItemNineCount.emergent.index]
        text += "\nOf \(Markdown.count(positive)) courses positive on item 9 at baseline, \(Markdown.count(resolved)) were "
        text += "no longer positive at the endpoint. "
        if total.emergent == 0 {
            text += "No course turned positive during treatment.\n\n"
        } else {
            let one = emergent.shownValue == 1  // the wording never tells more than the count shown
            text += "\(Markdown.count(emergent)) course\(one ? "" : "s") not positive at baseline "
            text += "\(one ? "was" : "were") positive at the endpoint.\n\n"
        }
        return text
    }
}
