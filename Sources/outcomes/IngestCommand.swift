import ArgumentParser
import OutcomesKit

/// `outcomes ingest --db PATH FILE...` (DATA-CONTRACT §10).
struct IngestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Load session and score CSV exports into the store.",
        discussion: """
            Each file is judged alone: its kind comes from its header, every record is
            checked, and the file loads whole or not at all. A file whose bytes were
            ingested before is skipped. A refused file (direct identifiers, unknown
            kind, broken CSV) does not stop the others; the command then exits with
            status 3.

            Examples:
              outcomes ingest --db store.sqlite \\
                  exports/sessions-2026-10.csv exports/scores-2026-10.csv
              outcomes ingest --db store.sqlite exports/*.csv
            """)

    @OptionGroup var store: StoreOptions

    @Argument(help: "Sessions or scores CSV files, read in the order given.")
    var files: [String]

    @OptionGroup var logging: LoggingOptions

    func run() throws {
        logging.bootstrap()
        try runReportingErrors {
            let store = try OutcomeStore(path: self.store.db, mode: .create)
            let reports = try Ingestor(store: store, catalog: Catalog.standard).ingest(files.map(inputPath(forArgument:))) { report in
                if report.isRefused { printError(report.line) } else { print(TerminalText.safe(report.line)) }
            }
            let refused = reports.filter(\.isRefused).count
            if refused > 0 {
                throw CommandFailure(message: "\(refused) of \(files.count) file\(files.count == 1 ? "" : "s") refused; nothing from \(refused == 1 ? "it" : "them") was stored",
                                     status: .inputRefused)
            }
        }
    }
}
