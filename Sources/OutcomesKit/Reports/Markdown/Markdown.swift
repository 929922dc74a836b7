/// The report's Markdown: a small builder and the one place where text is
/// escaped and numbers, rates and intervals are worded.
///
/// Every text that comes from data or from a pipeline file (site names,
/// catalogue names) goes through `escape`, so it can neither break a table
/// nor inject HTML.
public struct Markdown {
    public private(set) var text = ""

    public init() {}

    /// `## Title` (level 2) etc., preceded by a blank line unless first.
    public mutating func heading(_ level: Int, _ title: String) {
        if !text.isEmpty { text += "\n" }
        text += String(repeating: "#", count: level) + " " + title + "\n\n"
    }

    /// Text as it is (already escaped or formatted), followed by a newline.
    public mutating func line(_ content: String) { text += content + "\n" }

    /// A paragraph: the text, then a blank line.
    public mutating func paragraph(_ content: String) { text += content + "\n\n" }

    /// Raw text, exactly.
    public mutating func raw(_ content: String) { text += content }

    /// A table whose cells are already formatted.
    public mutating func table(_ header: [String], _ rows: [[String]], numeric: Set<Int>? = nil) {
        text += Markdown.table(header, rows, numeric: numeric)
    }

    // MARK: Escaping

    /// A text value made safe inside a Markdown table cell or sentence:
    /// backslashes escaped first, then pipes (so `a\|b` stays one cell in
    /// GFM), line breaks turned into spaces, `<` and `&` escaped so no HTML or
    /// entity is injected, emphasis and link characters escaped, other
    /// control characters shown as U+FFFD.
    public static func escape(_ value: String) -> String {
        var result = ""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\\": result += "\\\\"
            case "|": result += "\\|"
            case "\n", "\r": result += " "
            case "<": result += "&lt;"
            case "&": result += "&amp;"
            case "*", "_", "`", "[", "]": result += "\\" + String(scalar)
            default:
                if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) { result += "\u{FFFD}" }
                else { result.unicodeScalars.append(scalar) }
            }
        }
        return result
    }

    /// A text value as an inline code span: shown literally (no escaping is
    /// needed inside one, and a backslash would show), so only what could end
    /// the span or the line is replaced: backticks by `'`, line breaks and
    /// other control characters by a space or U+FFFD.
    public static func code(_ value: String) -> String {
        var result = "`"
        for scalar in value.unicodeScalars {
            switch scalar {
            case "`": result += "'"
            case "\n", "\r": result += " "
            default:
                if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) { result += "\u{FFFD}" }
                else { result.unicodeScalars.append(scalar) }
            }
        }
        return result + "`"
    }

    // MARK: Numbers

    /// A no-break space: keeps "54 %" and "(47–60 %)" from wrapping apart in a table cell.
    public static let noBreakSpace = "\u{00A0}"

    /// A proportion as a whole percentage, rounded as printf rounds: "54 %".
    public static func percent(_ value: Double) -> String {
        NumberFormat.fixed(value * 100, decimals: 0) + noBreakSpace + "%"
    }

    /// A 95 % interval: "47–60 %", or with its label "95 % CI 47–60 %".
    public static func interval(_ proportion: Proportion, labelled: Bool = false) -> String {
        (labelled ? "95 % CI " : "") + "\(NumberFormat.fixed(proportion.low * 100, decimals: 0))–\(percent(proportion.high))"
    }

    /// "54 % (47–60 %)", or "–" when undefined or withheld.
    public static func rateWithInterval(_ proportion: Proportion?) -> String {
        guard let proportion else { return "–" }
        return "\(percent(proportion.rate))\(noBreakSpace)(\(interval(proportion)))"
    }

    /// A count cell as `CountCell.display` shows it, escaped: the number, `&lt;11`, `x` or "n/a".
    public static func count(_ cell: CountCell) -> String {
        escape(cell.display)
    }


    /// A signed number with a real minus sign: "−8.5".
    public static func signed(_ value: Double, decimals: Int = 1) -> String {
        let text = NumberFormat.fixed(value, decimals: decimals)
        return text.hasPrefix("-") ? "−" + text.dropFirst() : text
    }

    /// "October 2026".
    public static func monthName(_ month: YearMonth) -> String {
        let names = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
                     "October", "November", "December"]
        return "\(names[month.month - 1]) \(month.year)"
    }

    /// A table: header, alignment row and rows, each cell already formatted.
    /// Columns in `numeric` are right-aligned (default: all but the first).
    public static func table(_ header: [String], _ rows: [[String]], numeric: Set<Int>? = nil) -> String {
        let rightAligned = numeric ?? Set(1..<header.count)
        var text = "| " + header.joined(separator: " | ") + " |\n"
        text += "|" + header.indices.map { rightAligned.contains($0) ? "---:" : "---" }.joined(separator: "|") + "|\n"
        for row in rows { text += "| " + row.joined(separator: " | ") + " |\n" }
        return text
    }
}

extension String {
    /// The text with its first letter upper-cased ("fewer than 11" → "Fewer than 11").
    var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}
