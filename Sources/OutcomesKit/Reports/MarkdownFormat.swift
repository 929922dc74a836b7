/// Small formatting helpers for the Markdown report.
public enum MarkdownFormat {
    /// A text value made safe inside a Markdown table cell or sentence: pipes
    /// escaped, line breaks turned into spaces, `<` and `&` escaped so no HTML
    /// or entity is injected, other control characters shown as U+FFFD.
    public static func escape(_ value: String) -> String {
        var result = ""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "|": result += "\\|"
            case "\n", "\r": result += " "
            case "<": result += "&lt;"
            case "&": result += "&amp;"
            case "*", "_", "`", "[", "]": result += "\\" + String(scalar)
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F { result += "\u{FFFD}" } else { result.unicodeScalars.append(scalar) }
            }
        }
        return result
    }

    /// A no-break space: keeps "54 %" and "(47–60 %)" from wrapping apart in a table cell.
    public static let noBreakSpace = "\u{00A0}"

    /// A proportion as a whole percentage, rounded as printf rounds: "54 %".
    public static func percent(_ value: Double) -> String {
        NumberFormat.fixed(value * 100, decimals: 0) + noBreakSpace + "%"
    }

    /// "54 % (47–60 %)", or "–" when undefined or withheld.
    public static func rateWithInterval(_ proportion: Proportion?) -> String {
        guard let proportion else { return "–" }
        return "\(percent(proportion.rate))\(noBreakSpace)(\(NumberFormat.fixed(proportion.low * 100, decimals: 0))–\(percent(proportion.high)))"
    }

    /// A count cell: the number, `<11`, or "n/a".
    public static func count(_ cell: CountCell) -> String {
        switch cell {
        case .value(let value): return String(value)
        case .suppressed(let below): return "&lt;\(below)"
        case .notApplicable: return "n/a"
        }
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
