/// `outcomes.csv` and `retention.csv`, byte for byte as SPEC §8–9 define them.
public enum OutcomeFiles {
    public static let outcomesHeader = [
        "window", "period_start", "period_end", "modality", "instrument", "site", "courses",
        "no_baseline", "below_threshold", "itt_n", "completers_n", "responders", "remitters",
        "response_rate_itt", "response_ci_low_itt", "response_ci_high_itt",
        "response_rate_completers", "response_ci_low_completers", "response_ci_high_completers",
        "remission_rate_itt", "remission_ci_low_itt", "remission_ci_high_itt",
        "remission_rate_completers", "remission_ci_low_completers", "remission_ci_high_completers",
        "mean_baseline", "mean_endpoint", "mean_change", "improved", "deteriorated",
        "early_responders", "median_sessions_to_response",
    ]

    public static let retentionHeader = [
        "window", "period_start", "period_end", "modality", "site", "evaluable", "retained",
        "retention_rate", "retention_ci_low", "retention_ci_high",
    ]

    /// The fields of one `outcomes.csv` record.
    public static func fields(of row: OutcomeRow) -> [String] {
        windowFields(row.window) + [row.modality, row.instrument, CSVFormat.text(row.site.label)]
            + [row.courses, row.noBaseline, row.belowThreshold, row.intentionToTreat, row.completers, row.responders]
                .map(String.init)
            + [NumberFormat.count(row.remitters)]
            + proportionFields(row.responseITT) + proportionFields(row.responseCompleters)
            + proportionFields(row.remissionITT) + proportionFields(row.remissionCompleters)
            + [NumberFormat.mean(row.meanBaseline), NumberFormat.mean(row.meanEndpoint), NumberFormat.mean(row.meanChange),
               NumberFormat.count(row.improved), NumberFormat.count(row.deteriorated),
               String(row.earlyResponders), NumberFormat.median(row.medianSessionsToResponse)]
    }

    /// The fields of one `retention.csv` record.
    public static func fields(of row: RetentionRow) -> [String] {
        windowFields(row.window) + [row.modality, CSVFormat.text(row.site.label),
                                    String(row.evaluable), String(row.retained)]
            + proportionFields(row.retention)
    }

    /// The whole `outcomes.csv`.
    public static func outcomesCSV(_ rows: [OutcomeRow]) -> String {
        CSVFormat.line(outcomesHeader) + rows.map { CSVFormat.line(fields(of: $0)) }.joined()
    }

    /// The whole `retention.csv`.
    public static func retentionCSV(_ rows: [RetentionRow]) -> String {
        CSVFormat.line(retentionHeader) + rows.map { CSVFormat.line(fields(of: $0)) }.joined()
    }

    private static func windowFields(_ window: ReportWindow) -> [String] {
        [window.kind.rawValue, window.periodStart.description, window.periodEnd.description]
    }

    private static func proportionFields(_ proportion: Proportion?) -> [String] {
        [NumberFormat.rate(proportion?.rate), NumberFormat.rate(proportion?.low), NumberFormat.rate(proportion?.high)]
    }
}
