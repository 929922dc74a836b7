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

            With --pipeline, the pipeline's catalogue is used, and a file that one of
            its sources: matches is read through that source's mapping (another
            EHR's columns, dates, codes and CSV dialect; docs/IMPORTING.md).

            Examples:
              outcomes ingest --db store.sqlite \\
                  exports/sessions-2026-10.csv exports/scores-2026-10.csv
              outcomes ingest --db store.sqlite exports/*.csv
              outcomes ingest --db var/outcomes.sqlite --pipeline pipelines/epic.yaml \\
                  exports/flowsheets_2026-10.csv
            """)

    @OptionGroup var store: StoreOptions

    @Argument(help: "Sessions or scores CSV files, read in the order given.")
    var files: [String]

    @OptionGroup var pipeline: PipelineOptions

    @OptionGroup var logging: LoggingOptions

    func run() throws {
        logging.bootstrap()
        try runReportingErrors {
            // With a pipeline: its catalogue, and each file read through the first source matching it (§11).
            let definition = try pipeline.definition()
            let inputs = files.map { (path: inputPath(forArgument: $0), mapping: definition?.mapping(for: $0)) }
            let store = try OutcomeStore(path: self.store.db, mode: .create)
            let reports = try Ingestor(store: store, catalog: definition?.catalog ?? .standard).ingest(inputs) { report in
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
