import ArgumentParser
import OutcomesKit

/// `outcomes`: ingest de-identified treatment records, compute outcomes, write reports.
@main
struct OutcomesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "outcomes",
        abstract: "Treatment outcome reports from de-identified session and score exports.",
        discussion: """
            Data flows one way: CSV exports → ingest → SQLite store → outcomes → reports.
            The definitions of every number are in docs/DATA-CONTRACT.md.
            Exit codes: \(ExitStatus.summary)
            """,
        version: ToolInfo.version,
        subcommands: [RunCommand.self, IngestCommand.self, ReportCommand.self, QueryCommand.self, ExplainCommand.self,
                      StatusCommand.self, DoctorCommand.self, CatalogCommand.self, SQLCommand.self, SynthCommand.self])
}
