import ArgumentParser
import OutcomesKit

/// `outcomes catalog`: the instruments and modalities in use.
struct CatalogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "catalog",
        abstract: "List the instruments and modalities with their thresholds.",
        discussion: """
            The SPEC's defaults, or the catalogue of a pipeline file with its overrides applied.

            Examples:
              outcomes catalog
              outcomes catalog --pipeline pipelines/monthly.yaml
            """)

    @Option(help: "Show the catalogue of this pipeline file.") var pipeline: String?

    func run() throws {
        try runReportingErrors { print(try catalogOf(pipeline).textDescription, terminator: "") }
    }
}
