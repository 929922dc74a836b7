/// `outcomes.csv`, `retention.csv` and `timepoints.csv`, byte for byte as
/// DATA-CONTRACT §8, §9 and §6b define them.
public enum OutcomeFiles {
    public static let outcomesHeader = [
        "window", "period_start", "period_end", "modality", "instrument", "site", "courses",
        "no_baseline", "below_threshold", "itt_n", "evaluable_n", "completers_n", "responders", "remitters",
        "recovered", "completer_responders", "completer_remitters",
        "response_rate_itt", "response_ci_low_itt", "response_ci_high_itt",
        "response_rate_evaluable", "response_ci_low_evaluable", "response_ci_high_evaluable",
        "response_rate_completers", "response_ci_low_completers", "response_ci_high_completers",
        "remission_rate_itt", "remission_ci_low_itt", "remission_ci_high_itt",
        "remission_rate_evaluable", "remission_ci_low_evaluable", "remission_ci_high_evaluable",
        "remission_rate_completers", "remission_ci_low_completers", "remission_ci_high_completers",
        "mean_baseline", "mean_endpoint", "mean_change", "improved", "deteriorated",
        "early_responders", "median_sessions_to_response",
    ]

    public static let timePointsHeader = [
        "window", "period_start", "period_end", "modality", "instrument", "site", "time_point",
        "itt_timed", "n", "mean_baseline", "mean_score", "mean_change", "sd_change", "change_ci_low", "change_ci_high",
        "effect_size", "responders", "response_rate", "response_ci_low", "response_ci_high",
        "remitters", "remission_rate", "remission_ci_low", "remission_ci_high",
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
            + [masked.courses, masked.noBaseline, masked.belowThreshold, masked.intentionToTreat, masked.evaluable,
               masked.completers, masked.responders, masked.remitters, masked.recovered, masked.completerResponders,
               masked.completerRemitters].map(\.csv)
            + proportionFields(masked.responseITT) + proportionFields(masked.responseEvaluable)
            + proportionFields(masked.responseCompleters)
            + proportionFields(masked.remissionITT) + proportionFields(masked.remissionEvaluable)
            + proportionFields(masked.remissionCompleters)
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

    /// The whole `outcomes.csv`, each row as `disclosure` shows it (the
    /// rows must be those the disclosure was planned for).
    public static func outcomesCSV(_ rows: [OutcomeRow], catalog: Catalog, disclosure: Disclosure = .none) -> String {
        var text = CSVFormat.line(outcomesHeader)
        text.reserveCapacity(rows.count * 160)
        for (index, row) in rows.enumerated() {
            text += CSVFormat.line(fields(of: disclosure.outcome(row, at: index), catalog: catalog))
        }
        return text
    }

    /// The fields of one `timepoints.csv` record.
    public static func fields(of masked: MaskedTimePointRow, catalog: Catalog) -> [String] {
        let row = masked.row
        let modality = catalog.modalities[row.modality]
        return windowFields(row.window)
            + [modality.id, catalog.instruments[row.instrument].id, CSVFormat.text(row.site.label),
               CSVFormat.text(modality.timePoints[row.timePoint].label), masked.ittTimed.csv, masked.n.csv]
            + [masked.meanBaseline, masked.meanScore, masked.meanChange, masked.sdChange, masked.changeLow, masked.changeHigh,
               masked.effectSize].map(NumberFormat.mean)
            + [masked.responders.csv] + proportionFields(masked.response)
            + [masked.remitters.csv] + proportionFields(masked.remission)
    }

    /// The whole `timepoints.csv`.
    public static func timePointsCSV(_ rows: [TimePointRow], catalog: Catalog, disclosure: Disclosure = .none) -> String {
        CSVFormat.line(timePointsHeader) + rows.enumerated().map { index, row in
            CSVFormat.line(fields(of: disclosure.timePoint(row, at: index), catalog: catalog))
        }.joined()
    }

    /// The whole `retention.csv`.
    public static func retentionCSV(_ rows: [RetentionRow], catalog: Catalog, disclosure: Disclosure = .none) -> String {
        CSVFormat.line(retentionHeader) + rows.enumerated().map { index, row in
            CSVFormat.line(fields(of: disclosure.retention(row, at: index), catalog: catalog))
        }.joined()
    }

    static func windowFields(_ window: ReportWindow) -> [String] {
        [window.kind.rawValue, window.periodStart.description, window.periodEnd.description]
    }

    static func proportionFields(_ proportion: Proportion?) -> [String] {
        [NumberFormat.rate(proportion?.rate), NumberFormat.rate(proportion?.low), NumberFormat.rate(proportion?.high)]
    }
}
