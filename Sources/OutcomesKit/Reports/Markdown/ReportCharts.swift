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

    /// The monthly response rate per treatment (SVG small multiples).
    func trendChartSVG() -> String {
        let panels = catalog.modalities.indices.map { modalityIndex in
            Charts.TrendPanel(label: "\(catalog.modalities[modalityIndex].name) (\(catalog.instruments[mainScale(modalityIndex)].name))",
                              points: trendPoints(modalityIndex).map { ($0.month, $0.response) })
        }
        let first = content.trend.first?.month.description ?? month.description
        return Charts.trend(title: "Monthly response rate by treatment",
                            subtitle: "Evaluable courses judged each month, \(first) to \(month); shaded: 95 % confidence interval",
                            panels: panels)
    }
}
