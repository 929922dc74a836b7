import ArgumentParser
import OutcomesKit

/// `outcomes ingest --db PATH FILE...` (SPEC §10).
struct IngestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Load session and score CSV exports into the store.",
        discussion: """
            Each file is judged alone: its kind comes from its header, every record is checked,
            and the file loads whole or not at all. A file whose bytes were ingested before is
            skipped. A refused file (direct identifiers, unknown kind, broken CSV) does not stop
            the others; the command then exits with status 3.

            Examples:
              outcomes ingest --db store.sqlite exports/sessions-2026-10.csv exports/scores-2026-10.csv
              outcomes ingest --db store.sqlite exports/*.csv
            """)

    @Option(name: .long, help: "The SQLite store (created when missing).")
    var db: String

    @Argument(help: "Sessions or scores CSV files, read in the order given.")
    var files: [String]

    @OptionGroup var logging: LoggingOptions

    func run() throws {
        logging.bootstrap()
        FilePermissions.apply(group: nil)
        try runReportingErrors {
            let store = try OutcomeStore(path: db, mode: .create)
            let ingestor = Ingestor(store: store, catalog: Catalog.standard)
            var refused: [FileIngestReport] = []
            for path in files {
                let report = try ingestor.ingest(path: path)
                if case .refused = report.outcome {
                    refused.append(report)
                    printError(report.line)
                } else {
                    print(report.line)
                }
            }
            try store.checkpoint()
            if !refused.isEmpty {
                throw CommandFailure(message: "\(refused.count) of \(files.count) file\(files.count == 1 ? "" : "s") refused; nothing from \(refused.count == 1 ? "it" : "them") was stored",
                                     status: .inputRefused)
            }
        }
    }
}
