/// DATA-CONTRACT §6: where a course stands on one instrument.
public enum CourseStatus: String, Sendable, CaseIterable {
    /// No score from `start − 30` up to the first session.
    case noBaseline = "no_baseline"
    /// Baseline below the instrument's minimum: not ill enough to judge.
    case belowThreshold = "below_threshold"
    /// A qualifying baseline but no score after the first session up to W.
    case noFollowup = "no_followup"
    /// A qualifying baseline and an endpoint.
    case evaluated

    /// In the intention-to-treat population (`no_followup` + `evaluated`).
    public var isIntentionToTreat: Bool { self == .noFollowup || self == .evaluated }
    /// In the evaluable population (`evaluated`; v1 called it completers).
    public var isEvaluable: Bool { self == .evaluated }
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
    /// Number of follow-up scores.
    public let followUps: Int
    /// An evaluable course whose endpoint meets the response rule.
    public let isResponder: Bool
    /// An evaluable course whose endpoint meets the remission rule; nil when
    /// the instrument has no remission rule.
    public let isRemitter: Bool?
    /// An evaluable course with `b − e ≥ rc`; nil without a reliable-change value.
    public let isReliablyImproved: Bool?
    /// An evaluable course with `e − b ≥ rc`; nil without a reliable-change value.
    public let isReliablyDeteriorated: Bool?
    /// Remitted and reliably improved; nil when the instrument lacks either rule.
    public let isRecovered: Bool?
    /// An evaluable course that finished the protocol (enough sessions) or
    /// responded before it did (DATA-CONTRACT §6 completers).
    public let isCompleter: Bool
    /// For an ITT course, the first follow-up score before the second session
    /// (any, for a one-session course) that meets the response rule, if any.
    public let earlyResponse: ScoreEvent?
    /// For a responder, its first follow-up score that meets the response rule.
    public let firstResponse: ScoreEvent?
    /// For a responder, the course's sessions that come before `firstResponse`.
    public let sessionsToResponse: Int?
    /// For each of the modality's time points (DATA-CONTRACT §6b), the
    /// time-point score of an ITT course whose first session has a time.
    public let timePointScores: [ScoreEvent?]

    /// An ITT course with an early response.
    public var isEarlyResponder: Bool { earlyResponse != nil }
}

/// DATA-CONTRACT §6 baseline: the latest score dated on or after
/// `start − 30` that comes before the course's first session (at the same
/// instant, the score comes first). `scores` are one patient's scores of one
/// instrument, in instant order.
public func baseline(of course: Course, in scores: ArraySlice<ScoreEvent>) -> ScoreEvent? {
    let afterStart = firstIndex(in: scores, afterInstant: course.startInstant)
    guard afterStart > scores.startIndex else { return nil }
    let candidate = scores[afterStart - 1]
    return candidate.day >= course.start - baselineLookbackDays ? candidate : nil
}

/// DATA-CONTRACT §6 follow-up scores: after the first session and dated ≤ W.
public func followUpScores(of course: Course, in scores: ArraySlice<ScoreEvent>) -> ArraySlice<ScoreEvent> {
    let first = firstIndex(in: scores, afterInstant: course.startInstant)
    let last = max(first, firstIndex(in: scores, afterDay: course.windowEnd))
    return scores[first..<last]
}

/// DATA-CONTRACT §6 early response: the instant a score must come no later
/// than (the second session's; a score at that instant comes before it), or
/// nil for a one-session course, where any follow-up score counts.
public func earlyResponseCutoff(of course: Course) -> Int64? {
    course.sessionInstant(2)
}

/// DATA-CONTRACT §6 status, in its order: `no_baseline`, `below_threshold`,
/// `no_followup`, `evaluated`.
public func status(baseline: ScoreEvent?, endpoint: ScoreEvent?, instrument: Instrument) -> CourseStatus {
    guard let baseline else { return .noBaseline }
    if Int(baseline.score) < instrument.minBaseline { return .belowThreshold }
    return endpoint == nil ? .noFollowup : .evaluated
}

/// DATA-CONTRACT §6 completers: an evaluable course with at least the
/// modality's completion sessions, or whose endpoint meets the response
/// rule; every evaluable course when the modality names no completion sessions.
public func isCompleter(_ course: Course, modality: Modality, isEvaluable: Bool, isResponder: Bool) -> Bool {
    guard isEvaluable else { return false }
    guard let completion = modality.completionSessions else { return true }
    return course.sessions >= completion || isResponder
}

/// DATA-CONTRACT §6b: the time-point score of a course whose first session
/// has a time: the timed follow-up score whose offset from the first
/// session's start lies in the time point's range and is closest to its
/// target; on a tie, the earlier. Untimed scores take no part.
public func timePointScore(_ point: TimePoint, course: Course, followUps: ArraySlice<ScoreEvent>) -> ScoreEvent? {
    guard course.startIsTimed else { return nil }
    var best: ScoreEvent?
    var bestDistance = Int64.max
    for score in followUps where score.isTimed {
        let offset = score.instant - course.startInstant
        guard offset >= Int64(point.earliest), offset <= Int64(point.latest) else { continue }
        let distance = abs(offset - Int64(point.target))
        // Scores come in instant order: a later one must be strictly closer.
        if distance < bestDistance {
            best = score
            bestDistance = distance
        }
    }
    return best
}

/// DATA-CONTRACT §6 and §6b: the full outcome of `course` on one instrument.
/// `scores` are the patient's scores of that instrument, in instant order.
public func evaluate(_ course: Course, modality: Modality, instrumentIndex: Int, instrument: Instrument,
                     scores: ArraySlice<ScoreEvent>) -> InstrumentOutcome {
    let base = baseline(of: course, in: scores)
    let followUps = followUpScores(of: course, in: scores)
    let end = followUps.last
    let courseStatus = status(baseline: base, endpoint: end, instrument: instrument)

    var responder = false
    var remitter: Bool? = nil
    var improved: Bool? = nil
    var deteriorated: Bool? = nil
    var recovered: Bool? = nil
    var early: ScoreEvent? = nil
    var first: ScoreEvent? = nil
    var sessionsToResponse: Int? = nil
    var timePoints: [ScoreEvent?] = Array(repeating: nil, count: modality.timePoints.count)
    if courseStatus.isIntentionToTreat, let base {
        let b = Int(base.score)
        let responds = { (score: ScoreEvent) in instrument.meetsResponse(baseline: b, endpoint: Int(score.score)) }
        let cutoff = earlyResponseCutoff(of: course)
        early = followUps.first { score in (cutoff.map { score.instant <= $0 } ?? true) && responds(score) }
        if courseStatus == .evaluated, let end {
            let e = Int(end.score)
            responder = responds(end)
            remitter = instrument.meetsRemission(endpoint: e)
            improved = instrument.reliablyImproved(baseline: b, endpoint: e)
            deteriorated = instrument.reliablyDeteriorated(baseline: b, endpoint: e)
            recovered = instrument.isRecovered(baseline: b, endpoint: e)
            if responder, let response = followUps.first(where: responds) {
                first = response
                sessionsToResponse = course.sessionsBefore(scoreAt: response.instant)
            }
        }
        timePoints = modality.timePoints.map { timePointScore($0, course: course, followUps: followUps) }
    }
    return InstrumentOutcome(instrument: instrumentIndex, status: courseStatus, baseline: base, endpoint: end,
                             followUps: followUps.count, isResponder: responder, isRemitter: remitter,
                             isReliablyImproved: improved, isReliablyDeteriorated: deteriorated, isRecovered: recovered,
                             isCompleter: isCompleter(course, modality: modality, isEvaluable: courseStatus.isEvaluable,
                                                      isResponder: responder),
                             earlyResponse: early, firstResponse: first, sessionsToResponse: sessionsToResponse,
                             timePointScores: timePoints)
}

/// Index of the first score whose instant is after `instant` (scores in instant order).
func firstIndex(in scores: ArraySlice<ScoreEvent>, afterInstant instant: Int64) -> Int {
    var low = scores.startIndex, high = scores.endIndex
    while low < high {
        let mid = (low + high) / 2
        if scores[mid].instant <= instant { low = mid + 1 } else { high = mid }
    }
    return low
}

/// Index of the first score dated after `day`.
func firstIndex(in scores: ArraySlice<ScoreEvent>, afterDay day: Day) -> Int {
    var low = scores.startIndex, high = scores.endIndex
    while low < high {
        let mid = (low + high) / 2
        if scores[mid].day <= day { low = mid + 1 } else { high = mid }
    }
    return low
}
