import ArgumentParser
import OutcomesKit

/// `outcomes query`: ad hoc questions, answered exactly as the report would.
struct QueryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query",
        abstract: "Answer an ad hoc question from the store, exactly as the report would.",
        discussion: """
            Rows are those of outcomes.csv for the month: all sites (site *) unless --by site or
            --site; all three windows unless --window. --by month gives one `month` window row per
            month from --from to --to (default: the 12 months ending with --month). Modality and
            instrument names may be ids or aliases, in any case.

            Examples:
              # TMS remission at the St. Augustine site over the last 12 months
              outcomes query --db var/outcomes.sqlite --month 2026-10 --modality tms --site "St. Augustine" --window 12m
              # ketamine on the PHQ-9, month by month this year, as CSV
              outcomes query --db var/outcomes.sqlite --month 2026-10 --modality ketamine --instrument PHQ-9 --by month --from 2026-01 --to 2026-10 --format csv
              # every site, ITT rates
              outcomes query --db var/outcomes.sqlite --month 2026-10 --by site --population itt
            """)

    @Option(help: "The SQLite store.") var db: String
    @Option(help: "Report month, YYYY-MM.") var month: YearMonth
    @Option(help: "Window: month, 12m or all (default: all three).") var window: WindowKind?
    @Option(help: "Modality id or alias.") var modality: String?
    @Option(help: "Instrument id or alias.") var instrument: String?
    @Option(help: "One site, by its name.") var site: String?
    @Option(name: .customLong("by"), help: "Break down by site or by month.") var breakdown: OutcomeQuery.Breakdown?
    @Option(help: "First month of --by month, YYYY-MM.") var from: YearMonth?
    @Option(help: "Last month of --by month, YYYY-MM.") var to: YearMonth?
    @Option(help: "Whose rates the table shows: itt or completers.") var population: Population = .completers
    @Option(help: "Output: table, csv or json.") var format: QueryFormat = .table
    @Option(help: "Use the catalogue of this pipeline file.") var pipeline: String?
    @OptionGroup var logging: LoggingOptions

    func run() throws {
        logging.bootstrap()
        try runReportingErrors {
            let catalog = try catalogOf(pipeline)
            let modalityID = try modality.map { name in try resolving { try catalog.resolveModality(name) } }
            let instrumentID = try instrument.map { name in try resolving { try catalog.resolveInstrument(name) } }
            if let modalityID, let instrumentID, let spec = catalog.modality(named: modalityID), !spec.instruments.contains(instrumentID) {
                throw CommandFailure(message: "\(instrumentID) is not a scale of \(modalityID) (its scales: \(spec.instruments.joined(separator: ", ")))",
                                     status: .usage)
            }
            let query = OutcomeQuery(month: month, window: window, modality: modalityID, instrument: instrumentID, site: site,
                                     breakdown: breakdown, from: from, to: to)
            let store = try OutcomeStore(path: db, mode: .readOnly)
            let rows = try resolving { try query.rows(store: store, catalog: catalog) }
            print(QueryPrinter.render(rows, format: format, population: population), terminator: "")
        }
    }
}

extension WindowKind: ExpressibleByArgument {}
extension OutcomeQuery.Breakdown: ExpressibleByArgument {}
extension Population: ExpressibleByArgument {}
extension QueryFormat: ExpressibleByArgument {}

/// Turns a query's errors into one clear line and the usage status.
func resolving<T>(_ body: () throws -> T) throws -> T {
    do { return try body() } catch let error as QueryError {
        throw CommandFailure(message: error.description, status: .usage)
    }
}

/// The catalogue of a pipeline file, or the defaults.
func catalogOf(_ pipeline: String?) throws -> Catalog {
    try pipeline.map { try loadPipeline($0).catalog } ?? .standard
}
