/// Charts of the field's views (`details.md`): curves over days or sessions
/// in small multiples, and the Jacobson–Truax plot of each course's change.
extension Charts {
    /// One panel of a curve chart: a modality's share over days or sessions.
    public struct CurvePanel: Sendable {
        public let label: String
        /// (x, share, interval) in x order; the interval may be nil.
        public let points: [(x: Int, share: Double, low: Double?, high: Double?)]
        /// Kaplan–Meier: held until the next point, then dropped (a step).
        public let stepped: Bool

        public init(label: String, points: [(x: Int, share: Double, low: Double?, high: Double?)], stepped: Bool) {
            self.label = label
            self.points = points
            self.stepped = stepped
        }
    }

    /// Small multiples of curves from 0 to 100 %, with their 95 % band where
    /// given, over an x axis from `xFrom` to `xTo` (nil: each panel to its
    /// own last point, ticked every session up to 10, else every 5).
    public static func curves(title: String, subtitle: String, panels: [CurvePanel], xLabel: String,
                              xFrom: Int, xTo sharedTo: Int?, xTicks sharedTicks: [Int]? = nil) -> String {
        let columns = 2, panelWidth = 340.0, panelHeight = 160.0, gapX = 30.0, gapY = 40.0, top = 84.0, left = 20.0
        let rows = (panels.count + columns - 1) / columns
        let width = left + Double(columns) * panelWidth + Double(columns - 1) * gapX + 20
        let height = top + Double(max(rows, 1)) * (panelHeight + gapY) + 10
        var svg = header(width: width, height: height, title: title)
        svg += text(x: 16, y: 26, title, size: 17, weight: "bold")
        svg += text(x: 16, y: 46, subtitle, size: 12, colour: "#555555")
        let hasBands = panels.contains { $0.points.contains { $0.low != nil } }
        svg += legend(x: 16, y: 64, [("Share", responseColour)] + (hasBands ? [("95 % interval", intervalColour)] : []))
        if panels.isEmpty { svg += text(x: 16, y: top + 20, "Nothing to show in this period.", size: 13) }
        for (index, panel) in panels.enumerated() {
            let x = left + Double(index % columns) * (panelWidth + gapX), y = top + Double(index / columns) * (panelHeight + gapY)
            let plotLeft = x + 40, plotTop = y + 22, plotWidth = panelWidth - 50, plotHeight = panelHeight - 56
            let xTo = sharedTo ?? max(panel.points.map(\.x).max() ?? xFrom + 1, xFrom + 1)
            let xTicks = sharedTicks ?? (xTo <= 10 ? Array(xFrom...xTo)
                : [xFrom] + stride(from: 5, to: xTo - 2, by: 5).map { $0 } + [xTo])
            func pointX(_ value: Int) -> Double {
                plotLeft + plotWidth * Double(min(max(value, xFrom), xTo) - xFrom) / Double(max(xTo - xFrom, 1))
            }
            func pointY(_ share: Double) -> Double { plotTop + plotHeight * (1 - share) }
            svg += text(x: x, y: y + 12, panel.label, size: 13, weight: "bold")
            for tick in [0, 50, 100] {
                let tickY = pointY(Double(tick) / 100)
                svg += line(x1: plotLeft, y1: tickY, x2: plotLeft + plotWidth, y2: tickY, colour: gridColour)
                svg += text(x: plotLeft - 6, y: tickY + 4, "\(tick) %", size: 10, anchor: "end")
            }
            for tick in xTicks {
                svg += text(x: pointX(tick), y: plotTop + plotHeight + 14, "\(tick)", size: 10, anchor: "middle")
            }
            svg += text(x: plotLeft + plotWidth / 2, y: plotTop + plotHeight + 30, xLabel, size: 10, anchor: "middle", colour: "#555555")
            // The band, then the line: as a step (held until the next point) or joined point to point.
            // Past the axis a curve is cut, held at its last value to the edge.
            var points = panel.points.filter { $0.x <= xTo }
            // A survival curve starts at 100 % whether or not anything happened on day 0.
            if panel.stepped, let first = points.first, first.x > xFrom { points.insert((xFrom, 1, 1, 1), at: 0) }
            if panel.stepped, points.count < panel.points.count, let last = points.last, last.x < xTo {
                points.append((xTo, last.share, last.low, last.high))
            }
            var band: [(Double, Double, Double)] = [], path: [(Double, Double)] = []
            for (position, point) in points.enumerated() {
                let px = pointX(point.x)
                if panel.stepped, let previous = path.last { path.append((px, previous.1)) }
                path.append((px, pointY(point.share)))
                if let low = point.low, let high = point.high {
                    let next = panel.stepped && position + 1 < points.count ? pointX(points[position + 1].x) : px
                    band.append((px, pointY(high), pointY(low)))
                    if panel.stepped { band.append((next, pointY(high), pointY(low))) }
                }
            }
            if !band.isEmpty {
                let outline = band.map { "\(number($0.0)),\(number($0.1))" } + band.reversed().map { "\(number($0.0)),\(number($0.2))" }
                svg += "<polygon points=\"\(outline.joined(separator: " "))\" fill=\"\(intervalColour)\" opacity=\"0.8\"/>\n"
            }
            // Joined point to point, a line breaks where a point is missing (withheld): nothing is drawn across it.
            var runs: [[(Double, Double)]] = [[]]
            for (position, point) in path.enumerated() {
                if !panel.stepped, position > 0, points[position].x - points[position - 1].x > 1 { runs.append([]) }
                runs[runs.count - 1].append(point)
            }
            for run in runs where run.count > 1 {
                svg += "<polyline points=\"\(run.map { "\(number($0.0)),\(number($0.1))" }.joined(separator: " "))\" fill=\"none\" stroke=\"\(responseColour)\" stroke-width=\"2\"/>\n"
            }
            for point in points where !panel.stepped || points.count == 1 {
                svg += "<circle cx=\"\(number(pointX(point.x)))\" cy=\"\(number(pointY(point.share)))\" r=\"3\" fill=\"\(responseColour)\"/>\n"
            }
        }
        return svg + "</svg>\n"
    }

    /// Colours of the Jacobson–Truax categories.
    static func colour(of category: ChangeCategory?) -> String {
        switch category {
        case .recovered: return "#009E73"
        case .improved: return responseColour
        case .deteriorated: return "#D55E00"
        case .unchanged, nil: return "#999999"
        }
    }

    /// The Jacobson–Truax plot: each course's baseline (x) against its
    /// endpoint (y) on one scale, with the no-change diagonal, the band of
    /// changes smaller than the reliable change, and the remission cutoff.
    public static func changeScatter(title: String, subtitle: String, points: [CoursePoint], floor: Int, max: Int,
                                     reliableChange: Int?, remission: Int?) -> String {
        let left = 70.0, top = 84.0, size = 360.0, width = left + size + 200, height = top + size + 56
        func px(_ value: Double) -> Double { left + size * (value - Double(floor)) / Double(Swift.max(max - floor, 1)) }
        func py(_ value: Double) -> Double { top + size * (1 - (value - Double(floor)) / Double(Swift.max(max - floor, 1))) }
        var svg = header(width: width, height: height, title: title)
        svg += text(x: 16, y: 26, title, size: 17, weight: "bold")
        svg += text(x: 16, y: 46, subtitle, size: 12, colour: "#555555")
        let low = Double(floor), high = Double(max)
        if let rc = reliableChange.map(Double.init) {
            // Between the lines endpoint = baseline ± rc: no reliable change.
            let band = [(low, low + rc), (high - rc, high), (high, high), (high, high - rc), (low + rc, low), (low, low)]
                .map { "\(number(px($0.0))),\(number(py($0.1)))" }
            svg += "<polygon points=\"\(band.joined(separator: " "))\" fill=\"#EEEEEE\"/>\n"
        }
        svg += "<rect x=\"\(number(left))\" y=\"\(number(top))\" width=\"\(number(size))\" height=\"\(number(size))\" fill=\"none\" stroke=\"\(gridColour)\"/>\n"
        svg += line(x1: px(low), y1: py(low), x2: px(high), y2: py(high), colour: "#777777")
        if let remission {
            svg += "<line x1=\"\(number(px(low)))\" y1=\"\(number(py(Double(remission))))\" x2=\"\(number(px(high)))\" y2=\"\(number(py(Double(remission))))\" stroke=\"#009E73\" stroke-dasharray=\"5 4\"/>\n"
            svg += text(x: px(high) + 6, y: py(Double(remission)) + 4, "remission ≤ \(remission)", size: 10, colour: "#009E73")
        }
        let step = Swift.max(1, (max - floor) / 4)
        for tick in stride(from: floor, through: max, by: step) {
            svg += text(x: px(Double(tick)), y: top + size + 16, "\(tick)", size: 10, anchor: "middle")
            svg += text(x: left - 6, y: py(Double(tick)) + 4, "\(tick)", size: 10, anchor: "end")
        }
        svg += text(x: left + size / 2, y: top + size + 34, "Baseline", size: 12, anchor: "middle")
        svg += "<text x=\"18\" y=\"\(number(top + size / 2))\" font-size=\"12\" text-anchor=\"middle\" transform=\"rotate(-90 18 \(number(top + size / 2)))\" fill=\"\(inkColour)\">Endpoint</text>\n"
        // Points in a fixed order; courses with the same scores share a point, drawn larger.
        var counts: [[Int]: (count: Int, category: ChangeCategory?)] = [:]
        for point in points { counts[[point.baseline, point.endpoint], default: (0, point.category)].count += point.courses }
        for key in counts.keys.sorted(by: { ($0[0], $0[1]) < ($1[0], $1[1]) }) {
            let entry = counts[key]!
            let radius = 3 + 1.5 * (Double(entry.count) - 1).squareRoot()
            svg += "<circle cx=\"\(number(px(Double(key[0]))))\" cy=\"\(number(py(Double(key[1]))))\" r=\"\(number(radius))\" fill=\"\(colour(of: entry.category))\" fill-opacity=\"0.75\"/>\n"
        }
        var legendY = top + 10
        for category in ChangeCategory.allCases where reliableChange != nil {
            let tally = points.reduce(0) { $0 + ($1.category == category ? $1.courses : 0) }
            svg += "<circle cx=\"\(number(left + size + 24))\" cy=\"\(number(legendY - 4))\" r=\"5\" fill=\"\(colour(of: category))\"/>\n"
            svg += text(x: left + size + 36, y: legendY, "\(category.rawValue) (\(tally))", size: 12)
            legendY += 20
        }
        svg += text(x: left + size + 24, y: legendY + 10, "Below the diagonal: better", size: 11, colour: "#555555")
        if reliableChange != nil { svg += text(x: left + size + 24, y: legendY + 26, "Grey band: no reliable change", size: 11, colour: "#555555") }
        return svg + "</svg>\n"
    }
}
