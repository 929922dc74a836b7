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
    /// Each trend point of a modality, on its main scale, all sites: a
    /// month, or with a trailing rate the month and the two before it.
    func trendPoints(_ modalityIndex: Int) -> [TrendPoint] {
        let instrument = mainScale(modalityIndex)
        let smoothing = content.trendSmoothing, trend = content.trend
        return (0..<content.shownTrendMonths).map { index in
            var evaluable = 0, responders = 0
            for entry in trend[index...(index + smoothing - 1)] {
                let row = entry.rows.first { $0.site == .allSites && $0.modality == modalityIndex && $0.instrument == instrument }
                evaluable += row?.evaluable ?? 0
                responders += row?.responders ?? 0
            }
            let shown = disclosure.trendPoint(modality: modalityIndex, index: index, evaluable: evaluable, responders: responders)
            return TrendPoint(month: trend[index + smoothing - 1].month, evaluable: evaluable, shownEvaluable: shown.evaluable,
                              response: shown.response)
        }
    }

    /// What each trend point is, in words, for the section and the chart.
    var trendRateWords: String {
        content.trendSmoothing == 1 ? "each month's own rate"
            : "a trailing \(content.trendSmoothing)-month rate: the courses judged in the month and the \(content.trendSmoothing - 1) before it"
    }

    /// Treatments with no rate to show in the trend (too few courses, or withheld).
    func modalitiesWithoutTrend() -> [Int] {
        catalog.modalities.indices.filter { modality in trendPoints(modality).allSatisfy { $0.response == nil } }
    }

    /// The response rate per treatment over the trend's months, as a chart and a table.
    func trendSection(into markdown: inout Markdown) {
        var text = "Response among evaluable courses on each treatment's main scale, by the month each course was judged, "
        text += "as this report's data know them: the months add up to the 12-month figures, and a past month may change a "
        text += "little when late data arrive. Each point is \(trendRateWords)"
        text += content.trendSmoothing == 1 ? ". " : ", so that small months do not swing between 0 and 100 %. "
        let empty = modalitiesWithoutTrend(), hasChart = empty.count < catalog.modalities.count
        if hasChart {
            text += "In the chart, a point resting on fewer than \(ReportView.tooFewToJudge) courses is hollow and not joined to "
            text += "its neighbours, and every point carries its 95 % confidence interval. "
        }
        text += "Each table cell is *rate (evaluable courses)*.\n\n"
        if hasChart {
            text += "![Response rate by treatment over time](\(DirectorReport.trendChart))\n\n"
        }
        if !empty.isEmpty {
            let which = hasChart ? ReportView.listed(empty.map(modalityName)) : "any treatment"
            text += "No rate to show for \(which): too few courses"
            text += policy.isOn ? ", or counts withheld to protect small ones.\n\n" : ".\n\n"
        }
        let modalities = catalog.modalities.indices
        let header = [content.trendSmoothing == 1 ? "Month" : "\(content.trendSmoothing) months to"]
            + modalities.map { "\(modalityName($0)) (\(instrumentName(mainScale($0))))" }
        let series = modalities.map(trendPoints)
        let rows = (0..<content.shownTrendMonths).map { index -> [String] in
            [series.first?[index].month.description ?? ""] + series.map { points in
                let point = points[index]
                guard point.evaluable > 0 else { return "–" }
                let rate = point.response.map { Markdown.percent($0.rate) } ?? "–"
                return "\(rate) (\(Markdown.count(point.shownEvaluable)))"
            }
        }
        markdown.raw(text + Markdown.table(header, rows))
    }
}
