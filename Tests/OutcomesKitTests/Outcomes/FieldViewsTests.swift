import Foundation
import Testing
@testable import OutcomesKit

/// DATA-CONTRACT §13 on courses worked by hand: time to response, durability,
/// dropout and outcomes by sessions, for ketamine (6 acute sessions, W = 6th
/// session + 14 days; PHQ-9 response: a fall of at least half).
@Suite struct FieldViewsTests {
    let catalog = Catalog.standard
    var ketamine: Int { catalog.modalityIndex(id: "ketamine_iv")! }
    var phq9: Int { catalog.instrumentIndex(id: "phq9")! }

    /// Sessions on the given days after `2026-03-02`, and PHQ-9 scores (day offset, score).
    func patient(_ id: Int32, sessions: [Int], scores: [(Int, Int32)]) -> ([SessionEvent], [ScoreEvent]) {
        let start = day("2026-03-02")
        return (sessions.map { SessionEvent(patient: id, modality: ketamine, day: start + $0, site: 0) },
                scores.map { ScoreEvent(patient: id, instrument: phq9, day: start + $0.0, score: $0.1) })
    }

    func views(_ parts: [([SessionEvent], [ScoreEvent])]) -> (FieldViews, OutcomeResult) {
        let input = OutcomeInput(sessions: parts.flatMap(\.0), scores: parts.flatMap(\.1), siteNames: ["North"])
        let events = OutcomeEngine.prepare(input, catalog: catalog)
        let result = OutcomeEngine.compute(events, catalog: catalog, month: YearMonth("2026-10")!)
        return (OutcomeEngine.fieldViews(result, events: events, catalog: catalog), result)
    }

    func curve(_ views: FieldViews, _ kind: SurvivalCurveKind) -> KaplanMeier {
        views.survival.first { $0.kind == kind && $0.window.kind == .twelveMonths && $0.modality == ketamine }!.curve
    }

    @Test func timeToResponseIsTheFirstRespondingFollowUpOrTheLastOne() {
        let (views, _) = views([
            // Responds on day 9 (20 → 10), though the endpoint (day 20) relapses: an event at 9.
            patient(1, sessions: [0, 2, 4, 7, 9, 11], scores: [(0, 20), (4, 14), (9, 10), (20, 16)]),
            // Never responds: censored at its last follow-up, day 25.
            patient(2, sessions: [0, 2, 4, 7, 9, 11], scores: [(0, 20), (11, 15), (25, 14)]),
            // No follow-up score: censored at day 0.
            patient(3, sessions: [0, 2], scores: [(0, 18)]),
            // No baseline: not in ITT, not in the curve.
            patient(4, sessions: [0, 2], scores: [(5, 8)]),
        ])
        let times = curve(views, .timeToResponse)
        #expect(times.subjects == 3)
        #expect(times.steps.map(\.time) == [0, 9, 25])
        #expect(times.steps.map(\.events) == [0, 1, 0] && times.steps.map(\.censored) == [1, 0, 1])
        #expect(abs(times.steps[1].survival - 0.5) < 1e-12)   // 1 − 1/2: two at risk on day 9
    }

    @Test func durabilityFollowsLaterScoresUpToTheCut() {
        let (views, _) = views([
            // First responds on day 9 (20 → 8); a score on day 60, long after W, is 12: lost at 51 days.
            patient(1, sessions: [0, 2, 4, 7, 9, 11], scores: [(0, 20), (9, 8), (20, 9), (60, 12)]),
            // Responds on day 11 and holds through day 40: censored at 29 days.
            patient(2, sessions: [0, 2, 4, 7, 9, 11], scores: [(0, 24), (11, 10), (40, 11)]),
            // Not a responder (endpoint 15): not in the durability curve.
            patient(3, sessions: [0, 2, 4, 7, 9, 11], scores: [(0, 20), (9, 8), (20, 15)]),
        ])
        let lasting = curve(views, .durability)
        #expect(lasting.subjects == 2)
        #expect(lasting.steps.map(\.time) == [29, 51])
        #expect(lasting.steps.map(\.events) == [0, 1])
        #expect(lasting.steps.last!.survival == 0)
    }

    @Test func dropoutCountsTheCoursesReachingEachSession() {
        let (views, result) = views([
            patient(1, sessions: [0], scores: []),
            patient(2, sessions: [0, 3, 6], scores: []),
            patient(3, sessions: [0, 2, 4, 7, 9, 11], scores: []),
            patient(4, sessions: [0, 2, 4, 7, 9, 11, 14], scores: []),   // past the series: reaches every session
        ])
        let dropout = views.dropout.first { $0.window.kind == .twelveMonths && $0.modality == ketamine }!
        #expect(dropout.reached == [4, 3, 3, 2, 2, 2])
        // Session 1 is every course, as outcomes.csv counts them.
        #expect(result.outcomeRows.first { $0.window.kind == .twelveMonths && $0.modality == ketamine && $0.site == .allSites }!.courses == 4)
        for row in views.dropout { #expect(zip(row.reached, row.reached.dropFirst()).allSatisfy { $0 >= $1 }) }
    }

    @Test func outcomesBySessionsUseTheModalitysBins() {
        let (views, _) = views([
            patient(1, sessions: [0, 2], scores: [(0, 20), (5, 8)]),                              // 2 sessions: 1–3, responder
            patient(2, sessions: [0, 2, 4, 7], scores: [(0, 20), (8, 15)]),                       // 4: 4–5
            patient(3, sessions: [0, 2, 4, 7, 9, 11], scores: [(0, 20), (12, 3)]),                // 6: 6+, remitter
            patient(4, sessions: [0, 2, 4, 7, 9, 11], scores: [(0, 20), (12, 12)]),               // 6: 6+
        ])
        let bins = views.bySessions.filter { $0.window.kind == .twelveMonths && $0.modality == ketamine }
        #expect(bins.map(\.label) == ["1–3", "4–5", "6+"])
        #expect(bins.map(\.evaluable) == [1, 1, 2])
        #expect(bins.map(\.responders) == [1, 0, 1])
        #expect(bins.map(\.remitters) == [0, 0, 1])
        #expect(bins[2].response?.rate == 0.5)
    }

    @Test func eachEvaluableCourseIsAPointWithItsCategory() {
        let (views, _) = views([
            patient(1, sessions: [0, 2], scores: [(0, 20), (5, 3)]),    // remitted and reliably better: recovered
            patient(2, sessions: [0, 2], scores: [(0, 20), (5, 12)]),   // −8 ≥ 6: improved
            patient(3, sessions: [0, 2], scores: [(0, 20), (5, 18)]),   // unchanged
            patient(4, sessions: [0, 2], scores: [(0, 12), (5, 19)]),   // +7: deteriorated
        ])
        let points = views.points.filter { $0.modality == ketamine }
        // In (baseline, endpoint) order, whatever order the courses came in.
        #expect(points.map(\.category) == [.deteriorated, .recovered, .improved, .unchanged])
        #expect(points.map(\.baseline) == [12, 20, 20, 20] && points.map(\.endpoint) == [19, 3, 12, 18])
        #expect(points.map(\.courses) == [1, 1, 1, 1])
    }
}
