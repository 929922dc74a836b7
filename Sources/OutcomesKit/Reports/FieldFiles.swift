/// `survival.csv`, `dropout.csv` and `by_sessions.csv`: the field's views
/// (`FieldViews`) as files, each row as the report's `Disclosure` shows it.
/// docs/OUTPUTS.md defines every column.
public enum FieldFiles {
    /// As the issue that asked for it lists them: no period columns (the window's
    /// period is in outcomes.csv).
    public static let survivalHeader = [
        "window", "modality", "instrument", "site", "curve", "day",
        "at_risk", "events", "censored", "survival", "ci_low", "ci_high",
    ]
    public static let dropoutHeader = [
        "window", "period_start", "period_end", "modality", "site", "session", "reached", "share",
    ]
    public static let bySessionsHeader = [
        "window", "period_start", "period_end", "modality", "instrument", "site", "sessions", "evaluable",
        "responders", "response_rate", "response_ci_low", "response_ci_high",
        "remitters", "remission_rate", "remission_ci_low", "remission_ci_high",
    ]

    /// The count a survival curve starts from: ITT courses (time to
    /// response) or responders (durability), as `outcomes.csv` shows it.
    static func startCount(of curve: SurvivalCurve, rows: [OutcomeRow], disclosure: Disclosure) -> CountCell {
        guard let index = rows.firstIndex(where: { $0.window == curve.window && $0.modality == curve.modality
            && $0.instrument == curve.instrument && $0.site == .allSites }) else { return .value(0) }
        let masked = disclosure.outcome(rows[index], at: index)
        return curve.kind == .timeToResponse ? masked.intentionToTreat : masked.responders
    }

    public static func survivalCSV(_ views: FieldViews, rows: [OutcomeRow], catalog: Catalog, disclosure: Disclosure = .none) -> String {
        var text = CSVFormat.line(survivalHeader)
        for curve in views.survival {
            let start = startCount(of: curve, rows: rows, disclosure: disclosure)
            for step in disclosure.publishedSteps(of: curve, start: start) {
                text += CSVFormat.line([curve.window.kind.rawValue,
                    catalog.modalities[curve.modality].id, catalog.instruments[curve.instrument].id, "*", curve.kind.rawValue,
                    String(step.time), String(step.atRisk), String(step.events), String(step.censored),
                    NumberFormat.rate(step.survival), NumberFormat.rate(step.low), NumberFormat.rate(step.high),
                ])
            }
        }
        return text
    }

    public static func dropoutCSV(_ views: FieldViews, catalog: Catalog, disclosure: Disclosure = .none) -> String {
        var text = CSVFormat.line(dropoutHeader)
        for (index, row) in views.dropout.enumerated() {
            let shown = disclosure.dropout(row, at: index)
            for k in row.reached.indices {
                let share = shown[k].shownValue != nil && shown[0].shownValue != nil && row.reached[0] > 0
                    ? Double(row.reached[k]) / Double(row.reached[0]) : nil
                text += CSVFormat.line(OutcomeFiles.windowFields(row.window) + [
                    catalog.modalities[row.modality].id, "*", String(k + 1), shown[k].csv, NumberFormat.rate(share),
                ])
            }
        }
        return text
    }

    public static func bySessionsCSV(_ views: FieldViews, catalog: Catalog, disclosure: Disclosure = .none) -> String {
        var text = CSVFormat.line(bySessionsHeader)
        for (index, row) in views.bySessions.enumerated() {
            let shown = disclosure.sessionsBin(row, at: index)
            text += CSVFormat.line(OutcomeFiles.windowFields(row.window) + [
                catalog.modalities[row.modality].id, catalog.instruments[row.instrument].id, "*", row.label,
                shown.evaluable.csv, shown.responders.csv] + OutcomeFiles.proportionFields(shown.response)
                + [shown.remitters.csv] + OutcomeFiles.proportionFields(shown.remission))
        }
        return text
    }
}
