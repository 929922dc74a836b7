extension ReportView {
    /// Response and remission per treatment, last 12 months (SVG).
    func responseChartSVG() -> String {
        let bars = catalog.modalities.indices.compactMap { modalityIndex -> Charts.RateBar? in
            let instrument = mainScale(modalityIndex)
            guard let masked = row(.twelveMonths, modalityIndex, instrument), masked.row.evaluable > 0 else { return nil }
            return Charts.RateBar(label: catalog.modalities[modalityIndex].name,
                                  detail: "\(catalog.instruments[instrument].name), evaluable \(masked.evaluable.display)",
                                  response: masked.responseEvaluable,
                                  remission: masked.remissionEvaluable, hasRemissionRule: masked.row.remitters != nil)
        }
        return Charts.rates(title: "Response and remission by treatment, last 12 months",
                            subtitle: "Evaluable courses, main scale of each treatment; courses judged \(window(.twelveMonths).periodStart) to \(content.result.cut)",
                            bars: bars)
    }

    /// The response rate per treatment over time (SVG small multiples), one
    /// panel per treatment with a rate to show.
    func trendChartSVG() -> String {
        let empty = Set(modalitiesWithoutTrend())
        let panels = catalog.modalities.indices.filter { !empty.contains($0) }.map { modalityIndex in
            Charts.TrendPanel(label: "\(catalog.modalities[modalityIndex].name) (\(catalog.instruments[mainScale(modalityIndex)].name))",
                              points: trendPoints(modalityIndex).map { ($0.month, $0.response) })
        }
        let first = trendPoints(0).first?.month.description ?? month.description
        let what = content.trendSmoothing == 1 ? "Monthly response rate" : "Response rate over a trailing \(content.trendSmoothing) months"
        let note = empty.isEmpty ? nil : "No rate to show for " + empty.sorted().map { catalog.modalities[$0].name }.joined(separator: ", ")
            + (policy.isOn ? " (too few courses, or withheld)." : " (too few courses).")
        return Charts.trend(title: "\(what) by treatment",
                            subtitle: "Evaluable courses, \(first) to \(month); hollow: fewer than \(ReportView.tooFewToJudge) courses; bars: 95 % confidence interval",
                            panels: panels, note: note)
    }
}
