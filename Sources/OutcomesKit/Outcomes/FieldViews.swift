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
    /// Evaluable courses of the last 12 months, for the clinical-significance
    /// plot: one point per (baseline, endpoint) with its number of courses.
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

/// Evaluable courses with one baseline and endpoint: a point of the plot.
public struct CoursePoint: Sendable, Equatable {
    public let modality: Int
    public let instrument: Int
    public let baseline: Int
    public let endpoint: Int
    /// Nil when the scale has no reliable-change value. The same for every
    /// course at the point: it is a function of the two scores and the scale.
    public let category: ChangeCategory?
    /// Courses at this point.
    public let courses: Int
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
        var fold = FieldViewsFold(windows: result.windows, catalog: catalog)
        for index in result.courses.indices { fold.add(result.courses[index], times: times[index]) }
        return fold.views(mainScales: catalog.modalities.indices.map { result.mainScale(of: $0, catalog: catalog) })
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

/// The field views folded one closed course at a time. Which scale is a
/// modality's main one depends on the 12-month outcome rows, known only at
/// the end, so every scale of the modality is tallied and the main one
/// chosen then. Survival times are counted per day, not listed, so memory
/// stays with the cells, not the courses.
struct FieldViewsFold {
    let windows: [ReportWindow]
    let catalog: Catalog

    /// One (modality, window) cell: courses, how far they got, and each scale's tallies.
    private struct Cell {
        var courses = 0
        /// `reached[k - 1]`: courses with at least k sessions (k ≤ the acute course).
        var reached: [Int]
        var scales: [Int: Scale] = [:]
    }

    private struct Scale {
        var toResponse = SurvivalTally(), durability = SurvivalTally()
        var bins: [(evaluable: Int, responders: Int, remitters: Int)]
    }

    private var cells: [[Cell]]
    /// The 12-month window's courses per (baseline, endpoint), per modality
    /// and scale: at most a scale's range squared, whatever the courses.
    private var points: [[Int: [ScorePair: (category: ChangeCategory?, courses: Int)]]]

    private struct ScorePair: Hashable {
        let baseline: Int, endpoint: Int
    }
    private let twelveMonths: Int?

    init(windows: [ReportWindow], catalog: Catalog) {
        self.windows = windows
        self.catalog = catalog
        cells = catalog.modalities.map { modality in
            Array(repeating: Cell(reached: Array(repeating: 0, count: modality.acuteSessions ?? 0)), count: windows.count)
        }
        points = catalog.modalities.map { _ in [:] }
        twelveMonths = windows.firstIndex { $0.kind == .twelveMonths }
    }

    /// Adds a course (nothing when it is open or in no window) with its score times.
    mutating func add(_ evaluated: EvaluatedCourse, times: [OutcomeEngine.ScoreTimes?]) {
        guard evaluated.isClosed else { return }
        let course = evaluated.course, modalityIndex = course.modality
        let inWindows = windows.indices.filter { windows[$0].contains(course.windowEnd) }
        guard !inWindows.isEmpty else { return }
        let modality = catalog.modalities[modalityIndex]
        for window in inWindows {
            cells[modalityIndex][window].courses += 1
            for k in 0..<min(course.sessions, cells[modalityIndex][window].reached.count) { cells[modalityIndex][window].reached[k] += 1 }
        }
        let bin = modality.sessionBins.lastIndex { $0 <= course.sessions }
        for (position, outcome) in evaluated.outcomes.enumerated() {
            guard position < times.count, let scoreTimes = times[position], let baseline = outcome.baseline else { continue }
            let instrument = outcome.instrument
            for window in inWindows {
                cells[modalityIndex][window].scales[instrument, default: Scale(bins: modality.sessionBins.map { _ in (0, 0, 0) })]
                    .toResponse.add(scoreTimes.toResponse)
            }
            guard outcome.status.isEvaluable else { continue }
            for window in inWindows {
                if let lasting = scoreTimes.durability { cells[modalityIndex][window].scales[instrument]!.durability.add(lasting) }
                if let bin {
                    cells[modalityIndex][window].scales[instrument]!.bins[bin].evaluable += 1
                    if outcome.isResponder { cells[modalityIndex][window].scales[instrument]!.bins[bin].responders += 1 }
                    if outcome.isRemitter == true { cells[modalityIndex][window].scales[instrument]!.bins[bin].remitters += 1 }
                }
            }
            if let twelveMonths, inWindows.contains(twelveMonths), let endpoint = outcome.endpoint {
                points[modalityIndex][instrument, default: [:]][
                    ScorePair(baseline: Int(baseline.score), endpoint: Int(endpoint.score)),
                    default: (OutcomeEngine.changeCategory(outcome), 0)].courses += 1
            }
        }
    }

    /// The views on each modality's main scale (`mainScales`, by modality).
    func views(mainScales: [Int]) -> FieldViews {
        var views = FieldViews()
        // Points grouped by modality, in (baseline, endpoint) order within each:
        // the same whatever order the courses were added in.
        views.points = catalog.modalities.indices.flatMap { modality in
            let instrument = mainScales[modality]
            return (points[modality][instrument] ?? [:]).sorted { ($0.key.baseline, $0.key.endpoint) < ($1.key.baseline, $1.key.endpoint) }
                .map { CoursePoint(modality: modality, instrument: instrument, baseline: $0.key.baseline, endpoint: $0.key.endpoint,
                                   category: $0.value.category, courses: $0.value.courses) }
        }
        for modalityIndex in catalog.modalities.indices {
            let modality = catalog.modalities[modalityIndex], instrumentIndex = mainScales[modalityIndex]
            for (windowIndex, window) in windows.enumerated() {
                let cell = cells[modalityIndex][windowIndex]
                guard cell.courses > 0 else { continue }
                let scale = cell.scales[instrumentIndex] ?? Scale(bins: modality.sessionBins.map { _ in (0, 0, 0) })
                views.survival.append(SurvivalCurve(window: window, modality: modalityIndex, instrument: instrumentIndex,
                                                    kind: .timeToResponse, curve: KaplanMeier(scale.toResponse)))
                views.survival.append(SurvivalCurve(window: window, modality: modalityIndex, instrument: instrumentIndex,
                                                    kind: .durability, curve: KaplanMeier(scale.durability)))
                if modality.acuteSessions != nil {
                    views.dropout.append(DropoutRow(window: window, modality: modalityIndex, reached: cell.reached))
                }
                for (bin, tally) in scale.bins.enumerated() {
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
}
