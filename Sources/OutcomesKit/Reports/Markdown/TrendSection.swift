extension ReportView {
    /// Each trend month's masked all-sites row for a modality's headline instrument.
    func trendRows(_ modalityIndex: Int) -> [(month: YearMonth, row: MaskedOutcomeRow?)] {
        let instrument = mainScale(modalityIndex)
        return content.trend.map { entry in
            let rows = entry.rows.filter { $0.site == .allSites && $0.modality == modalityIndex && $0.instrument == instrument }
            return (entry.month, policy.mask(rows).first)
        }
    }

    /// The monthly response rate per treatment, as a chart and a table.
    func trendSection(into markdown: inout Markdown) {
        var text = "Response among evaluable courses, by the month each course was judged (the `month` window of each "
        text += "month's report), on each treatment's main scale. Each cell is *rate (evaluable courses)*.\n\n"
        text += "![Monthly response rate by modality](\(DirectorReport.trendChart))\n\n"
        let modalities = catalog.modalities.indices
        let header = ["Month"] + modalities.map { "\(modalityName($0)) (\(instrumentName(mainScale($0))))" }
        let series = modalities.map(trendRows)
        let rows = content.trend.indices.map { index -> [String] in
            [content.trend[index].month.description] + series.map { entries in
                guard let masked = entries[index].row, masked.row.evaluable > 0 else { return "–" }
                let rate = masked.responseEvaluable.map { Markdown.percent($0.rate) } ?? "–"
                return "\(rate) (\(Markdown.count(masked.evaluable)))"
            }
        }
        markdown.raw(text + Markdown.table(header, rows))
    }
}
