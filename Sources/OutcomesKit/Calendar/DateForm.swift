/// A date form of a source mapping (DATA-CONTRACT §11, the SPEC's strftime
/// subset): `%Y` four digits; `%m` `%d` `%H` `%I` `%M` `%S` one or two digits
/// (`%M` and `%S` two); `%p` AM or PM in any case; any other character must
/// appear as it is. Parsed once into tokens and matched against a field's
/// bytes without Foundation (whose `DateFormatter` depends on the locale) and
/// without allocating per row.
public struct DateForm: Sendable, Equatable, CustomStringConvertible {
    enum Token: Equatable {
        case year, month, day, hour24, hour12, minute, second, meridiem
        case literal(UInt8)
    }

    let tokens: [Token]
    public let description: String

    /// Whether a value read with this form has a time of day.
    public var hasTime: Bool { tokens.contains { $0 == .hour24 || $0 == .hour12 } }

    /// Nil when the form uses a directive outside the subset, or `%I` without `%p`.
    public init?(_ form: String) {
        var tokens: [Token] = []
        var bytes = Array(form.utf8)[...]
        while let byte = bytes.popFirst() {
            guard byte == UInt8(ascii: "%") else {
                tokens.append(.literal(byte))
                continue
            }
            switch bytes.popFirst().map({ Character(Unicode.Scalar($0)) }) {
            case "Y": tokens.append(.year)
            case "m": tokens.append(.month)
            case "d": tokens.append(.day)
            case "H": tokens.append(.hour24)
            case "I": tokens.append(.hour12)
            case "M": tokens.append(.minute)
            case "S": tokens.append(.second)
            case "p": tokens.append(.meridiem)
            case "%": tokens.append(.literal(UInt8(ascii: "%")))
            default: return nil
            }
        }
        let has = { (token: Token) in tokens.contains(token) }
        guard has(.year), has(.month), has(.day), has(.hour12) == has(.meridiem), !(has(.hour12) && has(.hour24)),
              !has(.minute) || has(.hour12) || has(.hour24) else { return nil }
        self.tokens = tokens
        description = form
    }

    /// The value if the whole field matches, else nil.
    public func parse<Bytes: RandomAccessCollection>(_ bytes: Bytes) -> DateTimeValue? where Bytes.Element == UInt8, Bytes.Index == Int {
        var index = bytes.startIndex
        var year = 0, month = 0, day = 0, hour = -1, minute = 0, second = 0
        var pm: Bool? = nil
        func digits(_ minimum: Int, _ maximum: Int) -> Int? {
            var value = 0, count = 0
            while count < maximum, index < bytes.endIndex, bytes[index] >= 48, bytes[index] <= 57 {
                value = value * 10 + Int(bytes[index] - 48)
                index += 1
                count += 1
            }
            return count >= minimum ? value : nil
        }
        for token in tokens {
            switch token {
            case .year: guard let value = digits(4, 4) else { return nil }; year = value
            case .month: guard let value = digits(1, 2) else { return nil }; month = value
            case .day: guard let value = digits(1, 2) else { return nil }; day = value
            case .hour24: guard let value = digits(1, 2), value <= 23 else { return nil }; hour = value
            case .hour12: guard let value = digits(1, 2), (1...12).contains(value) else { return nil }; hour = value
            case .minute: guard let value = digits(2, 2), value <= 59 else { return nil }; minute = value
            case .second: guard let value = digits(2, 2), value <= 59 else { return nil }; second = value
            case .meridiem:
                guard bytes.endIndex - index >= 2, bytes[index + 1] | 0x20 == UInt8(ascii: "m") else { return nil }
                switch bytes[index] | 0x20 {
                case UInt8(ascii: "a"): pm = false
                case UInt8(ascii: "p"): pm = true
                default: return nil
                }
                index += 2
            case .literal(let byte):
                guard index < bytes.endIndex, bytes[index] == byte else { return nil }
                index += 1
            }
        }
        guard index == bytes.endIndex, let date = Day(year: year, month: month, day: day) else { return nil }
        guard hour >= 0 else { return DateTimeValue(day: date) }
        // 12-hour clock: 12 AM is midnight, 12 PM is noon.
        if let pm { hour = hour % 12 + (pm ? 12 : 0) }
        return DateTimeValue(day: date, secondOfDay: Int32(hour * 3600 + minute * 60 + second))
    }

    /// The first of `forms` that matches the whole value (§11: first match wins).
    public static func parse<Bytes: RandomAccessCollection>(_ bytes: Bytes, forms: [DateForm]) -> DateTimeValue?
        where Bytes.Element == UInt8, Bytes.Index == Int {
        for form in forms { if let value = form.parse(bytes) { return value } }
        return nil
    }
}
