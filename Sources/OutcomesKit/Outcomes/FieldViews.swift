/// The views registries and real-world studies publish beside rates
/// (DATA-CONTRACT §13): time to response and durability of response
/// (Kaplan–Meier), dropout by session number, outcomes by sessions received,
/// and each course's baseline against its endpoint (the Jacobson–Truax plot).
/// All on the same courses as `outcomes.csv`: closed courses whose W falls in
/// a window, on each modality's main scale, all sites.
public struct FieldViews: Sendable, Equatable {
    public var survival: [SurvivalCurve] = []
    public var dropout: [DropoutRow] = []
    public var bySessions: [SessionsBinRow] = []
    /// Evaluable courses of the last 12 months, for the clinical-significance plot.
    public var points: [CoursePoint] = []

    public init() {}
}

/// Which survival curve.
public enum SurvivalCurveKind: String, Sendable, CaseIterable {
    /// Days from a course's start to its first follow-up score that meets the
    /// response rule; censored at its last follow-up score (day 0 without one). ITT courses.
    case timeToResponse = "time_to_response"
    /// Days from a responder's first responding score to the first later score
    /// of the scale (up to the cut, boosters included) that no longer meets the
    /// rule against the course's baseline; censored at the patient's last score.
    case durability

    /// The days a report reads the curve at.
    public var fixedDays: [Int] { self == .timeToResponse ? [7, 14, 28, 56] : [28, 56, 84] }
}

public struct SurvivalCurve: Sendable, Equatable {
    public let window: ReportWindow
    public let modality: Int
    public let instrument: Int
    public let kind: SurvivalCurveKind
    public let curve: KaplanMeier
}

/// How many of a window's closed courses reached each session, 1…n.
public struct DropoutRow: Sendable, Equatable {
    public let window: ReportWindow
    public let modality: Int
    /// `reached[k − 1]`: courses with at least k sessions; `reached[0]` is every course.
    public let reached: [Int]
}

/// Evaluable courses with a number of sessions in `sessions`, and their outcomes.
public struct SessionsBinRow: Sendable, Equatable {
    public let window: ReportWindow
    public let modality: Int
    public let instrument: Int
    public let firstSession: Int
    /// Nil: open-ended (`36+`).
    public let lastSession: Int?
    public let evaluable: Int
    public let responders: Int
    /// Nil when the scale has no remission rule.
    public let remitters: Int?

    public var label: String { lastSession.map { $0 == firstSession ? "\($0)" : "\(firstSession)–\($0)" } ?? "\(firstSession)+" }
    public var response: Proportion? { wilsonInterval(successes: responders, total: evaluable) }
    public var remission: Proportion? { remitters.flatMap { wilsonInterval(successes: $0, total: evaluable) } }
}

/// Where an evaluable course ends up, judged as Jacobson and Truax do.
public enum ChangeCategory: String, Sendable, CaseIterable {
    case recovered, improved, unchanged, deteriorated
}

/// One evaluable course: baseline against endpoint.
public struct CoursePoint: Sendable, Equatable {
    public let modality: Int
    public let instrument: Int
    public let baseline: Int
    public let endpoint: Int
    /// Nil when the scale has no reliable-change value.
    public let category: ChangeCategory?
}

extension OutcomeEngine {
    /// The field's views of `result`, reading later scores from `events`
    /// (durability follows a responder's scores past W, up to the cut).
    public static func fieldViews(_ result: OutcomeResult, events: PreparedEvents, catalog: Catalog) -> FieldViews {
        fieldViews(result, times: result.courses.map { scoreTimes(of: $0, events: events, catalog: catalog, cut: result.cut) },
                   catalog: catalog)
    }

    /// What the field views read from a course's scores, for each of its
    /// outcomes (same order): computed while the patient's scores are at hand,
    /// so that a report evaluated patient by patient need not keep them.
    public struct ScoreTimes: Hashable, Sendable {
        /// Days to the first responding follow-up score (an ITT course with a baseline).
        public let toResponse: SurvivalTime
        /// How long a response lasted (a responder).
        public let durability: SurvivalTime?
    }

    /// The `ScoreTimes` of each outcome of a closed course (nil where the
    /// course has no ITT baseline on that scale); empty for an open course.
    static func scoreTimes(of evaluated: EvaluatedCourse, events: PreparedEvents, catalog: Catalog, cut: Day) -> [ScoreTimes?] {
        guard evaluated.isClosed else { return [] }
        return scoreTimes(of: evaluated.course, outcomes: evaluated.outcomes, events: events, catalog: catalog, cut: cut)
    }

    /// The `ScoreTimes` of each of a course's outcomes, from the scores of
    /// `events` (nil where the course has no ITT baseline on that scale).
    static func scoreTimes(of course: Course, outcomes: [InstrumentOutcome], events: PreparedEvents, catalog: Catalog,
                           cut: Day) -> [ScoreTimes?] {
        outcomes.map { outcome in
            guard outcome.status.isIntentionToTreat, let baseline = outcome.baseline else { return nil }
            let instrument = catalog.instruments[outcome.instrument]
            let scores = events.scores.scores(patient: course.patient, instrument: outcome.instrument)
            let toResponse = timeToResponse(course, baseline: Int(baseline.score), instrument: instrument, scores: scores)
            let durability = outcome.status.isEvaluable ? outcome.firstResponse.map {
                durationOfResponse(from: $0, baseline: Int(baseline.score), instrument: instrument, scores: scores, cut: cut)
            } : nil
            return ScoreTimes(toResponse: toResponse, durability: durability)
        }
    }

    /// The field's views of `result`, given each course's `ScoreTimes` (same order as `result.courses`).
    public static func fieldViews(_ result: OutcomeResult, times: [[ScoreTimes?]], catalog: Catalog) -> FieldViews {
        struct Bucket {
            var toResponse: [SurvivalTime] = [], durability: [SurvivalTime] = [], sessions: [Int] = []
            var bins: [(evaluable: Int, responders: Int, remitters: Int)]
        }
        let mainScales = catalog.modalities.indices.map { result.mainScale(of: $0, catalog: catalog) }
        // One pass over the courses, each added to the (modality, window) buckets it falls in.
        var buckets = catalog.modalities.map { modality in
            Array(repeating: Bucket(bins: modality.sessionBins.map { _ in (0, 0, 0) }), count: result.windows.count)
        }
        var views = FieldViews()
        var points = catalog.modalities.map { _ in [CoursePoint]() }
        for index in result.courses.indices where result.courses[index].isClosed {
            let course = result.courses[index].course, modalityIndex = course.modality
            let windows = result.windows.indices.filter { result.windows[$0].contains(course.windowEnd) }
            guard !windows.isEmpty else { continue }
            let modality = catalog.modalities[modalityIndex], instrumentIndex = mainScales[modalityIndex]
            for window in windows { buckets[modalityIndex][window].sessions.append(course.sessions) }
            guard let position = result.courses[index].outcomes.firstIndex(where: { $0.instrument == instrumentIndex }),
                  let scoreTimes = times[index][position] else { continue }
            let outcome = result.courses[index].outcomes[position]
            guard let baseline = outcome.baseline else { continue }
            for window in windows { buckets[modalityIndex][window].toResponse.append(scoreTimes.toResponse) }
            guard outcome.status.isEvaluable else { continue }
            if let lasting = scoreTimes.durability {
                for window in windows { buckets[modalityIndex][window].durability.append(lasting) }
            }
            if let bin = modality.sessionBins.lastIndex(where: { $0 <= course.sessions }) {
                for window in windows {
                    buckets[modalityIndex][window].bins[bin].evaluable += 1
                    if outcome.isResponder { buckets[modalityIndex][window].bins[bin].responders += 1 }
                    if outcome.isRemitter == true { buckets[modalityIndex][window].bins[bin].remitters += 1 }
                }
            }
            if windows.contains(where: { result.windows[$0].kind == .twelveMonths }), let endpoint = outcome.endpoint {
                points[modalityIndex].append(CoursePoint(modality: modalityIndex, instrument: instrumentIndex, baseline: Int(baseline.score),
                                                         endpoint: Int(endpoint.score), category: changeCategory(outcome)))
            }
        }
        // Points grouped by modality, in course order within each.
        views.points = points.flatMap { $0 }
        for modalityIndex in catalog.modalities.indices {
            let modality = catalog.modalities[modalityIndex], instrumentIndex = mainScales[modalityIndex]
            for (windowIndex, window) in result.windows.enumerated() {
                let bucket = buckets[modalityIndex][windowIndex]
                guard !bucket.sessions.isEmpty else { continue }
                views.survival.append(SurvivalCurve(window: window, modality: modalityIndex, instrument: instrumentIndex,
                                                    kind: .timeToResponse, curve: KaplanMeier(bucket.toResponse)))
                views.survival.append(SurvivalCurve(window: window, modality: modalityIndex, instrument: instrumentIndex,
                                                    kind: .durability, curve: KaplanMeier(bucket.durability)))
                if let acute = modality.acuteSessions {
                    views.dropout.append(DropoutRow(window: window, modality: modalityIndex,
                                                    reached: (1...acute).map { k in bucket.sessions.count { $0 >= k } }))
                }
                for (bin, tally) in bucket.bins.enumerated() {
                    let last = bin + 1 < modality.sessionBins.count ? modality.sessionBins[bin + 1] - 1 : nil
                    views.bySessions.append(SessionsBinRow(
                        window: window, modality: modalityIndex, instrument: instrumentIndex,
                        firstSession: modality.sessionBins[bin], lastSession: last, evaluable: tally.evaluable,
                        responders: tally.responders, remitters: catalog.instruments[instrumentIndex].remission == nil ? nil : tally.remitters))
                }
            }
        }
        return views
    }

    /// An ITT course's days to its first follow-up score that meets the
    /// response rule (the event), or to its last follow-up score (censored;
    /// day 0 without one).
    static func timeToResponse(_ course: Course, baseline: Int, instrument: Instrument,
                               scores: ArraySlice<ScoreEvent>) -> SurvivalTime {
        let followUps = followUpScores(of: course, in: scores)
        if let response = followUps.first(where: { instrument.meetsResponse(baseline: baseline, endpoint: Int($0.score)) }) {
            return SurvivalTime(time: response.day - course.start, isEvent: true)
        }
        return SurvivalTime(time: followUps.last.map { $0.day - course.start } ?? 0, isEvent: false)
    }

    /// A responder's days from its first responding score to the first later
    /// score, up to the cut, that no longer meets the rule against the
    /// baseline (the event), or to the patient's last score (censored).
    static func durationOfResponse(from first: ScoreEvent, baseline: Int, instrument: Instrument,
                                   scores: ArraySlice<ScoreEvent>, cut: Day) -> SurvivalTime {
        var last = first
        for score in scores[firstIndex(in: scores, afterInstant: first.instant)...] where score.day <= cut {
            if !instrument.meetsResponse(baseline: baseline, endpoint: Int(score.score)) {
                return SurvivalTime(time: score.day - first.day, isEvent: true)
            }
            last = score
        }
        return SurvivalTime(time: last.day - first.day, isEvent: false)
    }

    /// Recovered, improved or deteriorated as the course's flags say; unchanged
    /// otherwise; nil without a reliable-change value.
    static func changeCategory(_ outcome: InstrumentOutcome) -> ChangeCategory? {
        guard let improved = outcome.isReliablyImproved, let deteriorated = outcome.isReliablyDeteriorated else { return nil }
        if outcome.isRecovered == true { return .recovered }
        if improved { return .improved }
        return deteriorated ? .deteriorated : .unchanged
    }
}
