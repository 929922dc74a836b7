import Testing
@testable import OutcomesKit

/// DATA-CONTRACT §5: courses, the gap rule and the window end W.
@Suite struct CoursesTests {
    let ketamine = Catalog.standard.modality(named: "ketamine_iv")!   // n 6, gap 90, follow-up 14
    let ort = Catalog.standard.modality(named: "ort")!                // horizon 180, gap 30, follow-up 30
    let bhrt = Catalog.standard.modality(named: "bhrt")!              // horizon 90, gap 120, follow-up 45

    func sessions(_ days: [Day], site: Int32 = 0) -> ArraySlice<SessionEvent> {
        ArraySlice(days.map { SessionEvent(patient: 1, modality: 0, day: $0, site: site) })
    }

    /// Six infusions, every other day from 2026-10-01.
    var acuteDays: [Day] { (0..<6).map { day("2026-10-01") + 2 * $0 } }

    @Test func windowEndWithoutAnExtraSessionIsDayNPlusFollowUp() {
        #expect(windowEnd(sessionDays: acuteDays, modality: ketamine) == day("2026-10-11") + 14)
    }

    @Test func windowEndIsTheNextSessionWhenItComesEarlier() {
        let days = acuteDays + [day("2026-10-11") + 5]
        #expect(windowEnd(sessionDays: days, modality: ketamine) == day("2026-10-16"))
    }

    @Test func windowEndIgnoresANextSessionAfterTheFollowUp() {
        let days = acuteDays + [day("2026-10-11") + 20]
        #expect(windowEnd(sessionDays: days, modality: ketamine) == day("2026-10-25"))
    }

    @Test func windowEndOfAShortCourseIsItsEndPlusFollowUp() {
        let days = Array(acuteDays.prefix(2))
        #expect(windowEnd(sessionDays: days, modality: ketamine) == day("2026-10-03") + 14)
    }

    @Test func horizonCapsTheWindowEnd() {
        let weekly = (0..<40).map { day("2026-01-05") + 7 * $0 }
        #expect(windowEnd(sessionDays: weekly, modality: ort) == day("2026-01-05") + 180)
        let short = [day("2026-01-05"), day("2026-01-12")]
        #expect(windowEnd(sessionDays: short, modality: ort) == day("2026-01-12") + 30)
    }

    @Test func horizonAppliesToASingleVisit() {
        // B1 of the conformance case: min(end + 45, start + 90) with one visit.
        #expect(windowEnd(sessionDays: [day("2026-06-10")], modality: bhrt) == day("2026-07-25"))
    }

    @Test func aGapOfExactlyGapDaysKeepsOneCourse() {
        let days = [day("2026-01-01"), day("2026-01-01") + 90]
        let courses = buildCourses(patient: 1, modalityIndex: 0, modality: ketamine, sessions: sessions(days))
        #expect(courses.count == 1)
        #expect(courses[0].sessions == 2)
    }

    @Test func aGapOfOneDayMoreStartsANewCourse() {
        let days = [day("2026-01-01"), day("2026-01-01") + 91]
        let courses = buildCourses(patient: 1, modalityIndex: 0, modality: ketamine, sessions: sessions(days))
        #expect(courses.map(\.start) == days)
        #expect(courses.map(\.sessions) == [1, 1])
    }

    @Test func courseCarriesStartEndCountAndFirstSite() {
        let events = ArraySlice([
            SessionEvent(patient: 1, modality: 0, day: day("2026-10-01"), site: 4),
            SessionEvent(patient: 1, modality: 0, day: day("2026-10-01"), site: 2),
            SessionEvent(patient: 1, modality: 0, day: day("2026-10-05"), site: 3),
        ])
        let course = buildCourses(patient: 1, modalityIndex: 0, modality: ketamine, sessions: events)[0]
        #expect(course.start == day("2026-10-01"))
        #expect(course.end == day("2026-10-05"))
        #expect(course.sessions == 3)
        #expect(course.site == 4, "the caller orders same-day sessions by site name; the first one wins")
    }

    @Test func closedWhenWindowEndIsOnOrBeforeTheCut() {
        let course = buildCourses(patient: 1, modalityIndex: 0, modality: ketamine, sessions: sessions(acuteDays))[0]
        #expect(course.isClosed(asOf: course.windowEnd))
        #expect(!course.isClosed(asOf: course.windowEnd - 1))
    }

    @Test func sessionsBeforeCountsOnlyEarlierInstants() {
        let course = buildCourses(patient: 1, modalityIndex: 0, modality: ketamine, sessions: sessions(acuteDays))[0]
        func midnight(_ iso: String) -> Int64 { Int64(day(iso).ordinal) * 86_400 }
        #expect(course.sessionsBefore(scoreAt: midnight("2026-10-05")) == 2, "an untimed score on a session day was taken before it")
        #expect(course.sessionsBefore(scoreAt: midnight("2026-10-05") + 1) == 3, "a score a second after an untimed session comes after it")
        #expect(course.sessionsBefore(scoreAt: midnight("2026-10-06")) == 3)
        #expect(course.sessionsBefore(scoreAt: midnight("2026-09-30")) == 0)
    }
}
