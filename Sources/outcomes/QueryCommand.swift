import ArgumentParser
import OutcomesKit

/// `outcomes query`: ad hoc questions, answered exactly as the report would.
struct QueryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query",
        abstract: "Answer an ad hoc question from the store, exactly as the report would.",
        discussion: """
            Rows are those of outcomes.csv for the month: all sites (site *) unless --by
            site or --site; all three windows unless --window. --by month gives one
            `month` window row per month from --from to --to (default: the 12 months
            ending with --month). Modality and instrument names may be ids or aliases,
            in any case.

            Examples:
              # TMS remission at the St. Augustine site over the last 12 months
              outcomes query --db var/outcomes.sqlite --month 2026-10 \\
                  --modality tms --site "St. Augustine" --window 12m
              # ketamine on the PHQ-9, month by month this year, as CSV
              outcomes query --db var/outcomes.sqlite --month 2026-10 \\
                  --modality ketamine --instrument PHQ-9 \\
                  --by month --from 2026-01 --to 2026-10 --format csv
              # every site, ITT rates
              outcomes query --db var/outcomes.sqlite --month 2026-10 \\
                  --by site --population itt
              # esketamine's MADRS 4 h and 24 h after the first dose, last 12 months
              outcomes query --db var/outcomes.sqlite --month 2026-10 \\
                  --modality spravato --instrument madrs --window 12m --timepoints
            """)

    @OptionGroup var store: StoreOptions
    @Option(help: "Report month, YYYY-MM.", transform: YearMonth.argument) var month: YearMonth
    @Option(help: "Window: month, 12m or all (default: all three).") var window: WindowKind?
    @Option(help: "Modality id or alias.") var modality: String?
    @Option(help: "Instrument id or alias.") var instrument: String?
    @Option(help: "One site, by its name.") var site: String?
    @Option(name: .customLong("by"), help: "Break down by site or by month.") var breakdown: OutcomeQuery.Breakdown?
    @Option(help: "First month of --by month, YYYY-MM.", transform: YearMonth.argument) var from: YearMonth?
    @Option(help: "Last month of --by month, YYYY-MM.", transform: YearMonth.argument) var to: YearMonth?
    @Option(help: "Whose rates the table shows: itt, evaluable or completers.") var population: Population = .evaluable
    @Flag(help: "Rows of timepoints.csv (change after the first dose) instead of outcomes.csv.") var timepoints = false
    @Option(help: "Output: table, csv or json.") var format: QueryFormat = .table
    @OptionGroup var pipeline: PipelineOptions
    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        do {
            try OutcomeQuery(month: month, window: window, breakdown: breakdown, from: from, to: to).validateOptions()
        } catch {
            throw ValidationError(error.description)
        }
    }

    func run() throws {
        logging.bootstrap()
        try runReportingErrors {
            let definition = try pipeline.definition()
            let catalog = definition?.catalog ?? .standard
            // Under a pipeline, rows are shown as its report shows them (suppressed in the public profile).
            let options = definition?.report ?? ReportOptions()
            let query = OutcomeQuery(month: month, window: window, modality: try modality.map(catalog.resolveModality),
                                     instrument: try instrument.map(catalog.resolveInstrument), site: site,
                                     breakdown: breakdown, from: from, to: to)
            try query.validate(catalog: catalog)
            let store = try OutcomeStore(path: self.store.db, mode: .readOnly)
            let name = definition?.name ?? ""
            if timepoints {
                let rows = try query.shownTimePointRows(store: store, catalog: catalog, options: options, pipeline: name)
                print(QueryPrinter.renderTimePoints(rows, catalog: catalog, format: format), terminator: "")
            } else {
                let rows = try query.shownRows(store: store, catalog: catalog, options: options, pipeline: name)
                print(QueryPrinter.render(rows, catalog: catalog, format: format, population: population), terminator: "")
            }
        }
    }
}
