import Testing
@testable import OutcomesKit

/// DATA-CONTRACT §6: baseline, follow-up, endpoint, status, early response and
/// sessions to response, at their edges.
@Suite struct CourseEvaluationTests {
    let catalog = Catalog.standard
    var phq9: Instrument { catalog.instrument(named: "phq9")! }
    var phq9Index: Int { catalog.instrumentIndex(id: "phq9")! }
    var ketamine: Modality { catalog.modality(named: "ketamine_iv")! }

    /// Six infusions from 2026-10-01 every other day: W = 10-11 + 14 = 10-25.
    var course: Course {
        let days = (0..<6).map { day("2026-10-01") + 2 * $0 }
        let events = ArraySlice(days.map { SessionEvent(patient: 1, modality: 0, day: $0, site: 0) })
        return buildCourses(patient: 1, modalityIndex: 0, modality: ketamine, sessions: events)[0]
    }

    func scores(_ pairs: [(String, Int32)]) -> ArraySlice<ScoreEvent> {
        ArraySlice(pairs.map { ScoreEvent(patient: 1, instrument: phq9Index, day: day($0.0), score: $0.1) }
            .sorted { $0.day < $1.day })
    }

    func outcome(_ pairs: [(String, Int32)]) -> InstrumentOutcome {
        evaluate(course, modality: ketamine, instrumentIndex: phq9Index, instrument: phq9, scores: scores(pairs))
    }

    @Test func windowEndOfTheFixture() {
        #expect(course.windowEnd == day("2026-10-25"))
    }

    @Test func baselineThirtyDaysBeforeStartCounts() {
        let result = outcome([("2026-09-01", 20), ("2026-10-20", 5)])
        #expect(result.baseline?.day == day("2026-09-01"))
        #expect(result.status == .evaluated)
    }

    @Test func baselineThirtyOneDaysBeforeStartDoesNot() {
        let result = outcome([("2026-08-31", 20), ("2026-10-20", 5)])
        #expect(result.baseline == nil)
        #expect(result.status == .noBaseline)
    }

    @Test func baselineOnTheStartDayCountsAndIsNotAFollowUp() {
        let result = outcome([("2026-09-20", 22), ("2026-10-01", 18)])
        #expect(result.baseline?.score == 18, "the latest score in [start − 30, start]")
        #expect(result.status == .noFollowup)
    }

    @Test func aScoreOnWIsTheEndpoint() {
        let result = outcome([("2026-10-01", 20), ("2026-10-10", 15), ("2026-10-25", 8)])
        #expect(result.endpoint?.day == day("2026-10-25"))
        #expect(result.followUps == 2)
        #expect(result.isResponder)
    }

    @Test func aScoreOnWPlusOneIsOutside() {
        let result = outcome([("2026-10-01", 20), ("2026-10-10", 15), ("2026-10-26", 2)])
        #expect(result.endpoint?.score == 15)
        #expect(result.followUps == 1)
        #expect(!result.isResponder)
    }

    @Test func statusFollowsTheSpecOrder() {
        #expect(outcome([]).status == .noBaseline)
        #expect(outcome([("2026-10-01", 9), ("2026-10-10", 2)]).status == .belowThreshold)
        #expect(outcome([("2026-10-01", 10), ("2026-10-10", 2)]).status == .evaluated, "min baseline is inclusive")
        #expect(outcome([("2026-10-01", 10)]).status == .noFollowup)
    }

    @Test func belowThresholdCoursesHaveNoOutcomes() {
        let result = outcome([("2026-10-01", 9), ("2026-10-03", 0)])
        #expect(!result.isResponder && !result.isEarlyResponder)
        #expect(result.isRemitter == nil && result.sessionsToResponse == nil)
    }

    @Test func remissionAndReliableChangeAreComputedForCompleters() {
        let result = outcome([("2026-10-01", 20), ("2026-10-20", 4)])
        #expect(result.isRemitter == true)
        #expect(result.isReliablyImproved == true)
        #expect(result.isReliablyDeteriorated == false)
        let worse = outcome([("2026-10-01", 12), ("2026-10-20", 18)])
        #expect(worse.isReliablyDeteriorated == true)
        #expect(worse.isRemitter == false)
    }

    @Test func earlyResponseCutoffIsTheSecondSessionOrNone() {
        #expect(earlyResponseCutoff(of: course) == Int64(day("2026-10-03").ordinal) * 86_400)
        let single = buildCourses(patient: 1, modalityIndex: 0, modality: ketamine,
                                  sessions: [SessionEvent(patient: 1, modality: 0, day: day("2026-10-01"), site: 0)])[0]
        #expect(earlyResponseCutoff(of: single) == nil, "one session: any follow-up score counts")
    }

    @Test func earlyResponseCountsAScoreOnTheSecondSessionDay() {
        #expect(outcome([("2026-10-01", 20), ("2026-10-03", 10), ("2026-10-20", 12)]).isEarlyResponder)
        #expect(!outcome([("2026-10-01", 20), ("2026-10-04", 10), ("2026-10-20", 12)]).isEarlyResponder)
    }

    @Test func earlyResponseCountsForITTWithoutEndpointResponse() {
        let result = outcome([("2026-10-01", 20), ("2026-10-03", 10), ("2026-10-20", 15)])
        #expect(result.isEarlyResponder)
        #expect(!result.isResponder)
    }

    @Test func sessionsToResponseCountsSessionsBeforeTheFirstRespondingScore() {
        // Sessions 10-01, 03, 05, 07, 09, 11. First responding score on 10-07:
        // taken before that day's session, so 3 sessions.
        let result = outcome([("2026-10-01", 20), ("2026-10-05", 12), ("2026-10-07", 10), ("2026-10-20", 6)])
        #expect(result.sessionsToResponse == 3)
        let nonResponder = outcome([("2026-10-01", 20), ("2026-10-07", 10), ("2026-10-20", 12)])
        #expect(nonResponder.sessionsToResponse == nil)
    }
}
