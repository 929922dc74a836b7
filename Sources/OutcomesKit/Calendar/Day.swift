/// A calendar day in the proleptic Gregorian calendar, stored as the number of
/// days since 1970-01-01.
///
/// Dates are whole days throughout the contract, so a plain integer keeps every
/// window rule (`start − 30`, `d(n) + g`, `W ≤ C`) exact integer arithmetic.
public struct Day: Hashable, Comparable, Sendable, CustomStringConvertible, Codable {
    /// Days since 1970-01-01 (negative before it).
    public var ordinal: Int32

    public init(ordinal: Int32) { self.ordinal = ordinal }

    /// The day for a civil date; nil when it is not a real calendar date
    /// (month 13, 30 February, year 0) or lies outside years 1–9999.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
              day >= 1, day <= Day.daysIn(year: year, month: month) else { return nil }
        ordinal = Int32(Day.daysFromCivil(year: year, month: month, day: day))
    }

    /// Parses exactly `YYYY-MM-DD` in ASCII digits (DATA-CONTRACT §1); anything else is nil.
    public init?<Bytes: RandomAccessCollection>(iso bytes: Bytes) where Bytes.Element == UInt8 {
        guard bytes.count == 10 else { return nil }
        let start = bytes.startIndex
        func digit(_ offset: Int) -> Int? {
            let byte = bytes[bytes.index(start, offsetBy: offset)]
            return byte >= 48 && byte <= 57 ? Int(byte - 48) : nil
        }
        guard bytes[bytes.index(start, offsetBy: 4)] == UInt8(ascii: "-"),
              bytes[bytes.index(start, offsetBy: 7)] == UInt8(ascii: "-"),
              let y0 = digit(0), let y1 = digit(1), let y2 = digit(2), let y3 = digit(3),
              let m0 = digit(5), let m1 = digit(6), let d0 = digit(8), let d1 = digit(9)
        else { return nil }
        self.init(year: y0 * 1000 + y1 * 100 + y2 * 10 + y3, month: m0 * 10 + m1, day: d0 * 10 + d1)
    }

    /// Parses `YYYY-MM-DD` from a string.
    public init?(iso text: String) {
        self.init(iso: Array(text.utf8))
    }

    public static func < (lhs: Day, rhs: Day) -> Bool { lhs.ordinal < rhs.ordinal }

    public static func + (lhs: Day, days: Int) -> Day { Day(ordinal: lhs.ordinal + Int32(days)) }
    public static func - (lhs: Day, days: Int) -> Day { Day(ordinal: lhs.ordinal - Int32(days)) }
    /// Whole days from `rhs` to `lhs`.
    public static func - (lhs: Day, rhs: Day) -> Int { Int(lhs.ordinal) - Int(rhs.ordinal) }

    /// The civil (year, month, day) of this day.
    public var civil: (year: Int, month: Int, day: Int) { Day.civilFromDays(Int(ordinal)) }

    /// `YYYY-MM-DD`.
    public var description: String {
        let (year, month, day) = civil
        return Day.pad(year, 4) + "-" + Day.pad(month, 2) + "-" + Day.pad(day, 2)
    }

    public static func isLeap(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    public static func daysIn(year: Int, month: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    // Howard Hinnant's days_from_civil / civil_from_days: exact for all
    // proleptic Gregorian dates, with no Foundation time zone involved.
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let monthIndex = (month + 9) % 12
        let dayOfYear = (153 * monthIndex + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    static func civilFromDays(_ days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }
}

/// A calendar month, the unit of a report (`--month 2026-10`).
public struct YearMonth: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let year: Int
    public let month: Int

    public init?(year: Int, month: Int) {
        guard (1...9999).contains(year), (1...12).contains(month) else { return nil }
        self.year = year
        self.month = month
    }

    /// Parses `YYYY-MM`.
    public init?(_ text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count == 7, bytes[4] == UInt8(ascii: "-"),
              bytes.enumerated().allSatisfy({ $0.offset == 4 || ($0.element >= 48 && $0.element <= 57) }),
              let year = Int(String(text.prefix(4))), let month = Int(String(text.suffix(2)))
        else { return nil }
        self.init(year: year, month: month)
    }

    /// The month containing `day`.
    public init(containing day: Day) {
        let civil = day.civil
        year = civil.year
        month = civil.month
    }

    public static func < (lhs: YearMonth, rhs: YearMonth) -> Bool {
        (lhs.year, lhs.month) < (rhs.year, rhs.month)
    }

    public var firstDay: Day { Day(year: year, month: month, day: 1)! }
    public var lastDay: Day { Day(year: year, month: month, day: Day.daysIn(year: year, month: month))! }

    /// Months since year 0: consecutive months have consecutive indices.
    public var index: Int { year * 12 + (month - 1) }

    /// The month with this `index`; nil outside years 1–9999.
    public init?(index: Int) {
        guard index >= 0 else { return nil }
        self.init(year: index / 12, month: index % 12 + 1)
    }

    /// The month `count` months later (earlier when negative), held within
    /// the calendar's years 1–9999: 9999-12 plus one month is 9999-12. Loops
    /// over months therefore count months (`index`) rather than step until
    /// a month is passed.
    public func adding(months count: Int) -> YearMonth {
        let (sum, overflow) = index.addingReportingOverflow(count)
        let first = YearMonth(year: 1, month: 1)!, last = YearMonth(year: 9999, month: 12)!
        if overflow { return count < 0 ? first : last }
        return YearMonth(index: min(max(sum, first.index), last.index))!
    }

    /// `YYYY-MM`.
    public var description: String {
        let monthText = month < 10 ? "0\(month)" : "\(month)"
        let yearText = String(repeating: "0", count: max(0, 4 - String(year).count)) + String(year)
        return "\(yearText)-\(monthText)"
    }
}

/// A date with an optional time of day, as an export writes a session or a
/// score (DATA-CONTRACT §1–2): `YYYY-MM-DD`, or with `THH:MM` or `THH:MM:SS`
/// (a `T` or one space between), the practice's local time, no zone. Two
/// values are the same when their normal forms are: `YYYY-MM-DD` without a
/// time, else `YYYY-MM-DDTHH:MM:SS`.
public struct DateTimeValue: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let day: Day
    /// Seconds since midnight, or nil when no time was written.
    public let secondOfDay: Int32?

    public init(day: Day, secondOfDay: Int32? = nil) {
        self.day = day
        self.secondOfDay = secondOfDay
    }

    /// The time as stored: seconds since midnight, or -1 when untimed.
    public var storedTime: Int32 { secondOfDay ?? -1 }

    public init(day: Day, storedTime: Int32) {
        self.init(day: day, secondOfDay: storedTime >= 0 ? storedTime : nil)
    }

    /// Seconds since 1970-01-01 00:00 in local time: the date's start when untimed.
    public var instant: Int64 { Int64(day.ordinal) * 86_400 + Int64(secondOfDay ?? 0) }

    /// Order by instant; at the same instant the untimed value comes first.
    public static func < (lhs: DateTimeValue, rhs: DateTimeValue) -> Bool {
        (lhs.instant, lhs.secondOfDay == nil ? 0 : 1) < (rhs.instant, rhs.secondOfDay == nil ? 0 : 1)
    }

    /// Parses the contract's forms exactly; anything else (a one-digit hour,
    /// `24:00`, `10:60`, a zone `Z` or `+02:00`, fractions) is nil.
    public init?<Bytes: RandomAccessCollection>(contract bytes: Bytes) where Bytes.Element == UInt8 {
        let count = bytes.count
        guard count == 10 || count == 16 || count == 19 else { return nil }
        let start = bytes.startIndex
        guard let day = Day(iso: bytes[start..<bytes.index(start, offsetBy: 10)]) else { return nil }
        guard count > 10 else {
            self.init(day: day)
            return
        }
        func byte(_ offset: Int) -> UInt8 { bytes[bytes.index(start, offsetBy: offset)] }
        func twoDigits(_ offset: Int) -> Int32? {
            let high = byte(offset), low = byte(offset + 1)
            guard (48...57).contains(high), (48...57).contains(low) else { return nil }
            return Int32(high - 48) * 10 + Int32(low - 48)
        }
        guard byte(10) == UInt8(ascii: "T") || byte(10) == UInt8(ascii: " "), byte(13) == UInt8(ascii: ":"),
              let hour = twoDigits(11), hour < 24, let minute = twoDigits(14), minute < 60 else { return nil }
        var second: Int32 = 0
        if count == 19 {
            guard byte(16) == UInt8(ascii: ":"), let value = twoDigits(17), value < 60 else { return nil }
            second = value
        }
        self.init(day: day, secondOfDay: hour * 3600 + minute * 60 + second)
    }

    /// The normal form: `YYYY-MM-DD`, or `YYYY-MM-DDTHH:MM:SS`.
    public var description: String {
        guard let secondOfDay else { return day.description }
        return day.description + "T" + TimeOfDay.text(secondOfDay, seconds: true)
    }

    /// For a person: `2026-09-01 09:00`, or the date alone.
    public var shortDescription: String {
        guard let secondOfDay else { return day.description }
        return day.description + " " + TimeOfDay.text(secondOfDay, seconds: secondOfDay % 60 != 0)
    }
}

/// Times of day as text.
public enum TimeOfDay {
    /// `HH:MM`, or `HH:MM:SS` when `seconds`.
    public static func text(_ secondOfDay: Int32, seconds: Bool) -> String {
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let base = two(secondOfDay / 3600) + ":" + two(secondOfDay % 3600 / 60)
        return seconds ? base + ":" + two(secondOfDay % 60) : base
    }
}
