import ArgumentParser
import OutcomesKit

/// `outcomes`: ingest de-identified treatment records, compute outcomes, write reports.
@main
struct OutcomesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "outcomes",
        abstract: "Treatment outcome reports from de-identified session and score exports.",
        discussion: """
            Data flows one way: CSV exports → ingest → SQLite store → outcomes →
            reports. The definitions of every number are in docs/DATA-CONTRACT.md.

            Exit codes: \(ExitStatus.summary)
            """,
        version: ToolInfo.version,
        subcommands: [RunCommand.self, IngestCommand.self, ReportCommand.self, QueryCommand.self, ExplainCommand.self,
                      StatusCommand.self, DoctorCommand.self, UpgradeCommand.self, CatalogCommand.self, InspectCommand.self, SQLCommand.self, SynthCommand.self])

    /// Names an unknown command as one (with the closest command when one is
    /// near), where ArgumentParser would report "Unexpected argument" or
    /// complain about the options after it.
    static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        if let first = arguments.first, !first.hasPrefix("-") {
            let names = configuration.subcommands.compactMap { $0.configuration.commandName } + ["help"]
            if !names.contains(first) {
                let suggestion = EditDistance.suggestions(for: first, among: names).first.map { " (did you mean '\($0)'?)" } ?? ""
                printError("unknown command '\(first)'\(suggestion); the commands are \(names.dropLast().joined(separator: ", "))")
                exit(withError: ExitStatus.usage.exitCode)
            }
        }
        main(arguments)
    }
}
