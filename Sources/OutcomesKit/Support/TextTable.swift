/// Aligned plain-text tables for the terminal (`catalog`, `query`, `sql`):
/// the one place where columns are measured and padded.
public struct TextTable {
    public var header: [String]
    public var rows: [[String]]
    /// Columns printed flush right (numbers).
    public var rightAligned: Set<Int>

    public init(header: [String], rows: [[String]], rightAligned: Set<Int> = []) {
        self.header = header
        self.rows = rows
        self.rightAligned = rightAligned
    }

    /// Header, a rule of dashes, then the rows; cells separated by two
    /// spaces, trailing spaces trimmed. Every cell is made safe for a
    /// terminal first (TerminalText).
    public var text: String {
        let header = self.header.map(TerminalText.safe)
        let rows = self.rows.map { $0.map(TerminalText.safe) }
        let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            var text = cells.enumerated().map { column, cell in
                let pad = String(repeating: " ", count: widths[column] - cell.count)
                return rightAligned.contains(column) ? pad + cell : cell + pad
            }.joined(separator: "  ")
            while text.last == " " { text.removeLast() }
            return text + "\n"
        }
        return line(header) + line(widths.map { String(repeating: "-", count: $0) }) + rows.map(line).joined()
    }
}
