import Testing
@testable import OutcomesKit

/// DATA-CONTRACT §1–2: dates with an optional time of day, and their normal form.
@Suite struct DateTimeValueTests {
    func parse(_ text: String) -> DateTimeValue? { DateTimeValue(contract: Array(text.utf8)) }

    @Test(arguments: [("2026-09-01", "2026-09-01"), ("2026-09-01T09:00", "2026-09-01T09:00:00"),
                      ("2026-09-01 09:00", "2026-09-01T09:00:00"), ("2026-09-01T09:00:30", "2026-09-01T09:00:30"),
                      ("2026-09-01 23:59:59", "2026-09-01T23:59:59"), ("2026-09-01T00:00", "2026-09-01T00:00:00")])
    func acceptedFormsHaveOneNormalForm(_ text: String, _ normal: String) {
        #expect(parse(text)?.description == normal, "\(text)")
    }

    @Test(arguments: ["2026-09-01T24:00", "2026-09-01T10:60", "2026-09-01T10:00Z", "2026-09-01T10:00+02:00",
                      "2026-09-02 9:00", "2026-09-01T9:00", "2026-09-01T10:00:60", "2026-09-01  10:00", "2026-09-01t10:00",
                      "2026-09-01T10:00:00.5", "2026-09-01T10", "2026-02-30T10:00", "2026-09-01T1000", "2026-09-01_10:00"])
    func invalidFormsAreRefused(_ text: String) {
        #expect(parse(text) == nil, "\(text)")
    }

    @Test func anUntimedValueAndMidnightDiffer() {
        let untimed = parse("2026-09-20")!, midnight = parse("2026-09-20T00:00")!
        #expect(untimed != midnight, "two values: they are two keys")
        #expect(untimed.instant == midnight.instant, "one instant")
        #expect(untimed < midnight, "at one instant the untimed one comes first")
    }

    @Test func ingestTreatsSpaceAndTAsOneValue() throws {
        let store = try TestStore()
        let reports = try store.ingest([("c.csv", """
            patient_id,assessment_date,instrument,score
            P1,2026-09-01T13:00,phq9,12
            P1,2026-09-01 13:00:00,phq9,12
            P1,2026-09-01 13:00,phq9,13
            P1,2026-09-01,phq9,14
            P1,2026-09-01T00:00,phq9,15
            """)])
        let summary = store.summary(reports[0])
        #expect(summary?.loaded == 3, "13:00, the untimed date and 00:00 are three keys")
        #expect(summary?.duplicates == 1)
        #expect(summary?.rejects == [.conflictingDuplicate: 1])
    }
}
