import ArgumentParser
import Foundation
import Logging
import OutcomesKit

/// `outcomes run PIPELINE [--month YYYY-MM]`: the monthly job.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a pipeline: ingest new exports and write the month's report.",
        discussion: """
            Safe under cron: a lock beside the store stops two runs from overlapping
            (the second exits at once with status 6, naming the holder); the report
            folder <reports>/<YYYY-MM>/ is written aside and swapped in atomically, so
            it is never half-written; the same store, month and pipeline give
            byte-identical files.

            No report is written, and the previous one stays, when an input file is
            refused (status 3), fails the data-quality gate (2), the month has not ended
            (2; --allow-partial writes it, labelled "partial month"), or there is no new
            data (8): the inputs match no file, nothing is new since the last report, or
            the month holds no data. The reason goes to stderr, even with --quiet.

            Examples:
              outcomes run pipelines/monthly.yaml      # the last complete month
              outcomes run pipelines/monthly.yaml --month 2026-10
              outcomes run pipelines/monthly-public.yaml --month 2026-10 --quiet
            """)

    @Argument(help: "The pipeline file (YAML).")
    var pipeline: String

    @Option(help: "Report month, YYYY-MM (default: the last complete month).", transform: YearMonth.argument)
    var month: YearMonth?

    @Flag(help: "Allow a month that has not ended; the report is labelled \"partial month\".")
    var allowPartial = false

    @OptionGroup var logging: LoggingOptions

    func run() throws {
        logging.bootstrap()
        try runReportingErrors {
            let definition = try PipelineDefinition.load(path: pipeline)
            let runner = PipelineRunner(pipeline: definition)
            let progress = ProgressBar.onTerminal(enabled: !logging.quiet)
            runner.onProgress = progress.map { bar in { bar.update($0) } }
            defer { progress?.finish() }
            let outcome = try runner.run(month: month ?? PipelineRunner.lastCompleteMonth(), allowPartial: allowPartial)
            progress?.finish()
            for report in outcome.refused + outcome.heldBack { printError(report.line) }
            if !outcome.heldBack.isEmpty {
                throw CommandFailure(message: "data-quality gate failed: \(outcome.heldBack.count) file(s) held back; report for \(outcome.month) not written",
                                     status: .qualityGateFailed)
            }
            if !outcome.refused.isEmpty {
                throw CommandFailure(message: "\(outcome.refused.count) file(s) refused; report for \(outcome.month) not written",
                                     status: .inputRefused)
            }
            if !logging.quiet, let summary = outcome.ingestSummaryLine { print(summary) }
            if let folder = outcome.reportFolder { print("report for \(outcome.month) written to \(TerminalText.safe(folder))") }
        }
    }
}
