/// `details.md`: the views the field publishes beside rates (time to
/// response, durability, dropout by session, outcomes by sessions received,
/// each course's change), one chart each with a sentence saying what it
/// shows. Linked from `outcomes.md`, so the summary stays short. Last 12
/// months, all sites, each treatment's main scale; every number is in
/// `survival.csv`, `dropout.csv` and `by_sessions.csv`, shown as they are.
extension ReportView {
    static let detailsFile = "details.md"
    static let timeToResponseChart = "charts/time-to-response.svg"
    static let durabilityChart = "charts/durability.svg"
    static let dropoutChart = "charts/dropout.svg"
    static let bySessionsChart = "charts/by-sessions.svg"
    static func changeChart(_ modality: Modality) -> String { "charts/change-\(modality.id).svg" }

    func details() -> String {
        var markdown = Markdown()
        markdown.raw("# \(Markdown.escape(content.title)): \(Markdown.monthName(month)), in more detail"
                     + (content.partialMonth ? " (partial month)" : "") + "\n\n")
        var intro = "Why the rates in [the summary](outcomes.md) are what they are: how soon courses responded, how long "
        intro += "responses lasted, where courses stopped, and how outcomes differ with the number of sessions. Last 12 "
        intro += "months (courses judged \(window(.twelveMonths).periodStart) to \(content.result.cut)), all sites, each treatment's "
        intro += "main scale. Every figure is in `survival.csv`, `dropout.csv` and `by_sessions.csv`, with the month and all time too."
        if let minCell = policy.minCell {
            intro += " As in the summary, counts from 1 to \(minCell - 1) are shown as &lt;\(minCell) and some larger ones "
            intro += "withheld (x); a curve is drawn only as far as at least \(minCell) courses are followed and every count it "
            intro += "rests on is 0 or at least \(minCell)."
        }
        markdown.raw(intro + "\n")
        markdown.heading(2, "Time to response")
        timeToResponseSection(into: &markdown)
        markdown.heading(2, "How long responses lasted")
        durabilitySection(into: &markdown)
        markdown.heading(2, "Where courses stopped")
        dropoutSection(into: &markdown)
        markdown.heading(2, "Outcomes by sessions received")
        bySessionsSection(into: &markdown)
        markdown.heading(2, "Each course's change")
        changeSection(into: &markdown)
        return markdown.text
    }

    // MARK: Survival curves

    /// The 12-month curve of a kind for a modality, with the steps the report publishes.
    func publishedCurve(_ kind: SurvivalCurveKind, _ modality: Int) -> (curve: SurvivalCurve, steps: [SurvivalStep], start: CountCell)? {
        guard let curve = content.views.survival.first(where: {
            $0.kind == kind && $0.modality == modality && $0.window.kind == .twelveMonths
        }) else { return nil }
        let start = FieldFiles.startCount(of: curve, rows: content.result.outcomeRows, disclosure: disclosure)
        return (curve, disclosure.publishedSteps(of: curve, start: start), start)
    }

    /// "52 % (38–64 %)" for a step; "100 %" alone before any event.
    static func share(_ step: SurvivalStep) -> String {
        guard step.low < step.high else { return Markdown.percent(step.survival) }
        return "\(Markdown.percent(step.survival)) (\(NumberFormat.fixed(step.low * 100, decimals: 0))–\(Markdown.percent(step.high)))"
    }

    func timeToResponseSection(into markdown: inout Markdown) {
        var text = "Each curve is the share of courses that had **not yet responded**, day by day from the first session: "
        text += "it drops when a follow-up score first meets the response rule. A course that never did is counted until its "
        text += "last follow-up score (Kaplan–Meier, intention to treat; in brackets and as the band, the 95 % confidence interval).\n\n"
        var sentences: [String] = [], panels: [Charts.CurvePanel] = [], tooFew: [String] = []
        for modality in modalitiesBusiestFirst() {
            guard let (curve, steps, start) = publishedCurve(.timeToResponse, modality), curve.curve.subjects > 0 else { continue }
            let name = "\(modalityName(modality)) (\(instrumentName(curve.instrument)))"
            guard curve.curve.subjects >= ReportView.tooFewToJudge, !steps.isEmpty else {
                tooFew.append(modalityName(modality))
                continue
            }
            var sentence = "- **\(name)**, \(Markdown.count(start)) courses: "
            let fixed = steps.filter { SurvivalCurveKind.timeToResponse.fixedDays.contains($0.time) }
            sentence += fixed.isEmpty ? "followed too briefly to read at a fixed day"
                : "not yet responded by " + fixed.map { "day \($0.time), \(ReportView.share($0))" }.joined(separator: "; ")
            if !policy.isOn {
                let median = curve.curve.median
                sentence += median.time.map { ". Half had responded by day \($0)" + " (95 % CI \(median.low.map(String.init) ?? "–") to \(median.high.map(String.init) ?? "not reached"); Brookmeyer–Crowley)" }
                    ?? ". Fewer than half responded while followed"
            }
            sentences.append(sentence + ".")
            panels.append(Charts.CurvePanel(label: name, points: steps.map { ($0.time, $0.survival, $0.low, $0.high) }, stepped: true))
        }
        text += sentences.joined(separator: "\n") + (sentences.isEmpty ? "" : "\n\n")
        if !tooFew.isEmpty {
            text += "Not drawn for \(ReportView.listed(tooFew)): too few courses\(policy.isOn ? ", or counts that would have to be withheld" : "").\n\n"
        }
        if !panels.isEmpty { text += "![Share not yet responded, by days since the first session](\(ReportView.timeToResponseChart))\n\n" }
        markdown.raw(text.trimmedToOneNewline())
    }

    func durabilitySection(into markdown: inout Markdown) {
        var text = "Among courses that responded (evaluable), the share whose scores **still met the response rule**, by days "
        text += "since the first responding score. A response ends at the first later score of the scale that no longer meets "
        text += "the rule against the course's baseline, boosters and later courses included, up to \(content.result.cut); "
        text += "a patient without one is counted until their last score (Kaplan–Meier).\n\n"
        var sentences: [String] = [], tooFew: [String] = []
        for modality in modalitiesBusiestFirst() {
            guard let (curve, steps, start) = publishedCurve(.durability, modality), curve.curve.subjects > 0 else { continue }
            guard curve.curve.subjects >= ReportView.tooFewToJudge, !steps.isEmpty else {
                tooFew.append(modalityName(modality))
                continue
            }
            let fixed = SurvivalCurveKind.durability.fixedDays.map { day in (day, steps.first { $0.time == day }) }
            let read = fixed.map { day, step in
                step.map { "\(day / 7) weeks, \(ReportView.share($0))" } ?? "\(day / 7) weeks, not followed that long\(policy.isOn ? " (or too few)" : "")"
            }
            sentences.append("- **\(modalityName(modality))** (\(instrumentName(curve.instrument))), \(Markdown.count(start)) responders: still responding at "
                             + read.joined(separator: "; ") + ".")
        }
        text += sentences.joined(separator: "\n") + (sentences.isEmpty ? "" : "\n\n")
        if !tooFew.isEmpty {
            text += "Not given for \(ReportView.listed(tooFew)): fewer than \(ReportView.tooFewToJudge) responders\(policy.isOn ? ", or counts that would have to be withheld" : "").\n\n"
        }
        if !sentences.isEmpty { text += "![Share still responding, by days since the first response](\(ReportView.durabilityChart))\n\n" }
        markdown.raw(text.trimmedToOneNewline())
    }

    // MARK: Dropout

    /// The 12-month dropout rows, busiest first, with their cells as shown.
    func dropoutRows() -> [(row: DropoutRow, shown: [CountCell])] {
        let order = modalitiesBusiestFirst()
        return content.views.dropout.enumerated()
            .filter { $0.element.window.kind == .twelveMonths && $0.element.reached[0] > 0 }
            .map { (row: $0.element, shown: disclosure.dropout($0.element, at: $0.offset)) }
            .sorted { order.firstIndex(of: $0.row.modality)! < order.firstIndex(of: $1.row.modality)! }
    }

    func dropoutSection(into markdown: inout Markdown) {
        var text = "For treatments given as a series, the share of courses that reached each session (closed courses; "
        text += "a course that goes on past the series counts as reaching every session).\n\n"
        let rows = dropoutRows()
        guard !rows.isEmpty else { return markdown.raw(text + "No course of a treatment with a series ended in the last 12 months.\n") }
        var sentences: [String] = [], table: [[String]] = []
        for (row, shown) in rows {
            let modality = catalog.modalities[row.modality], n = row.reached.count
            func share(_ k: Int) -> String? {
                guard shown[k].shownValue != nil, shown[0].shownValue != nil else { return nil }
                return Markdown.percent(Double(row.reached[k]) / Double(row.reached[0]))
            }
            var parts: [String] = []
            if n > 1, shown[0].shownValue != nil, shown[1].shownValue != nil {
                parts.append("\(Markdown.percent(Double(row.reached[0] - row.reached[1]) / Double(row.reached[0]))) stopped after the first session")
            }
            if let all = share(n - 1) { parts.append("\(all) received all \(n)") }
            sentences.append("- **\(modalityName(row.modality))**, \(Markdown.count(shown[0])) courses: "
                             + (parts.isEmpty ? "the shares are withheld to protect small counts" : parts.joined(separator: "; ")) + ".")
            let completion = modality.completionSessions ?? n
            func cell(_ k: Int) -> String { share(k).map { "\($0) (\(Markdown.count(shown[k])))" } ?? Markdown.count(shown[k]) }
            table.append([modalityName(row.modality), Markdown.count(shown[0]), n > 1 ? cell(1) : "–",
                          "\(cell(completion - 1)) at \(completion)", "\(cell(n - 1)) at \(n)"])
        }
        text += sentences.joined(separator: "\n") + "\n\n"
        text += Markdown.table(["Treatment", "Courses", "Reached session 2", "Finished the series", "Reached the last session"],
                               table, numeric: [1, 2, 3, 4])
        text += "\n![Share of courses reaching each session](\(ReportView.dropoutChart))\n"
        markdown.raw(text)
    }

    // MARK: Outcomes by sessions received

    func bySessionsRows() -> [(row: SessionsBinRow, shown: (evaluable: CountCell, responders: CountCell, remitters: CountCell,
                                                             response: Proportion?, remission: Proportion?))] {
        let order = modalitiesBusiestFirst()
        return content.views.bySessions.enumerated()
            .filter { $0.element.window.kind == .twelveMonths }
            .map { (row: $0.element, shown: disclosure.sessionsBin($0.element, at: $0.offset)) }
            .sorted { (order.firstIndex(of: $0.row.modality)!, $0.row.firstSession) < (order.firstIndex(of: $1.row.modality)!, $1.row.firstSession) }
    }

    func bySessionsSection(into markdown: inout Markdown) {
        var text = "Response and remission among evaluable courses, by the number of sessions each course received, in the "
        text += "bins the registries use (TMS: 1–19, 20–29, 30–35, 36 or more; ketamine and esketamine: 1–3, 4–5, 6 or more; "
        text += "set per treatment with `session_bins`). Few sessions usually means a course stopped early, so these rates "
        text += "describe who stayed, not what a dose does.\n\n"
        let rows = bySessionsRows()
        guard !rows.isEmpty else { return markdown.raw(text + "No treatment has session bins.\n") }
        text += Markdown.table(
            ["Treatment", "Sessions", "Evaluable", "Responded", "Remitted"],
            rows.map { row, shown in
                ["\(modalityName(row.modality)) (\(instrumentName(row.instrument)))", row.label, Markdown.count(shown.evaluable),
                 Markdown.rateWithInterval(shown.response), row.remitters == nil ? "n/a" : Markdown.rateWithInterval(shown.remission)]
            }, numeric: [2, 3, 4])
        text += "\n![Response and remission by sessions received](\(ReportView.bySessionsChart))\n"
        markdown.raw(text)
    }

    // MARK: Each course's change

    func changeSection(into markdown: inout Markdown) {
        var text = "Each evaluable course is a point: its baseline across, its endpoint up. Below the diagonal is better. "
        text += "Courses in the grey band changed by less than the scale's reliable change; below the dashed line they "
        text += "remitted. Green: recovered (remitted and reliably improved); blue: reliably improved; orange: reliably worse "
        text += "(Jacobson and Truax).\n\n"
        if policy.isOn {
            return markdown.raw(text + "Not in this report: the plot shows individual courses, so the public profile leaves it out.\n")
        }
        text += "The public profile leaves these plots out: they show individual courses.\n\n"
        for modality in modalitiesBusiestFirst() where changeChartPoints(modality).count > 0 {
            text += "![\(modalityName(modality)): baseline against endpoint](\(ReportView.changeChart(catalog.modalities[modality])))\n\n"
        }
        markdown.raw(text.trimmedToOneNewline())
    }

    func changeChartPoints(_ modality: Int) -> [CoursePoint] { content.views.points.filter { $0.modality == modality } }

    // MARK: Charts

    func detailsCharts() -> [(name: String, contents: String)] {
        let order = modalitiesBusiestFirst()
        func panels(_ kind: SurvivalCurveKind) -> [Charts.CurvePanel] {
            order.compactMap { modality in
                guard let (curve, steps, _) = publishedCurve(kind, modality), curve.curve.subjects >= ReportView.tooFewToJudge,
                      !steps.isEmpty else { return nil }
                return Charts.CurvePanel(label: "\(catalog.modalities[modality].name) (\(catalog.instruments[curve.instrument].name))",
                                         points: steps.map { ($0.time, $0.survival, $0.low, $0.high) }, stepped: true)
            }
        }
        let period = "courses judged \(window(.twelveMonths).periodStart) to \(content.result.cut)"
        var charts: [(name: String, contents: String)] = [
            (ReportView.timeToResponseChart, Charts.curves(
                title: "Share not yet responded", subtitle: "Days since the first session; ITT courses, \(period)",
                panels: panels(.timeToResponse), xLabel: "days since the first session", xFrom: 0, xTo: 56, xTicks: [0, 7, 14, 28, 56])),
            (ReportView.durabilityChart, Charts.curves(
                title: "Share still responding", subtitle: "Days since the first responding score; responders, \(period)",
                panels: panels(.durability), xLabel: "days since the first response", xFrom: 0, xTo: 84, xTicks: [0, 28, 56, 84])),
        ]
        let dropout = dropoutRows().compactMap { row, shown -> Charts.CurvePanel? in
            guard shown[0].shownValue != nil else { return nil }
            let points = row.reached.indices.compactMap { k -> (x: Int, share: Double, low: Double?, high: Double?)? in
                shown[k].shownValue.map { _ in (k + 1, Double(row.reached[k]) / Double(row.reached[0]), nil, nil) }
            }
            return Charts.CurvePanel(label: catalog.modalities[row.modality].name, points: points, stepped: false)
        }
        charts.append((ReportView.dropoutChart, Charts.curves(
            title: "Share of courses reaching each session", subtitle: "Closed courses, \(period)", panels: dropout,
            xLabel: "session", xFrom: 1, xTo: nil)))
        let bars = bySessionsRows().filter { $0.row.evaluable > 0 }.map { row, shown in
            Charts.RateBar(label: "\(catalog.modalities[row.modality].name) \(row.label)",
                           detail: "\(catalog.instruments[row.instrument].name), evaluable \(shown.evaluable.display)",
                           response: shown.response, remission: shown.remission, hasRemissionRule: row.remitters != nil)
        }
        charts.append((ReportView.bySessionsChart, Charts.rates(
            title: "Response and remission by sessions received", subtitle: "Evaluable courses, main scale, \(period)", bars: bars)))
        if !policy.isOn {
            for modality in order where !changeChartPoints(modality).isEmpty {
                let points = changeChartPoints(modality), instrument = catalog.instruments[points[0].instrument]
                charts.append((ReportView.changeChart(catalog.modalities[modality]), Charts.changeScatter(
                    title: "\(catalog.modalities[modality].name): baseline against endpoint (\(instrument.name))",
                    subtitle: "\(points.reduce(0) { $0 + $1.courses }) evaluable courses, \(period)", points: points, floor: instrument.floor,
                    max: instrument.max, reliableChange: instrument.reliableChange, remission: instrument.remission)))
            }
        }
        return charts
    }
}

extension String {
    /// The text with its trailing line breaks cut to one.
    func trimmedToOneNewline() -> String {
        var text = self
        while text.hasSuffix("\n\n") { text.removeLast() }
        return text
    }
}
