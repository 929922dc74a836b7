import Testing
@testable import OutcomesKit

/// Calendar days: strict ISO parsing and exact arithmetic.
@Suite struct DayTests {
    @Test func parsesRealDatesOnly() {
        #expect(Day(iso: "2026-10-01") != nil)
        #expect(Day(iso: "2024-02-29") != nil)
        #expect(Day(iso: "2026-02-29") == nil)
        #expect(Day(iso: "2026-02-30") == nil)
        #expect(Day(iso: "2026-13-01") == nil)
        #expect(Day(iso: "2026-00-10") == nil)
        #expect(Day(iso: "0000-01-01") == nil)
        #expect(Day(iso: "2026-1-01") == nil)
        #expect(Day(iso: "2026/10/01") == nil)
        #expect(Day(iso: "10/09/2026") == nil)
        #expect(Day(iso: " 2026-10-01") == nil)
        #expect(Day(iso: "２０２６-10-01") == nil, "ASCII digits only")
    }

    @Test func roundTripsAndCounts() {
        #expect(day("1970-01-01").ordinal == 0)
        #expect(day("2026-10-31").description == "2026-10-31")
        #expect(day("2026-03-02") - 30 == day("2026-01-31"))
        #expect(day("2024-03-01") - day("2024-02-01") == 29)
        #expect(Day(ordinal: -1).description == "1969-12-31")
        #expect(day("0001-01-01").description == "0001-01-01")
        #expect(day("9999-12-31").description == "9999-12-31")
    }

    @Test func monthsKnowTheirDays() {
        let october = YearMonth("2026-10")!
        #expect(october.firstDay == day("2026-10-01"))
        #expect(october.lastDay == day("2026-10-31"))
        #expect(october.adding(months: -11).description == "2025-11")
        #expect(YearMonth("2024-02")!.lastDay == day("2024-02-29"))
        #expect(YearMonth("2026-13") == nil)
        #expect(YearMonth("26-10") == nil)
        #expect(YearMonth(containing: day("2026-10-15")) == october)
    }

    @Test func monthArithmeticStaysWithinTheCalendar() {
        let last = YearMonth("9999-12")!, first = YearMonth("0001-01")!
        #expect(last.adding(months: 1) == last, "no month after 9999-12: held, not wrapped")
        #expect(first.adding(months: -1) == first)
        #expect(last.adding(months: Int.max) == last && first.adding(months: Int.min) == first, "no overflow trap")
        #expect(YearMonth("2026-11")!.adding(months: 2) == YearMonth("2027-01"))
        #expect(YearMonth(index: last.index + 1) == nil)
        #expect(YearMonth(index: YearMonth("2026-10")!.index) == YearMonth("2026-10"))
    }

    @Test func aQueryRangeAtTheCalendarsEndEnds() throws {
        // 9999-12 plus a month is 9999-12: a range must be counted, not stepped until passed.
        let query = OutcomeQuery(month: YearMonth("9999-12")!, breakdown: .month)
        #expect(query.months.count == 12)
        #expect(query.months.last == YearMonth("9999-12"))
        let toTheEnd = OutcomeQuery(month: YearMonth("2026-10")!, breakdown: .month, from: YearMonth("9970-01"), to: YearMonth("9999-12"))
        #expect(throws: QueryError.tooManyMonths(limit: OutcomeQuery.maxMonths)) { try toTheEnd.validateOptions() }
        #expect(toTheEnd.months.isEmpty)
    }
}
