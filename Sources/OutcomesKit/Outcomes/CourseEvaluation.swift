/// DATA-CONTRACT §6: where a course stands on one instrument.
public enum CourseStatus: String, Sendable, CaseIterable {
    /// No score in `[start − 30, start]`.
    case noBaseline = "no_baseline"
    /// Baseline below the instrument's minimum: not ill enough to judge.
    case belowThreshold = "below_threshold"
    /// A qualifying baseline but no score in `(start, W]`.
    case noFollowup = "no_followup"
    /// A qualifying baseline and an endpoint.
    case evaluated

    /// In the intention-to-treat population (`no_followup` + `evaluated`).
    public var isIntentionToTreat: Bool { self == .noFollowup || self == .evaluated }
    /// In the completers population (`evaluated`).
    public var isCompleter: Bool { self == .evaluated }
}

/// How far before a course's start a score still counts as its baseline.
public let baselineLookbackDays = 30

/// The outcome of one course on one instrument.
public struct InstrumentOutcome: Hashable, Sendable {
    /// Position of the instrument in `Catalog.instruments`.
    public let instrument: Int
    public let status: CourseStatus
    public let baseline: ScoreEvent?
    public let endpoint: ScoreEvent?
    /// Number of follow-up scores in `(start, W]`.
    public let followUps: Int
    /// A completer whose endpoint meets the response rule.
    public let isResponder: Bool
    /// A completer whose endpoint meets the remission rule; nil when the
    /// instrument has no remission rule.
    public let isRemitter: Bool?
    /// A completer with `b − e ≥ rc`; nil without a reliable-change value.
    public let isReliablyImproved: Bool?
    /// A completer with `e − b ≥ rc`; nil without a reliable-change value.
    public let isReliablyDeteriorated: Bool?
    /// For an ITT course, the first follow-up score in `(start, E]` that meets
    /// the response rule, if any.
    public let earlyResponse: ScoreEvent?
    /// For a responder, its first follow-up score that meets the response rule.
    public let firstResponse: ScoreEvent?
    /// For a responder, the course's sessions dated before `firstResponse`.
    public let sessionsToResponse: Int?

    /// An ITT course with a follow-up score in `(start, E]` that meets the response rule.
    public var isEarlyResponder: Bool { earlyResponse != nil }
}

/// DATA-CONTRACT §6 baseline: the latest score dated in `[start − 30, start]`.
/// `scores` are one patient's scores of one instrument, sorted by day.
public func baseline(of course: Course, in scores: ArraySlice<ScoreEvent>) -> ScoreEvent? {
    let afterStart = firstIndex(in: scores, after: course.start)
    guard afterStart > scores.startIndex else { return nil }
    let candidate = scores[afterStart - 1]
    return candidate.day >= course.start - baselineLookbackDays ? candidate : nil
}

/// DATA-CONTRACT §6 follow-up scores: dated in `(start, W]`.
public func followUpScores(of course: Course, in scores: ArraySlice<ScoreEvent>) -> ArraySlice<ScoreEvent> {
    scores[firstIndex(in: scores, after: course.start)..<firstIndex(in: scores, after: course.windowEnd)]
}

/// DATA-CONTRACT §6 early-response cut-off `E`: `min(d(2), W)` for a course of at
/// least two sessions, else `W`.
public func earlyResponseCutoff(of course: Course) -> Day {
    guard let second = course.sessionDay(2) else { return course.windowEnd }
    return min(second, course.windowEnd)
}

/// DATA-CONTRACT §6 status, in its order: `no_baseline`, `below_threshold`,
/// `no_followup`, `evaluated`.
public func status(baseline: ScoreEvent?, endpoint: ScoreEvent?, instrument: Instrument) -> CourseStatus {
    guard let baseline else { return .noBaseline }
    if Int(baseline.score) < instrument.minBaseline { return .belowThreshold }
    return endpoint == nil ? .noFollowup : .evaluated
}

/// DATA-CONTRACT §6: the full outcome of `course` on one instrument.
/// `scores` are the patient's scores of that instrument, sorted by day.
public func evaluate(_ course: Course, instrumentIndex: Int, instrument: Instrument,
                     scores: ArraySlice<ScoreEvent>) -> InstrumentOutcome {
    let base = baseline(of: course, in: scores)
    let followUps = followUpScores(of: course, in: scores)
    let end = followUps.last
    let courseStatus = status(baseline: base, endpoint: end, instrument: instrument)

    var responder = false
    var remitter: Bool? = nil
    var improved: Bool? = nil
    var deteriorated: Bool? = nil
    var early: ScoreEvent? = nil
    var first: ScoreEvent? = nil
    var sessionsToResponse: Int? = nil
    if courseStatus.isIntentionToTreat, let base {
        let b = Int(base.score)
        let responds = { (score: ScoreEvent) in instrument.meetsResponse(baseline: b, endpoint: Int(score.score)) }
        let cutoff = earlyResponseCutoff(of: course)
        early = followUps.first { $0.day <= cutoff && responds($0) }
        if courseStatus == .evaluated, let end {
            let e = Int(end.score)
            responder = responds(end)
            remitter = instrument.meetsRemission(endpoint: e)
            improved = instrument.reliablyImproved(baseline: b, endpoint: e)
            deteriorated = instrument.reliablyDeteriorated(baseline: b, endpoint: e)
            if responder, let response = followUps.first(where: responds) {
                first = response
                sessionsToResponse = course.sessionsBefore(response.day)
            }
        }
    }
    return InstrumentOutcome(instrument: instrumentIndex, status: courseStatus, baseline: base, endpoint: end,
                             followUps: followUps.count, isResponder: responder, isRemitter: remitter,
                             isReliablyImproved: improved, isReliablyDeteriorated: deteriorated,
                             earlyResponse: early, firstResponse: first, sessionsToResponse: sessionsToResponse)
}

/// Index of the first score dated after `day` (scores sorted by day).
func firstIndex(in scores: ArraySlice<ScoreEvent>, after day: Day) -> Int {
    var low = scores.startIndex, high = scores.endIndex
    while low < high {
        let mid = (low + high) / 2
        if scores[mid].day <= day { low = mid + 1 } else { high = mid }
    }
    return low
}
