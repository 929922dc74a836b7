import ArgumentParser
import OutcomesKit

/// `outcomes report --db PATH --month YYYY-MM --out DIR` (DATA-CONTRACT §10).
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write a month's outcome files from the store.",
        discussion: """
            Writes outcomes.csv, retention.csv, timepoints.csv, survival.csv,
            dropout.csv, by_sessions.csv, rejects.csv, outcomes.md and .html,
            details.md and .html, charts/*.svg and manifest.json into DIR, each
            file replaced atomically. The same store and month always give
            byte-identical files. With --pipeline, the catalogue and report options
            (such as small-cell suppression) come from that pipeline file. A month that
            has not ended is refused (status 2) unless --allow-partial; a month with no
            session or score dated in it and no course judged in it is refused (8).

            Examples:
              outcomes report --db var/outcomes.sqlite --month 2026-10 \\
                  --out /tmp/report
              outcomes report --db var/outcomes.sqlite --month 2026-10 \\
                  --out /tmp/public --pipeline pipelines/monthly-public.yaml
            """)

    @OptionGroup var store: StoreOptions

    @Option(name: .long, help: "Report month, YYYY-MM. Courses are judged as of its last day.",
            transform: YearMonth.argument)
    var month: YearMonth

    @Option(name: .long, help: "Folder to write the report into (created when missing).")
    var out: String

    @Flag(help: "Allow a month that has not ended; the report is labelled \"partial month\".")
    var allowPartial = false

    @OptionGroup var pipeline: PipelineOptions
    @OptionGroup var logging: LoggingOptions

    func run() throws {
        logging.bootstrap()
        try runReportingErrors {
            var settings = ReportSettings(month: month)
            if let definition = try pipeline.definition() {
                settings = ReportSettings(month: month, catalog: definition.catalog, options: definition.report,
                                          pipeline: definition.manifestEntry)
            }
            let today = Day.today()
            try Freshness.requireEnded(month, today: today, allowPartial: allowPartial)
            settings.partialMonth = Freshness.isPartial(month, today: today)
            let store = try OutcomeStore(path: self.store.db, mode: .existing)
            let input = try store.reportInput(catalog: settings.catalog, asOf: cutDate(of: month))
            let dataThrough = DataThrough(input), scores = input.scoreSource
            let report = try ReportBuilder.build(input, settings: settings)
            try Freshness.requireData(in: month, dataThrough, sessionsOrScoresInMonth: try Freshness.hasData(in: month, result: report.result, scores: scores),
                                      result: report.result)
            try ReportWriter.write(report.files, into: out)
            print("wrote \(report.files.files.count) files to \(TerminalText.safe(out))")
        }
    }
}
