/// `outcomes.csv` and `retention.csv`, byte for byte as DATA-CONTRACT §8–9 define them.
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
    public static func fields(of masked: MaskedOutcomeRow, catalog: Catalog) -> [String] {
        let row = masked.row
        return windowFields(row.window)
            + [catalog.modalities[row.modality].id, catalog.instruments[row.instrument].id, CSVFormat.text(row.site.label)]
            + [masked.courses, masked.noBaseline, masked.belowThreshold, masked.intentionToTreat, masked.completers,
               masked.responders, masked.remitters].map(\.csv)
            + proportionFields(masked.responseITT) + proportionFields(masked.responseCompleters)
            + proportionFields(masked.remissionITT) + proportionFields(masked.remissionCompleters)
            + [NumberFormat.mean(masked.meanBaseline), NumberFormat.mean(masked.meanEndpoint),
               NumberFormat.mean(masked.meanChange), masked.improved.csv, masked.deteriorated.csv,
               masked.earlyResponders.csv, NumberFormat.median(masked.medianSessionsToResponse)]
    }

    /// The fields of one `retention.csv` record.
    public static func fields(of masked: MaskedRetentionRow, catalog: Catalog) -> [String] {
        let row = masked.row
        return windowFields(row.window) + [catalog.modalities[row.modality].id, CSVFormat.text(row.site.label),
                                           masked.evaluable.csv, masked.retained.csv]
            + proportionFields(masked.retention)
    }

    /// The whole `outcomes.csv`; with a small-cell policy on, as the public profile shows it.
    public static func outcomesCSV(_ rows: [OutcomeRow], catalog: Catalog, policy: SmallCellPolicy = .off) -> String {
        outcomesCSV(rows, catalog: catalog, mask: policy.plan(rows))
    }

    /// The whole `outcomes.csv`, each row masked as it is written.
    public static func outcomesCSV(_ rows: [OutcomeRow], catalog: Catalog, mask: OutcomeMask) -> String {
        var text = CSVFormat.line(outcomesHeader)
        text.reserveCapacity(rows.count * 160)
        for (index, row) in rows.enumerated() {
            text += CSVFormat.line(fields(of: mask.masked(row, at: index), catalog: catalog))
        }
        return text
    }

    /// The whole `retention.csv`.
    public static func retentionCSV(_ rows: [RetentionRow], catalog: Catalog, policy: SmallCellPolicy = .off) -> String {
        CSVFormat.line(retentionHeader) + policy.mask(rows).map { CSVFormat.line(fields(of: $0, catalog: catalog)) }.joined()
    }

    private static func windowFields(_ window: ReportWindow) -> [String] {
        [window.kind.rawValue, window.periodStart.description, window.periodEnd.description]
    }

    private static func proportionFields(_ proportion: Proportion?) -> [String] {
        [NumberFormat.rate(proportion?.rate), NumberFormat.rate(proportion?.low), NumberFormat.rate(proportion?.high)]
    }
}
