import ArgumentParser
import OutcomesKit

/// `outcomes sql`: read-only SQL against the store.
struct SQLCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sql",
        abstract: "Run one read-only SQL statement against the store.",
        discussion: """
            The store is opened read-only; any statement that would change it is
            refused, and a statement running past --timeout seconds is stopped (exit
            10). The schema is described in docs/STORE.md; the views session_view,
            score_view and reject_view show dates as YYYY-MM-DD and patients by their
            pseudonyms.

            Examples:
              outcomes sql --db var/outcomes.sqlite \\
                  "SELECT modality, count(*) FROM sessions GROUP BY modality"
              outcomes sql --db var/outcomes.sqlite --format csv \\
                  "SELECT * FROM score_view WHERE patient_id = 'P7KQ2M9A'"
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable { case table, csv }

    @OptionGroup var store: StoreOptions
    @Option(help: "Output: table or csv.") var format: Format = .table
    @Option(help: "Stop the statement after this many seconds.") var timeout: Double = 30
    @Argument(help: "One SQL statement (SELECT, WITH, or a pragma that only reads).") var statement: String

    func validate() throws {
        guard timeout > 0, timeout <= 86_400 else { throw ValidationError("--timeout must be between 0 and 86400 seconds") }
    }

    func run() throws {
        try runReportingErrors {
            let result = try ReadOnlySQL.run(path: store.db, sql: statement, timeout: timeout)
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
        return TextTable(header: result.columns, rows: cells).text
            + "(\(result.rows.count) row\(result.rows.count == 1 ? "" : "s"))\n"
    }
}
