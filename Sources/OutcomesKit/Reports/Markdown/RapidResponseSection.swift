extension ReportView {
    /// The modalities with dose-anchored time points (DATA-CONTRACT §6b).
    var timePointModalities: [Int] { modalitiesBusiestFirst().filter { !catalog.modalities[$0].timePoints.isEmpty } }

    /// The last 12 months' all-sites time-point rows of one modality and instrument, masked.
    func timePointRows(_ modality: Int, _ instrument: Int) -> [MaskedTimePointRow] {
        content.result.timePointRows.enumerated().compactMap { index, row in
            row.window.kind == .twelveMonths && row.site == .allSites && row.modality == modality && row.instrument == instrument
                ? disclosure.timePoint(row, at: index) : nil
        }
    }

    /// "Rapid response after the first dose": mean change at each time point
    /// with its interval, n, d_z, response and remission.
    func rapidResponseSection(into markdown: inout Markdown) {
        let modalities = timePointModalities
        guard !modalities.isEmpty else {
            markdown.raw("No treatment has time points after the first dose.\n")
            return
        }
        var text = "How far symptoms fell within hours of the first dose, as the esketamine trials measured it (Canuso "
        text += "et al. 2018: MADRS 4 hours and about 24 hours after the first dose). A score counts for a time point when "
        text += "it was taken within the point's range after the first session's recorded start, the one closest to the "
        text += "target; courses whose first session has no time take no part. Change is that score minus the baseline "
        text += "(negative is better); *d_z* is the mean change divided by its standard deviation. Last 12 months, all "
        text += "sites; every window and site is in `timepoints.csv`.\n"
        for modality in modalities {
            let spec = catalog.modalities[modality]
            // Scales with a time-point score (or withheld counts): a scale nobody scored after the dose is left out.
            let instruments = catalog.instrumentIndices(of: spec).filter { instrument in
                timePointRows(modality, instrument).contains { $0.n != .value(0) }
            }
            text += "\n### \(Markdown.escape(spec.name))\n\n"
            guard !instruments.isEmpty else {
                text += "No course in the last 12 months had a score read within hours of a timed first session.\n"
                continue
            }
            let headline = catalog.headlineInstrument(of: modality)
            if let sentence = rapidResponseSentence(modality, instrument: instruments.contains(headline) ? headline : instruments[0]) {
                text += sentence + "\n\n"
            }
            var rows: [[String]] = []
            for instrument in instruments {
                for masked in timePointRows(modality, instrument) {
                    let point = spec.timePoints[masked.row.timePoint]
                    rows.append([instrumentName(instrument), timePointLabel(point),
                                 "\(Markdown.count(masked.n)) of \(Markdown.count(masked.ittTimed))",
                                 changeWithInterval(masked.meanChange, masked.changeLow, masked.changeHigh),
                                 masked.effectSize.map { Markdown.signed($0, decimals: 2) } ?? "–",
                                 Markdown.rateWithInterval(masked.response),
                                 masked.row.remitters == nil ? "n/a" : Markdown.rateWithInterval(masked.remission)])
                }
            }
            text += Markdown.table(["Scale", "Time point", "Scored of timed", "Mean change (95 % CI)", "d_z", "Responded", "Remitted"],
                                   rows, numeric: [2, 3, 4, 5, 6])
        }
        text += "\n![Mean change from baseline after the first dose](\(DirectorReport.rapidResponseChart))\n"
        markdown.raw(text)
    }

    /// "4 h (2–8 h)".
    func timePointLabel(_ point: TimePoint) -> String {
        "\(Markdown.escape(point.label)) (\(TimePoint.hours(point.earliest))–\(TimePoint.hours(point.latest)) h)"
    }

    /// "−6.2 (−7.5 to −4.9)".
    func changeWithInterval(_ mean: Double?, _ low: Double?, _ high: Double?) -> String {
        guard let mean else { return "–" }
        guard let low, let high else { return Markdown.signed(mean) }
        return "\(Markdown.signed(mean)) (\(Markdown.signed(low)) to \(Markdown.signed(high)))"
    }

    /// "Of 32 ketamine infusion courses with a qualifying PHQ-9 baseline and a recorded time at their first
    /// session, 28 had a PHQ-9 at 4h (2–8 h after it): on average it had fallen by 4.8 points (95 % CI 3.4
    /// to 6.2), and 7 % already met the response rule. At 24h, …"
    func rapidResponseSentence(_ modality: Int, instrument: Int) -> String? {
        let rows = timePointRows(modality, instrument)
        guard let first = rows.first, case .value(let timed) = first.ittTimed else { return nil }
        let spec = catalog.modalities[modality]
        let scale = instrumentName(instrument)
        var sentences: [String] = []
        for (position, masked) in rows.enumerated() {
            let point = spec.timePoints[masked.row.timePoint]
            let lead = position == 0
                ? "Of \(timed) \(ReportView.inSentence(spec.name)) course\(timed == 1 ? "" : "s") with a qualifying \(scale) baseline and a recorded time at the first session, "
                : "At \(Markdown.escape(point.label)), "
            guard case .value(let n) = masked.n else {
                sentences.append(lead + unshown(masked.n, "courses", "had a score") + ", and so are the figures.")
                continue
            }
            let had = position == 0 ? "had a \(scale) score at \(timePointLabel(point))" : "had one"
            guard n >= ReportView.tooFewToJudge, let mean = masked.meanChange, let low = masked.changeLow, let high = masked.changeHigh else {
                sentences.append(lead + (n == 0 ? "none \(had)." : "\(n) \(had) — too few to judge."))
                continue
            }
            let direction = mean <= 0 ? "fallen" : "risen"
            var sentence = lead + "\(n) \(had): on average it had \(direction) by \(NumberFormat.fixed(abs(mean), decimals: 1)) points "
            sentence += "(95 % CI \(Markdown.signed(low)) to \(Markdown.signed(high)))"
            if let response = masked.response { sentence += ", and \(Markdown.percent(response.rate)) already met the response rule" }
            sentences.append(sentence + ".")
        }
        return sentences.isEmpty ? nil : sentences.joined(separator: " ")
    }

    /// A treatment's name inside a sentence: "Ketamine infusion" → "ketamine
    /// infusion", while an acronym such as "TMS" stays as it is.
    static func inSentence(_ name: String) -> String {
        let characters = Array(name)
        guard characters.count > 1, characters[0].isUppercase, characters[1].isLowercase else { return Markdown.escape(name) }
        return Markdown.escape(characters[0].lowercased() + String(characters.dropFirst()))
    }

    /// The rapid-response chart: per modality, the mean change (and interval)
    /// at baseline (0), each time point, and the endpoint of the same kind of
    /// courses (evaluable, first session timed).
    func rapidResponseChartSVG() -> String {
        let panels = timePointModalities.map { modality -> Charts.ChangePanel in
            let spec = catalog.modalities[modality]
            let instrument = catalog.headlineInstrument(of: modality)
            var points: [Charts.ChangePoint] = [Charts.ChangePoint(label: "Baseline", mean: 0, low: nil, high: nil, n: nil)]
            for masked in timePointRows(modality, instrument) {
                points.append(Charts.ChangePoint(label: spec.timePoints[masked.row.timePoint].label, mean: masked.meanChange,
                                                 low: masked.changeLow, high: masked.changeHigh, n: masked.n.display))
            }
            let endpoint = content.result.endpointChangeOfTimedCourses(modality, instrument, catalog: catalog)
            let n = disclosure.endpointTimed(modality: modality, endpoint.n)
            let shown = n.shownValue != nil ? endpoint : nil
            points.append(Charts.ChangePoint(label: "Endpoint", mean: shown?.mean, low: shown?.low, high: shown?.high,
                                             n: n.display))
            return Charts.ChangePanel(label: "\(spec.name) (\(catalog.instruments[instrument].name))", points: points)
        }
        return Charts.change(title: "Change from baseline after the first dose",
                             subtitle: "Mean and 95 % CI; courses whose first session has a recorded time; last 12 months, all sites",
                             panels: panels)
    }
}
