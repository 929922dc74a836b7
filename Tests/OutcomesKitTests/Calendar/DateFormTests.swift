import Testing
@testable import OutcomesKit

/// §11 date forms: the strftime subset, first match wins.
@Suite struct DateFormTests {
    func parse(_ value: String, _ forms: [String]) -> String? {
        DateForm.parse(Array(value.utf8), forms: forms.map { DateForm($0)! }).map { value in
            value.secondOfDay.map { "\(value.day) \($0 / 3600):\(($0 % 3600) / 60):\($0 % 60)" } ?? "\(value.day)"
        }
    }

    @Test func oneOrTwoDigitFields() {
        #expect(parse("3/7/2026", ["%m/%d/%Y"]) == "2026-03-07")
        #expect(parse("03/07/2026", ["%m/%d/%Y"]) == "2026-03-07")
        #expect(parse("2026-3-7 9:05", ["%Y-%m-%d %H:%M"]) == "2026-03-07 9:5:0")
        #expect(parse("003/07/2026", ["%m/%d/%Y"]) == nil)
        #expect(parse("3/7/26", ["%m/%d/%Y"]) == nil, "%Y is four digits")
    }

    @Test func twelveHourClockInAnyCase() {
        let form = ["%m/%d/%Y %I:%M %p"]
        #expect(parse("10/01/2026 12:15 AM", form) == "2026-10-01 0:15:0", "12 AM is just after midnight")
        #expect(parse("10/01/2026 12:15 pm", form) == "2026-10-01 12:15:0", "12 PM is just after noon")
        #expect(parse("10/01/2026 1:05 Pm", form) == "2026-10-01 13:5:0")
        #expect(parse("10/01/2026 11:59 aM", form) == "2026-10-01 11:59:0")
        #expect(parse("10/01/2026 13:00 PM", form) == nil)
        #expect(parse("10/01/2026 0:30 AM", form) == nil)
        #expect(parse("10/01/2026 9:30 XM", form) == nil)
    }

    @Test func theFirstMatchingFormWinsAndDecidesTheTime() {
        let forms = ["%m/%d/%Y", "%m/%d/%Y %I:%M %p", "%d.%m.%Y"]
        #expect(parse("10/01/2026", forms) == "2026-10-01", "no time: untimed")
        #expect(parse("10/01/2026 8:30 AM", forms) == "2026-10-01 8:30:0")
        // Both would read 01.10.2026 as a day: only the third form matches it.
        #expect(parse("01.10.2026", forms) == "2026-10-01")
        #expect(parse("2026-10-01", forms) == nil, "no form matches: bad_date")
    }

    @Test func theWholeValueMustMatchARealDate() {
        #expect(parse("02/30/2026", ["%m/%d/%Y"]) == nil)
        #expect(parse("02/29/2028", ["%m/%d/%Y"]) == "2028-02-29")
        #expect(parse("10/01/2026 ", ["%m/%d/%Y"]) == nil)
        #expect(parse("10/01/2026 23:60", ["%m/%d/%Y %H:%M"]) == nil)
        #expect(parse("10/01/2026 24:00", ["%m/%d/%Y %H:%M"]) == nil)
        #expect(parse("20261001T083000", ["%Y%m%dT%H%M%S"]) == "2026-10-01 8:30:0")
    }

    @Test func formsOutsideTheSubsetAreRefused() {
        #expect(DateForm("%m/%d/%y") == nil)
        #expect(DateForm("%Y-%m-%d %I:%M") == nil, "%I needs %p")
        #expect(DateForm("%Y-%m") == nil, "a form needs a whole date")
        #expect(DateForm("%Y-%m-%d %H:%M")!.hasTime)
        #expect(!DateForm("%d %m %Y")!.hasTime)
    }
}
