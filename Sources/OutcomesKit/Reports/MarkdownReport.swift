/// `outcomes.md`: the outcome tables in a form a person reads.
public enum MarkdownReport {
    public static func render(_ result: OutcomeResult, catalog: Catalog) -> String {
        var text = "# Treatment outcomes, \(monthName(result.month))\n\n"
        text += "Courses judged up to \(result.cut) (the last day of \(result.month)). "
        text += "Rates are shown with 95 % Wilson intervals; ITT counts patients without follow-up as non-responders, "
        text += "completers are those with a baseline and an endpoint. See `outcomes.csv` for every number.\n"
        for modality in catalog.modalities {
            let rows = result.outcomeRows.filter { $0.modality == modality.id && $0.site == .allSites }
            guard !rows.isEmpty else { continue }
            text += "\n## \(escape(modality.name))\n\n"
            text += "| Window | Instrument | Courses | ITT | Completers | Response (ITT) | Response (completers) | Remission (completers) |\n"
            text += "|---|---|---:|---:|---:|---:|---:|---:|\n"
            for row in rows {
                let instrument = catalog.instruments.first { $0.id == row.instrument }
                text += "| \(windowLabel(row.window)) | \(escape(instrument?.name ?? row.instrument)) | \(row.courses) "
                text += "| \(row.intentionToTreat) | \(row.completers) | \(percentWithInterval(row.responseITT)) "
                text += "| \(percentWithInterval(row.responseCompleters)) "
                text += "| \(row.remitters == nil ? "n/a" : percentWithInterval(row.remissionCompleters)) |\n"
            }
        }
        if result.outcomeRows.isEmpty {
            text += "\nNo course was closed by \(result.cut).\n"
        }
        return text
    }

    /// "61 % (53–69 %)", or "–" when undefined.
    public static func percentWithInterval(_ proportion: Proportion?) -> String {
        guard let proportion else { return "–" }
        return "\(percent(proportion.rate)) % (\(percent(proportion.low))–\(percent(proportion.high)) %)"
    }

    /// A proportion as a whole percentage, rounded as printf rounds.
    public static func percent(_ value: Double) -> String {
        NumberFormat.fixed(value * 100, decimals: 0)
    }

    static func windowLabel(_ window: ReportWindow) -> String {
        switch window.kind {
        case .month: return "Month"
        case .twelveMonths: return "12 months"
        case .all: return "All time"
        }
    }

    /// "October 2026".
    public static func monthName(_ month: YearMonth) -> String {
        let names = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
                     "October", "November", "December"]
        return "\(names[month.month - 1]) \(month.year)"
    }

    /// A text value made safe inside a Markdown table cell: pipes escaped,
    /// line breaks turned into spaces, HTML-significant `<` escaped.
    public static func escape(_ value: String) -> String {
        var result = ""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "|": result += "\\|"
            case "\n", "\r": result += " "
            case "<": result += "&lt;"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}
