import ArgumentParser
import OutcomesKit

/// `outcomes catalog`: the instruments and modalities in use.
struct CatalogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "catalog",
        abstract: "List the instruments and modalities with their thresholds.",
        discussion: """
            The contract's defaults, or the catalogue of a pipeline file with its
            overrides applied.

            Examples:
              outcomes catalog
              outcomes catalog --pipeline pipelines/monthly.yaml
            """)

    @OptionGroup var pipeline: PipelineOptions

    func run() throws {
        try runReportingErrors { print(try pipeline.catalog().textDescription, terminator: "") }
    }
}
