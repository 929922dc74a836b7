/// One month of a modality's trend, as shown.
struct TrendPoint {
    let month: YearMonth
    /// Evaluable courses judged that month (the figure behind `shownEvaluable`).
    let evaluable: Int
    let shownEvaluable: CountCell
    /// The response rate among them, when it may be shown.
    let response: Proportion?
}

extension ReportView {
    /// Each trend month of a modality, on its main scale, all sites.
    func trendPoints(_ modalityIndex: Int) -> [TrendPoint] {
        let instrument = mainScale(modalityIndex)
        return content.trend.enumerated().map { index, entry in
            let row = entry.rows.first { $0.site == .allSites && $0.modality == modalityIndex && $0.instrument == instrument }
            let evaluable = row?.evaluable ?? 0
            let shown = disclosure.trendPoint(modality: modalityIndex, index: index, evaluable: evaluable,
                                              responders: row?.responders ?? 0)
            return TrendPoint(month: entry.month, evaluable: evaluable, shownEvaluable: shown.evaluable, response: shown.response)
        }
    }

    /// The monthly response rate per treatment, as a chart and a table.
    func trendSection(into markdown: inout Markdown) {
        var text = "Response among evaluable courses, by the month each course was judged (the `month` window of each "
        text += "month's report), on each treatment's main scale. Each cell is *rate (evaluable courses)*.\n\n"
        text += "![Monthly response rate by modality](\(DirectorReport.trendChart))\n\n"
        let modalities = catalog.modalities.indices
        let header = ["Month"] + modalities.map { "\(modalityName($0)) (\(instrumentName(mainScale($0))))" }
        let series = modalities.map(trendPoints)
        let rows = content.trend.indices.map { index -> [String] in
            [content.trend[index].month.description] + series.map { points in
                let point = points[index]
                guard point.evaluable > 0 else { return "–" }
                let rate = point.response.map { Markdown.percent($0.rate) } ?? "–"
                return "\(rate) (\(Markdown.count(point.shownEvaluable)))"
            }
        }
        markdown.raw(text + Markdown.table(header, rows))
    }
}
