import Testing
@testable import OutcomesKit

/// DATA-CONTRACT §5–6 with times of day: instant order and its ties,
/// populations and recovered.
@Suite struct InstantTests {
    let catalog = Catalog.standard
    var ketamine: Modality { catalog.modality(named: "ketamine_iv")! }
    var phq9: Instrument { catalog.instrument(named: "phq9")! }
    var phq9Index: Int { catalog.instrumentIndex(id: "phq9")! }

    func value(_ text: String) -> DateTimeValue { DateTimeValue(contract: Array(text.utf8))! }

    func course(_ sessions: [String], modality: Modality? = nil) -> Course {
        let events = sessions.map { text -> SessionEvent in
            let value = value(text)
            return SessionEvent(patient: 1, modality: 0, day: value.day, time: value.storedTime, site: 0)
        }
        return buildCourses(patient: 1, modalityIndex: 0, modality: modality ?? ketamine, sessions: events[...])[0]
    }

    func scores(_ pairs: [(String, Int32)]) -> ArraySlice<ScoreEvent> {
        ArraySlice(pairs.map { text, score in
            let value = value(text)
            return ScoreEvent(patient: 1, instrument: phq9Index, day: value.day, time: value.storedTime, score: score)
        }.sorted(by: ScoreEvent.precedes))
    }

    func outcome(_ course: Course, _ pairs: [(String, Int32)], modality: Modality? = nil) -> InstrumentOutcome {
        evaluate(course, modality: modality ?? ketamine, instrumentIndex: phq9Index, instrument: phq9, scores: scores(pairs))
    }

    let sixAtNine = ["2026-09-01T09:00", "2026-09-03T09:00", "2026-09-05T09:00", "2026-09-08T09:00", "2026-09-10T09:00",
                     "2026-09-12T09:00"]

    @Test func aScoreAtTheSessionsInstantComesBeforeIt() {
        let result = outcome(course(sixAtNine), [("2026-09-01T09:00", 20), ("2026-09-20", 8)])
        #expect(result.baseline?.score == 20, "at one instant the score comes first: it is the baseline")
    }

    @Test func aTimedScoreAfterAnUntimedSessionIsAFollowUp() {
        let untimed = course(["2026-09-07", "2026-09-09", "2026-09-11", "2026-09-14", "2026-09-16", "2026-09-18"])
        let result = outcome(untimed, [("2026-09-07", 16), ("2026-09-07T15:00", 12), ("2026-09-30", 7)])
        #expect(result.baseline?.score == 16)
        #expect(result.followUps == 2, "15:00 comes after the session at the start of the day")
    }

    @Test func atOneInstantTheUntimedScoreComesFirst() {
        // 2026-09-20 (untimed) and 2026-09-20T00:00 share an instant: the timed one is later, so the endpoint.
        let result = outcome(course(sixAtNine), [("2026-08-30", 20), ("2026-09-20", 6), ("2026-09-20T00:00", 5)])
        #expect(result.endpoint?.score == 5)
        let reversed = outcome(course(sixAtNine), [("2026-08-30", 20), ("2026-09-20T00:00", 5), ("2026-09-20", 6)])
        #expect(reversed.endpoint?.score == 5, "whatever the file order")
    }

    @Test func aReadingAtTheSecondSessionsInstantIsAnEarlyResponse() {
        // 48 h after the first dose, exactly at the second session: before it, so early; also the 24 h point (48 h is in range).
        let result = outcome(course(sixAtNine), [("2026-09-01T08:00", 20), ("2026-09-03T09:00", 9), ("2026-09-20", 10)])
        #expect(result.isEarlyResponder)
        #expect(result.sessionsToResponse == 1, "the second session is not before a score at its own instant")
        #expect(result.timePointScores[1]?.score == 9, "48 h is the 24 h point's last accepted offset")
        let later = outcome(course(sixAtNine), [("2026-09-01T08:00", 20), ("2026-09-03T09:01", 9), ("2026-09-20", 10)])
        #expect(!later.isEarlyResponder, "a minute after the second session is too late")
        #expect(later.timePointScores[1] == nil, "and past 48 h")
    }

    @Test func equidistantTimePointScoresTakeTheEarlier() {
        // After a 09:00 dose, 11:00 (2 h) and 15:00 (6 h) are both 2 h from the 4 h target.
        let result = outcome(course(sixAtNine), [("2026-09-01T08:00", 20), ("2026-09-01T11:00", 15), ("2026-09-01T15:00", 12),
                                                  ("2026-09-20", 10)])
        #expect(result.timePointScores[0]?.score == 15, "2 h and 6 h are equally far from 4 h: the earlier wins")
    }

    @Test func aFirstSessionWithoutATimeHasNoTimePoints() {
        let untimedFirst = course(["2026-09-01", "2026-09-03T09:00", "2026-09-05T09:00"])
        let result = outcome(untimedFirst, [("2026-08-30", 20), ("2026-09-01T04:00", 12), ("2026-09-02T00:00", 11), ("2026-09-10", 9)])
        #expect(result.timePointScores == [nil, nil])
        #expect(result.status == .evaluated)
    }

    @Test func untimedScoresTakeNoPartInTimePoints() {
        let result = outcome(course(sixAtNine), [("2026-09-01T08:00", 20), ("2026-09-02", 9), ("2026-09-20", 10)])
        #expect(result.timePointScores[1] == nil, "the untimed 09-02 score is 15 h by its instant, and untimed anyway")
        #expect(result.isEarlyResponder, "it still counts as a follow-up score")
    }

    @Test func completersByCountAndByResponse() {
        let six = outcome(course(sixAtNine), [("2026-09-01T08:00", 20), ("2026-09-20", 15)])
        #expect(six.isCompleter && !six.isResponder, "six sessions finish the series")
        let three = Array(sixAtNine.prefix(3))
        let responded = outcome(course(three), [("2026-09-01T08:00", 20), ("2026-09-10", 8)])
        #expect(responded.isCompleter, "three sessions, but responded: a completer")
        let neither = outcome(course(three), [("2026-09-01T08:00", 20), ("2026-09-10", 15)])
        #expect(neither.status == .evaluated && !neither.isCompleter, "evaluable, not a completer")
        let noFollowUp = outcome(course(sixAtNine), [("2026-09-01T08:00", 20)])
        #expect(!noFollowUp.isCompleter, "completers are evaluable")
        var open = ketamine
        open.completionSessions = nil
        #expect(outcome(course(three, modality: open), [("2026-09-01T08:00", 20), ("2026-09-10", 15)], modality: open).isCompleter,
                "without completion sessions every evaluable course counts")
    }

    @Test func recoveredNeedsBothRules() {
        #expect(phq9.isRecovered(baseline: 20, endpoint: 4) == true)
        #expect(phq9.isRecovered(baseline: 9, endpoint: 4) == false, "remitted, but a fall of 5 < 6 is not reliable")
        #expect(phq9.isRecovered(baseline: 20, endpoint: 5) == false, "reliably improved, not remitted")
        let pcl5 = catalog.instrument(named: "pcl5")!
        #expect(pcl5.isRecovered(baseline: 33, endpoint: 32) == false, "PCL-5: a 1-point drop across the cutoff is no recovery")
        #expect(catalog.instrument(named: "ymrs")!.isRecovered(baseline: 30, endpoint: 5) == nil, "no reliable change: empty")
        #expect(catalog.instrument(named: "bprs")!.isRecovered(baseline: 60, endpoint: 20) == nil, "no remission: empty")
    }
}
