import ArgumentParser
import OutcomesKit

/// `outcomes status`: what the store holds.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show what the store holds: files, rows, date range, rejects, schema version.",
        discussion: """
            Example:
              outcomes status --db var/outcomes.sqlite
            """)

    @OptionGroup var store: StoreOptions
    @OptionGroup var logging: LoggingOptions

    func run() throws {
        logging.bootstrap()
        try runReportingErrors { print(try OutcomeStore(path: store.db, mode: .readOnly).status().text, terminator: "") }
    }
}
