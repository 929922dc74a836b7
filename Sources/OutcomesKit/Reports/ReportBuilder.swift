/// Builds a month's report from the store: load, compute, format. Nothing
/// here writes a file, so the result can be compared in tests.
public enum ReportBuilder {
    /// The files SPEC §10 requires, for `month`.
    public static func build(store: OutcomeStore, catalog: Catalog, month: YearMonth) throws -> (OutcomeResult, ReportFiles) {
        let input = try store.outcomeInput(catalog: catalog, asOf: cutDate(of: month))
        let result = OutcomeEngine.compute(input, catalog: catalog, month: month)
        let files = ReportFiles(files: [
            ("outcomes.csv", OutcomeFiles.outcomesCSV(result.outcomeRows)),
            ("retention.csv", OutcomeFiles.retentionCSV(result.retentionRows)),
            ("rejects.csv", RejectFile.csv(try store.rejects())),
            ("outcomes.md", MarkdownReport.render(result, catalog: catalog)),
        ])
        return (result, files)
    }
}
