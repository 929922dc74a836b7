import Foundation

/// One subject of a survival analysis: followed for `time` days, ending in
/// the event (`isEvent`) or censored.
public struct SurvivalTime: Hashable, Sendable {
    public let time: Int
    public let isEvent: Bool

    public init(time: Int, isEvent: Bool) {
        self.time = time
        self.isEvent = isEvent
    }
}

/// Survival subjects counted per time: events and censorings at each day.
public struct SurvivalTally: Hashable, Sendable {
    public private(set) var subjects = 0
    var byTime: [Int: Counts] = [:]

    struct Counts: Hashable, Sendable {
        var events = 0, censored = 0
    }

    public init() {}

    public mutating func add(_ subject: SurvivalTime) {
        subjects += 1
        if subject.isEvent { byTime[subject.time, default: Counts()].events += 1 } else { byTime[subject.time, default: Counts()].censored += 1 }
    }
}

/// A Kaplan–Meier estimate at one time.
public struct SurvivalStep: Hashable, Sendable {
    public let time: Int
    /// Subjects still followed at `time` (their time is `time` or later).
    public let atRisk: Int
    /// Events at exactly `time`.
    public let events: Int
    /// Censored at exactly `time` (counted at risk at `time`: an event on a
    /// censoring day comes first, as in every survival textbook).
    public let censored: Int
    /// S(time): the share without the event beyond `time`.
    public let survival: Double
    /// Greenwood's standard error of S(time).
    public let standardError: Double
    /// 95 % interval: Greenwood's variance on the log(−log) scale
    /// (Kalbfleisch–Prentice), which stays within 0–1.
    public let low: Double
    public let high: Double
}

/// The Kaplan–Meier product-limit estimator with Greenwood's variance.
public struct KaplanMeier: Hashable, Sendable {
    /// One step per distinct time with an event or a censoring, in time order.
    public let steps: [SurvivalStep]
    /// Subjects in the analysis.
    public let subjects: Int

    public init(_ times: [SurvivalTime]) {
        var tally = SurvivalTally()
        for subject in times { tally.add(subject) }
        self.init(tally)
    }

    /// The estimate from subjects already counted per time (a report folds
    /// its courses into tallies one at a time, never holding them all).
    public init(_ tally: SurvivalTally) {
        subjects = tally.subjects
        let byTime = tally.byTime
        var atRisk = tally.subjects, survival = 1.0, greenwoodSum = 0.0
        var steps: [SurvivalStep] = []
        for time in byTime.keys.sorted() {
            let events = byTime[time]!.events, censored = byTime[time]!.censored
            if events > 0 {
                survival *= 1 - Double(events) / Double(atRisk)
                greenwoodSum += events < atRisk ? Double(events) / (Double(atRisk) * Double(atRisk - events)) : .infinity
            }
            let standardError = survival > 0 ? survival * greenwoodSum.squareRoot() : 0
            let interval = Self.interval(survival: survival, greenwoodSum: greenwoodSum)
            steps.append(SurvivalStep(time: time, atRisk: atRisk, events: events, censored: censored, survival: survival,
                                      standardError: standardError, low: interval.low, high: interval.high))
            atRisk -= events + censored
        }
        self.steps = steps
    }

    /// The log(−log) 95 % interval for S given Greenwood's Σ d / (n (n − d)).
    static func interval(survival: Double, greenwoodSum: Double) -> (low: Double, high: Double) {
        guard survival > 0, survival < 1, greenwoodSum.isFinite else { return (survival, survival) }
        let logS = log(survival)
        let spread = 1.959963984540054 * greenwoodSum.squareRoot() / abs(logS)
        return (pow(survival, exp(spread)), pow(survival, exp(-spread)))
    }

    /// The estimate at day `time`: the last step at or before it (S = 1 before
    /// the first event). `atRisk` counts those followed to `time` or later;
    /// `events` and `censored` those at exactly `time`. Nil past the last
    /// follow-up, where the curve is not defined.
    public func at(_ time: Int) -> SurvivalStep? {
        guard let last = steps.last, time <= last.time else { return nil }
        let before = steps.last { $0.time <= time }
        let exact = steps.first { $0.time == time }
        let atRisk = steps.first { $0.time >= time }?.atRisk ?? 0
        return SurvivalStep(time: time, atRisk: atRisk, events: exact?.events ?? 0, censored: exact?.censored ?? 0,
                            survival: before?.survival ?? 1, standardError: before?.standardError ?? 0,
                            low: before?.low ?? 1, high: before?.high ?? 1)
    }

    /// The median time (the first time S ≤ 0.5) and its 95 % interval by
    /// Brookmeyer and Crowley's method on the log(−log) band: from the first
    /// time the band's lower edge is ≤ 0.5 to the first time its upper edge
    /// is. Nil where the curve never gets that low.
    public var median: (time: Int?, low: Int?, high: Int?) {
        (steps.first { $0.survival <= 0.5 }?.time, steps.first { $0.low <= 0.5 }?.time, steps.first { $0.high <= 0.5 }?.time)
    }
}
