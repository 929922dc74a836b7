/// One row of `timepoints.csv` (DATA-CONTRACT §6b): change from baseline at
/// a time after the first dose, over the ITT courses whose first session has
/// a time.
public struct TimePointRow: Hashable, Sendable, Codable {
    public let window: ReportWindow
    /// Position of the modality in `Catalog.modalities`.
    public let modality: Int
    /// Position of the instrument in `Catalog.instruments`.
    public let instrument: Int
    public let site: SiteSelector
    /// Position of the time point in the modality's `timePoints`.
    public let timePoint: Int
    /// ITT courses in the window whose first session has a time.
    public let ittTimed: Int
    /// Those of them with a time-point score.
    public let n: Int
    public let meanBaseline: Double?
    public let meanScore: Double?
    /// Mean of time-point score − baseline.
    public let meanChange: Double?
    /// Sample standard deviation of the change (divisor n − 1).
    public let sdChange: Double?
    /// `mean_change ± t · sd / √n`, t the 0.975 quantile of Student's t with n − 1 degrees of freedom.
    public let changeLow: Double?
    public let changeHigh: Double?
    /// d_z = mean change / sd of the change (negative is improvement).
    public let effectSize: Double?
    public let responders: Int
    public let response: Proportion?
    /// Nil when the instrument has no remission rule.
    public let remitters: Int?
    public let remission: Proportion?
}

/// Running totals of one (window, modality, instrument, site) cell, per time point.
struct TimePointTally {
    var ittTimed = 0
    var points: [Point]

    struct Point {
        var n = 0
        var baselineSum = 0
        var scoreSum = 0
        var changeSum = 0
        var changeSquares = 0
        var responders = 0
        var remitters = 0
    }

    init(timePoints: Int) { points = Array(repeating: Point(), count: timePoints) }

    mutating func add(_ outcome: InstrumentOutcome, instrument: Instrument) {
        ittTimed += 1
        guard let baseline = outcome.baseline else { return }
        let b = Int(baseline.score)
        for (index, score) in outcome.timePointScores.enumerated() {
            guard let score else { continue }
            let s = Int(score.score), change = s - b
            points[index].n += 1
            points[index].baselineSum += b
            points[index].scoreSum += s
            points[index].changeSum += change
            points[index].changeSquares += change * change
            if instrument.meetsResponse(baseline: b, endpoint: s) { points[index].responders += 1 }
            if instrument.meetsRemission(endpoint: s) == true { points[index].remitters += 1 }
        }
    }

    func rows(window: ReportWindow, modality: Int, instrument: Int, catalog: Catalog, site: SiteSelector) -> [TimePointRow] {
        let rules = catalog.instruments[instrument]
        let hasRemission = rules.remission != nil
        return points.enumerated().map { index, point in
            let n = point.n
            func mean(_ sum: Int) -> Double? { n > 0 ? Double(sum) / Double(n) : nil }
            let change = MeanChange(n: n, sum: point.changeSum, sumOfSquares: point.changeSquares)
            return TimePointRow(window: window, modality: modality, instrument: instrument, site: site, timePoint: index,
                                ittTimed: ittTimed, n: n, meanBaseline: mean(point.baselineSum), meanScore: mean(point.scoreSum),
                                meanChange: change.mean, sdChange: change.sd, changeLow: change.low, changeHigh: change.high,
                                effectSize: change.effectSize,
                                responders: point.responders, response: wilsonInterval(successes: point.responders, total: n),
                                remitters: hasRemission ? point.remitters : nil,
                                remission: hasRemission ? wilsonInterval(successes: point.remitters, total: n) : nil)
        }
    }
}
