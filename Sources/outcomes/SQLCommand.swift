import ArgumentParser
import OutcomesKit

/// `outcomes sql`: read-only SQL against the store.
struct SQLCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sql",
        abstract: "Run one read-only SQL statement against the store.",
        discussion: """
            The store is opened read-only; any statement that would change it is refused. The
            schema is described in docs/STORE.md; the views session_view, score_view and
            reject_view show dates as YYYY-MM-DD and patients by their pseudonyms.

            Examples:
              outcomes sql --db var/outcomes.sqlite "SELECT modality, count(*) FROM sessions GROUP BY modality"
              outcomes sql --db var/outcomes.sqlite --format csv "SELECT * FROM score_view WHERE patient_id = 'P7KQ2M9A'"
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable { case table, csv }

    @Option(help: "The SQLite store.") var db: String
    @Option(help: "Output: table or csv.") var format: Format = .table
    @Argument(help: "One SQL statement (SELECT, WITH, or a pragma that only reads).") var statement: String

    func run() throws {
        try runReportingErrors {
            _ = try OutcomeStore(path: db, mode: .readOnly)   // refuses a file that is not an outcomes store
            let result = try ReadOnlySQL.run(path: db, sql: statement)
            print(format == .csv ? SQLPrinter.csv(result) : SQLPrinter.table(result), terminator: "")
        }
    }
}

/// Prints SQL results.
enum SQLPrinter {
    static func csv(_ result: SQLResult) -> String {
        CSVFormat.line(result.columns.map(CSVFormat.text)) + result.rows.map { row in
            CSVFormat.line(row.map { $0.map(CSVFormat.text) ?? "" })
        }.joined()
    }

    static func table(_ result: SQLResult) -> String {
        let cells = result.rows.map { $0.map { value -> String in
            let text = (value ?? "NULL").replacingOccurrences(of: "\n", with: "⏎")
            return text.count > 60 ? String(text.prefix(59)) + "…" : text
        } }
        let widths = result.columns.indices.map { column in ([result.columns] + cells).map { $0[column].count }.max() ?? 0 }
        func line(_ row: [String]) -> String {
            row.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(separator: "  ") + "\n"
        }
        return line(result.columns) + line(widths.map { String(repeating: "-", count: $0) }) + cells.map(line).joined()
            + "(\(result.rows.count) row\(result.rows.count == 1 ? "" : "s"))\n"
    }
}
