import ArgumentParser
import OutcomesKit

/// `outcomes report --db PATH --month YYYY-MM --out DIR` (SPEC §10).
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write a month's outcome files from the store.",
        discussion: """
            Writes outcomes.csv, retention.csv, rejects.csv and outcomes.md into DIR. The same store
            and month always give byte-identical files.

            Example:
              outcomes report --db store.sqlite --month 2026-10 --out reports/2026-10
            """)

    @Option(name: .long, help: "The SQLite store.")
    var db: String

    @Option(name: .long, help: "Report month, YYYY-MM. Courses are judged as of its last day.")
    var month: YearMonth

    @Option(name: .long, help: "Folder to write the report into (created when missing).")
    var out: String

    @OptionGroup var logging: LoggingOptions

    func run() throws {
        logging.bootstrap()
        try runReportingErrors {
            let store = try OutcomeStore(path: db, mode: .readOnly)
            let (_, report) = try ReportBuilder.build(store: store, catalog: Catalog.standard, month: month)
            try ReportWriter.write(report, into: out)
            print("wrote \(report.files.map(\.name).joined(separator: ", ")) to \(out)")
        }
    }
}

extension YearMonth: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }
}
