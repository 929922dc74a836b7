import ArgumentParser
import OutcomesKit

/// `outcomes report --db PATH --month YYYY-MM --out DIR` (SPEC §10).
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write a month's outcome files from the store.",
        discussion: """
            Writes outcomes.csv, retention.csv, rejects.csv, outcomes.md, charts/*.svg and
            manifest.json into DIR, each file replaced atomically. The same store and month always
            give byte-identical files. With --pipeline, the catalogue and report options (such as
            small-cell suppression) come from that pipeline file.

            Examples:
              outcomes report --db var/outcomes.sqlite --month 2026-10 --out /tmp/report
              outcomes report --db var/outcomes.sqlite --month 2026-10 --out /tmp/public --pipeline pipelines/monthly-public.yaml
            """)

    @Option(name: .long, help: "The SQLite store.")
    var db: String

    @Option(name: .long, help: "Report month, YYYY-MM. Courses are judged as of its last day.")
    var month: YearMonth

    @Option(name: .long, help: "Folder to write the report into (created when missing).")
    var out: String

    @Option(name: .long, help: "Take the catalogue and report options from this pipeline file.")
    var pipeline: String?

    @OptionGroup var logging: LoggingOptions

    func run() throws {
        logging.bootstrap()
        FilePermissions.apply(group: nil)
        try runReportingErrors {
            var settings = ReportSettings(month: month)
            if let pipeline {
                let definition = try loadPipeline(pipeline)
                settings = ReportSettings(month: month, catalog: definition.catalog, options: definition.report,
                                          pipeline: definition.manifestEntry)
            }
            let store = try OutcomeStore(path: db, mode: .readOnly)
            let report = try ReportBuilder.build(store: store, settings: settings)
            try ReportWriter.write(report.files, into: out)
            print("wrote \(report.files.files.count) files to \(out)")
        }
    }
}

extension YearMonth: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }
}

/// Loads a pipeline file, turning its errors into the configuration exit status.
func loadPipeline(_ path: String) throws -> PipelineDefinition {
    do {
        return try PipelineDefinition.load(path: path)
    } catch let error as PipelineError {
        throw CommandFailure(message: error.description, status: .configError)
    }
}
