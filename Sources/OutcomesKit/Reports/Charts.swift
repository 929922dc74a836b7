/// SVG charts for the report, written by hand so that they are small,
/// dependency-free and byte-identical from run to run. Colours are from the
/// Okabe–Ito palette, which colour-blind readers can tell apart.
public enum Charts {
    static let responseColour = "#0072B2"
    static let remissionColour = "#E69F00"
    static let inkColour = "#222222"
    static let gridColour = "#DDDDDD"

    /// One modality's bars in the response chart.
    public struct RateBar: Sendable {
        public let label: String
        public let detail: String
        public let response: Proportion?
        public let remission: Proportion?
        /// Shown instead of the remission bar when the scale has no remission rule.
        public let hasRemissionRule: Bool

        public init(label: String, detail: String, response: Proportion?, remission: Proportion?, hasRemissionRule: Bool) {
            self.label = label
            self.detail = detail
            self.response = response
            self.remission = remission
            self.hasRemissionRule = hasRemissionRule
        }
    }

    /// Horizontal bars of response and remission per modality, with 95 % CI whiskers.
    public static func rates(title: String, subtitle: String, bars: [RateBar]) -> String {
        let left = 230.0, plotWidth = 440.0, rowHeight = 46.0, top = 78.0
        let height = top + rowHeight * Double(max(bars.count, 1)) + 52
        let width = left + plotWidth + 60
        var svg = header(width: width, height: height, title: title)
        svg += text(x: 16, y: 26, title, size: 17, weight: "bold")
        svg += text(x: 16, y: 46, subtitle, size: 12, colour: "#555555")
        svg += legend(x: left, y: 62, [("Response", responseColour), ("Remission", remissionColour)])
        for tick in stride(from: 0, through: 100, by: 25) {
            let x = left + plotWidth * Double(tick) / 100
            svg += line(x1: x, y1: top - 6, x2: x, y2: top + rowHeight * Double(bars.count), colour: gridColour)
            svg += text(x: x, y: top + rowHeight * Double(bars.count) + 16, "\(tick) %", size: 11, anchor: "middle")
        }
        svg += text(x: left + plotWidth / 2, y: height - 12, "Share of courses (95 % confidence interval)", size: 12, anchor: "middle")
        for (index, bar) in bars.enumerated() {
            let y = top + rowHeight * Double(index)
            svg += text(x: left - 10, y: y + 18, bar.label, size: 13, anchor: "end")
            svg += text(x: left - 10, y: y + 34, bar.detail, size: 11, anchor: "end", colour: "#555555")
            svg += rateBar(bar.response, x: left, y: y + 6, width: plotWidth, colour: responseColour,
                           missing: "withheld: small numbers")
            svg += rateBar(bar.remission, x: left, y: y + 24, width: plotWidth, colour: remissionColour,
                           missing: bar.hasRemissionRule ? "withheld: small numbers" : "no remission rule for this scale")
        }
        if bars.isEmpty { svg += text(x: left, y: top + 20, "No closed courses in this period.", size: 13) }
        return svg + "</svg>\n"
    }

    /// One panel of the trend chart: a modality's monthly rate.
    public struct TrendPanel: Sendable {
        public let label: String
        public let points: [(month: YearMonth, rate: Proportion?)]

        public init(label: String, points: [(month: YearMonth, rate: Proportion?)]) {
            self.label = label
            self.points = points
        }
    }

    /// Small multiples: one panel per modality, each point a rate with its 95 %
    /// interval as a bar. A point resting on fewer than `solidFrom` courses is
    /// hollow and not joined by the line, so that single courses do not make
    /// the line jump between 0 and 100 %. `note` goes under the panels.
    public static func trend(title: String, subtitle: String, panels: [TrendPanel], note: String? = nil, solidFrom: Int = 10) -> String {
        let columns = 2, panelWidth = 340.0, panelHeight = 150.0, gapX = 30.0, gapY = 46.0, top = 84.0, left = 20.0
        let rows = (panels.count + columns - 1) / columns
        let width = left + Double(columns) * panelWidth + Double(columns - 1) * gapX + 20
        let noteLines = note.map { wrapped($0, characters: 120) } ?? []
        let panelsHeight = panels.isEmpty ? 0 : Double(rows) * (panelHeight + gapY)
        let height = (panels.isEmpty ? 56 : top) + panelsHeight + 10 + Double(noteLines.count) * 16
        var svg = header(width: width, height: height, title: title)
        svg += text(x: 16, y: 26, title, size: 17, weight: "bold")
        svg += text(x: 16, y: 46, subtitle, size: 12, colour: "#555555")
        if !panels.isEmpty { svg += legend(x: 16, y: 64, [("Rate", responseColour), ("95 % interval", intervalColour)]) }
        for (index, panel) in panels.enumerated() {
            let originX = left + Double(index % columns) * (panelWidth + gapX)
            let originY = top + Double(index / columns) * (panelHeight + gapY)
            svg += trendPanel(panel, x: originX, y: originY, width: panelWidth, height: panelHeight, solidFrom: solidFrom)
        }
        for (index, line) in noteLines.enumerated() {
            svg += text(x: 16, y: height - 8 - Double(noteLines.count - 1 - index) * 16, line, size: 11, colour: "#555555")
        }
        return svg + "</svg>\n"
    }

    static let intervalColour = "#B3D4EA"

    /// A text broken at spaces into lines of at most `characters` (a long word stays whole).
    static func wrapped(_ text: String, characters: Int) -> [String] {
        var lines: [String] = [], current = ""
        for word in text.split(separator: " ") {
            if !current.isEmpty && current.count + 1 + word.count > characters {
                lines.append(current)
                current = ""
            }
            current += (current.isEmpty ? "" : " ") + word
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }

    private static func trendPanel(_ panel: TrendPanel, x: Double, y: Double, width: Double, height: Double, solidFrom: Int) -> String {
        let plotLeft = x + 40, plotTop = y + 22, plotWidth = width - 50, plotHeight = height - 50
        var svg = text(x: x, y: y + 12, panel.label, size: 13, weight: "bold")
        for tick in [0, 50, 100] {
            let tickY = plotTop + plotHeight * (1 - Double(tick) / 100)
            svg += line(x1: plotLeft, y1: tickY, x2: plotLeft + plotWidth, y2: tickY, colour: gridColour)
            svg += text(x: plotLeft - 6, y: tickY + 4, "\(tick) %", size: 10, anchor: "end")
        }
        let count = panel.points.count
        func pointX(_ index: Int) -> Double {
            count > 1 ? plotLeft + plotWidth * Double(index) / Double(count - 1) : plotLeft + plotWidth / 2
        }
        func pointY(_ value: Double) -> Double { plotTop + plotHeight * (1 - value) }
        for (index, point) in panel.points.enumerated() where index == 0 || index == count - 1 || index == count / 2 {
            svg += text(x: pointX(index), y: plotTop + plotHeight + 16, shortMonth(point.month), size: 10, anchor: "middle")
        }
        // Every point's interval, as a bar.
        for (index, point) in panel.points.enumerated() {
            guard let rate = point.rate else { continue }
            let top = pointY(rate.high), bottom = pointY(rate.low)
            svg += "<rect x=\"\(number(pointX(index) - 3))\" y=\"\(number(top))\" width=\"6\" height=\"\(number(max(bottom - top, 1)))\" "
            svg += "fill=\"\(intervalColour)\"/>\n"
        }
        // A line through each run of consecutive solid points.
        var run: [(Int, Proportion)] = []
        func flush() {
            if run.count > 1 {
                let path = run.map { "\(number(pointX($0.0))),\(number(pointY($0.1.rate)))" }.joined(separator: " ")
                svg += "<polyline points=\"\(path)\" fill=\"none\" stroke=\"\(responseColour)\" stroke-width=\"2\"/>\n"
            }
            run.removeAll()
        }
        for (index, point) in panel.points.enumerated() {
            if let rate = point.rate, rate.total >= solidFrom { run.append((index, rate)) } else { flush() }
        }
        flush()
        for (index, point) in panel.points.enumerated() {
            guard let rate = point.rate else { continue }
            let solid = rate.total >= solidFrom
            svg += "<circle cx=\"\(number(pointX(index)))\" cy=\"\(number(pointY(rate.rate)))\" r=\"3.5\" "
            svg += solid ? "fill=\"\(responseColour)\">" : "fill=\"#FFFFFF\" stroke=\"\(responseColour)\" stroke-width=\"1.5\">"
            svg += "<title>\(escape(point.month.description)): \(percentText(rate.rate)) of \(rate.total)</title></circle>\n"
        }
        return svg
    }

    /// One point of a change chart: a mean change with its interval.
    public struct ChangePoint: Sendable {
        public let label: String
        public let mean: Double?
        public let low: Double?
        public let high: Double?
        /// The number of courses, as shown (may be `<11`).
        public let n: String?

        public init(label: String, mean: Double?, low: Double?, high: Double?, n: String?) {
            self.label = label
            self.mean = mean
            self.low = low
            self.high = high
            self.n = n
        }
    }

    /// One panel of the change chart: a modality's scale over its time points.
    public struct ChangePanel: Sendable {
        public let label: String
        public let points: [ChangePoint]

        public init(label: String, points: [ChangePoint]) {
            self.label = label
            self.points = points
        }
    }

    /// Mean change from baseline (points) at baseline, each time point and the
    /// endpoint, with 95 % intervals as whiskers; one panel per modality. A
    /// point without a mean (too few courses, or withheld) is left out, and
    /// the panel says so.
    public static func change(title: String, subtitle: String, panels: [ChangePanel]) -> String {
        let panelWidth = 340.0, panelHeight = 220.0, gapX = 30.0, top = 84.0, left = 20.0
        let width = left + Double(max(panels.count, 1)) * (panelWidth + gapX) + 10
        let height = top + panelHeight + 40
        var svg = header(width: width, height: height, title: title)
        svg += text(x: 16, y: 26, title, size: 17, weight: "bold")
        svg += text(x: 16, y: 46, subtitle, size: 12, colour: "#555555")
        svg += legend(x: 16, y: 64, [("Mean change", responseColour), ("95 % interval", inkColour)])
        for (index, panel) in panels.enumerated() {
            svg += changePanel(panel, x: left + Double(index) * (panelWidth + gapX), y: top, width: panelWidth, height: panelHeight)
        }
        if panels.isEmpty { svg += text(x: left, y: top + 20, "No treatment has time points after the first dose.", size: 13) }
        return svg + "</svg>\n"
    }

    private static func changePanel(_ panel: ChangePanel, x: Double, y: Double, width: Double, height: Double) -> String {
        let plotLeft = x + 46, plotTop = y + 24, plotWidth = width - 60, plotHeight = height - 70
        var svg = text(x: x, y: y + 12, panel.label, size: 13, weight: "bold")
        let values: [Double] = panel.points.flatMap { point -> [Double] in [point.mean, point.low, point.high].compactMap { $0 } } + [0]
        // A round scale from the lowest value to a little above zero.
        let step = 5.0
        let smallest = values.min() ?? 0, largest = values.max() ?? 0
        let lowest = (smallest / step).rounded(.down) * step - (smallest < 0 ? 0 : step)
        let highest = max((largest / step).rounded(.up) * step, step)
        func pointY(_ value: Double) -> Double { plotTop + plotHeight * (highest - value) / (highest - lowest) }
        var tick = lowest
        while tick <= highest + 0.001 {
            svg += line(x1: plotLeft, y1: pointY(tick), x2: plotLeft + plotWidth, y2: pointY(tick), colour: gridColour)
            svg += text(x: plotLeft - 6, y: pointY(tick) + 4, NumberFormat.fixed(tick, decimals: 0), size: 10, anchor: "end")
            tick += (highest - lowest) / step > 8 ? step * 2 : step
        }
        let count = panel.points.count
        func pointX(_ index: Int) -> Double { plotLeft + plotWidth * (Double(index) + 0.5) / Double(max(count, 1)) }
        var path: [String] = []
        var missing = false
        // A line joins neighbouring points only: a missing point breaks it.
        func flushPath() {
            if path.count > 1 {
                svg += "<polyline points=\"\(path.joined(separator: " "))\" fill=\"none\" stroke=\"\(responseColour)\" stroke-width=\"1.5\"/>\n"
            }
            path.removeAll()
        }
        for (index, point) in panel.points.enumerated() {
            svg += text(x: pointX(index), y: plotTop + plotHeight + 16, point.label, size: 11, anchor: "middle")
            if let n = point.n { svg += text(x: pointX(index), y: plotTop + plotHeight + 30, "n \(n)", size: 10, anchor: "middle", colour: "#555555") }
            guard let mean = point.mean else {
                missing = true
                flushPath()
                continue
            }
            if let low = point.low, let high = point.high {
                svg += line(x1: pointX(index), y1: pointY(low), x2: pointX(index), y2: pointY(high), colour: inkColour)
                svg += line(x1: pointX(index) - 4, y1: pointY(low), x2: pointX(index) + 4, y2: pointY(low), colour: inkColour)
                svg += line(x1: pointX(index) - 4, y1: pointY(high), x2: pointX(index) + 4, y2: pointY(high), colour: inkColour)
            }
            path.append("\(number(pointX(index))),\(number(pointY(mean)))")
            svg += "<circle cx=\"\(number(pointX(index)))\" cy=\"\(number(pointY(mean)))\" r=\"4\" fill=\"\(responseColour)\">"
            svg += "<title>\(escape(point.label)): \(NumberFormat.fixed(mean, decimals: 1)) points</title></circle>\n"
        }
        flushPath()
        if missing {
            svg += text(x: plotLeft, y: plotTop + plotHeight + 46, "Points not drawn: too few courses, or withheld.", size: 10, colour: "#777777")
        }
        return svg
    }

    private static func rateBar(_ proportion: Proportion?, x: Double, y: Double, width: Double, colour: String,
                                missing: String) -> String {
        guard let proportion else {
            return text(x: x + 4, y: y + 12, missing, size: 11, colour: "#777777")
        }
        var svg = "<rect x=\"\(number(x))\" y=\"\(number(y))\" width=\"\(number(width * proportion.rate))\" height=\"14\" fill=\"\(colour)\">"
        svg += "<title>\(percentText(proportion.rate)) (95 % CI \(percentText(proportion.low))–\(percentText(proportion.high)))</title></rect>\n"
        let low = x + width * proportion.low, high = x + width * proportion.high, middle = y + 7
        svg += line(x1: low, y1: middle, x2: high, y2: middle, colour: inkColour)
        svg += line(x1: low, y1: middle - 4, x2: low, y2: middle + 4, colour: inkColour)
        svg += line(x1: high, y1: middle - 4, x2: high, y2: middle + 4, colour: inkColour)
        svg += text(x: high + 6, y: y + 12, percentText(proportion.rate), size: 11)
        return svg
    }

    static func legend(x: Double, y: Double, _ entries: [(String, String)]) -> String {
        var svg = ""
        var offset = x
        for (label, colour) in entries {
            svg += "<rect x=\"\(number(offset))\" y=\"\(number(y - 10))\" width=\"12\" height=\"12\" fill=\"\(colour)\"/>\n"
            svg += text(x: offset + 17, y: y, label, size: 12)
            offset += 30 + Double(label.count) * 7
        }
        return svg
    }

    static func header(width: Double, height: Double, title: String) -> String {
        """
        <svg xmlns="http://www.w3.org/2000/svg" width="\(number(width))" height="\(number(height))" \
        viewBox="0 0 \(number(width)) \(number(height))" font-family="Helvetica, Arial, sans-serif" role="img" aria-label="\(escape(title))">
        <title>\(escape(title))</title>
        <rect width="100%" height="100%" fill="#FFFFFF"/>

        """
    }

    static func text(x: Double, y: Double, _ content: String, size: Int, anchor: String = "start",
                             weight: String = "normal", colour: String = inkColour) -> String {
        "<text x=\"\(number(x))\" y=\"\(number(y))\" font-size=\"\(size)\" text-anchor=\"\(anchor)\" font-weight=\"\(weight)\" fill=\"\(colour)\">\(escape(content))</text>\n"
    }

    static func line(x1: Double, y1: Double, x2: Double, y2: Double, colour: String) -> String {
        "<line x1=\"\(number(x1))\" y1=\"\(number(y1))\" x2=\"\(number(x2))\" y2=\"\(number(y2))\" stroke=\"\(colour)\" stroke-width=\"1\"/>\n"
    }

    static func number(_ value: Double) -> String { NumberFormat.fixed(value, decimals: 1) }

    static func percentText(_ value: Double) -> String { NumberFormat.fixed(value * 100, decimals: 0) + " %" }

    static func shortMonth(_ month: YearMonth) -> String {
        let names = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        return "\(names[month.month - 1]) \(month.year % 100 < 10 ? "0" : "")\(month.year % 100)"
    }

    /// Text made safe inside SVG, XML or HTML markup (the HTML page's title uses it too).
    static func escape(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}
