import ArgumentParser
import OutcomesKit

/// `outcomes upgrade --db PATH`: brings an existing store's schema up to date.
struct UpgradeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "upgrade",
        abstract: "Bring an existing store's schema up to date, loading nothing.",
        discussion: """
            A newer outcomes may keep more in its store. `report`, `query`,
            `explain`, `status` and `sql` refuse a store with an older schema
            and name this command (`doctor` reports it); `ingest` and `run`
            upgrade it as they load. Each step (docs/STORE.md) runs in its own
            transaction: an interrupted upgrade leaves the store at the last
            finished step, and running the command again carries on from there.
            The rows are kept as they are. A store written by a newer version
            is refused, never downgraded.

            Example:
              outcomes upgrade --db var/outcomes.sqlite
            """)

    @OptionGroup var store: StoreOptions
    @OptionGroup var logging: LoggingOptions

    func run() throws {
        logging.bootstrap()
        try runReportingErrors {
            let opened = try OutcomeStore(path: store.db, mode: .upgrade)
            let applied = opened.migrationsApplied
            if logging.quiet { return }
            if applied.isEmpty {
                print(TerminalText.safe("\(store.db): the schema is current (\(StoreSchema.latestVersion))"))
            } else {
                print(TerminalText.safe("\(store.db): upgraded to \(StoreSchema.latestVersion); applied \(applied.count) step\(applied.count == 1 ? "" : "s"): \(applied.joined(separator: "; "))"))
            }
        }
    }
}
