import ArgumentParser
import OutcomesKit

/// `outcomes inspect`: what an export appears to be, and a mapping for it.
struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Describe export files and propose a sources: entry for each.",
        discussion: """
            For each file: delimiter, encoding and header row; each column's shape
            (date form, integer range, a short code list, free text) and fill rate;
            columns that look like direct identifiers; and a proposed sources: entry
            to paste into a pipeline (docs/IMPORTING.md). Check the guesses, and
            replace any ??? in a value map. No value that could identify a patient
            is printed: only shapes, counts, and the values of short code lists.

            Examples:
              outcomes inspect exports/flowsheets_2026-10.csv
              outcomes inspect --pipeline pipelines/monthly.yaml exports/*.ndjson
            """)

    @Argument(help: "Export files (CSV or FHIR NDJSON).")
    var files: [String]

    @OptionGroup var pipeline: PipelineOptions
    @OptionGroup var logging: LoggingOptions

    func run() throws {
        logging.bootstrap()
        try runReportingErrors {
            let catalog = try pipeline.catalog()
            for file in files {
                let inspection: FileInspection
                do {
                    inspection = try FileInspection.inspect(file)
                } catch let error as IngestError {
                    throw CommandFailure(message: "\(file): \(error)", status: .inputRefused)
                }
                print(inspection.describe(catalog: catalog))
                print("  proposed mapping:")
                print(inspection.proposal(catalog: catalog).split(separator: "\n", omittingEmptySubsequences: false)
                    .map { $0.isEmpty ? "" : "    " + $0 }.joined(separator: "\n"), terminator: "")
            }
        }
    }
}
