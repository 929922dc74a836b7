/// CSV as this tool writes it (DATA-CONTRACT §8): RFC 4180, LF line ends, fields quoted
/// only when they hold a comma, a quote or a line break, and text values
/// guarded against spreadsheet formula injection.
public enum CSVFormat {
    /// A free-text value (a site, a reject's detail): prefixed with `'` when it
    /// begins with `=`, `+`, `-`, `@`, a tab or a carriage return, so that a
    /// spreadsheet never runs it as a formula; then quoted if needed.
    public static func text(_ value: String) -> String {
        quoted(neutralizingFormula(value))
    }

    /// `value` with a leading `'` when a spreadsheet would read it as a formula.
    public static func neutralizingFormula(_ value: String) -> String {
        guard let first = value.utf8.first else { return value }
        switch first {
        case UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@"), 0x09, 0x0D:
            return "'" + value
        default:
            return value
        }
    }

    /// RFC 4180 quoting, only when the field holds a comma, a quote or a line break.
    public static func quoted(_ value: String) -> String {
        let needsQuotes = value.utf8.contains { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 0x0A || $0 == 0x0D }
        guard needsQuotes else { return value }
        var result = "\""
        for character in value.unicodeScalars {
            if character == "\"" { result.unicodeScalars.append("\"") }
            result.unicodeScalars.append(character)
        }
        result += "\""
        return result
    }

    /// One record: fields joined by commas, ended by LF. Fields must already be
    /// formatted (numbers) or passed through `text(_:)`.
    public static func line(_ fields: [String]) -> String {
        fields.joined(separator: ",") + "\n"
    }
}
