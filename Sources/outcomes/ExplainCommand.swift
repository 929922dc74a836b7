import ArgumentParser
import Foundation
import OutcomesKit

/// `outcomes explain`: why a patient counts as they do.
struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Show one patient's courses step by step, so any count can be checked by hand.",
        discussion: """
            For each course: its sessions, its window end W and the rule that set it,
            open or closed, and for each scale the baseline, the follow-up scores, the
            endpoint, the status and every outcome with its arithmetic.

            Examples:
              outcomes explain --db var/outcomes.sqlite --patient P7KQ2M9A \\
                  --month 2026-10
              outcomes explain --db var/outcomes.sqlite --patient P7KQ2M9A \\
                  --modality tms
            """)

    @OptionGroup var store: StoreOptions
    @Option(help: "The patient's pseudonymous id.") var patient: String
    @Option(help: "Only this modality (id or alias).") var modality: String?
    @Option(help: "Report month, YYYY-MM (default: the last complete month).", transform: YearMonth.argument) var month: YearMonth?
    @OptionGroup var pipeline: PipelineOptions
    @OptionGroup var logging: LoggingOptions

    func run() throws {
        logging.bootstrap()
        try runReportingErrors {
            let catalog = try pipeline.catalog()
            let modalityID = try modality.map(catalog.resolveModality)
            let store = try OutcomeStore(path: self.store.db, mode: .readOnly)
            let text = try PatientExplanation.explain(store: store, catalog: catalog, pseudonym: patient, modality: modalityID,
                                                      month: month ?? PipelineRunner.lastCompleteMonth())
            print(text, terminator: "")
        }
    }
}
