import Foundation

/// How `outcomes query` prints its rows.
public enum QueryFormat: String, Sendable, CaseIterable {
    /// Aligned for a terminal, rates as percentages with their intervals.
    case table
    /// Exactly `outcomes.csv`'s columns and values.
    case csv
    /// An array of objects keyed by `outcomes.csv`'s column names, numbers typed.
    case json
}

/// Whose rates a table shows.
public enum Population: String, Sendable, CaseIterable {
    /// Every course with a qualifying baseline.
    case itt
    /// A baseline and a follow-up score.
    case evaluable
    /// Evaluable and finished the series (or responded sooner).
    case completers
}

/// Formats query rows. The CSV and JSON values come from the same formatter
/// as `outcomes.csv`, so a query and a report never disagree.
public enum QueryPrinter {
    public static func render(_ rows: [OutcomeRow], catalog: Catalog, format: QueryFormat,
                              population: Population = .evaluable) -> String {
        render(rows.enumerated().map { Disclosure.none.outcome($1, at: $0) }, catalog: catalog, format: format, population: population)
    }

    /// Rows as a report shows them (with a public pipeline: suppressed).
    public static func render(_ rows: [MaskedOutcomeRow], catalog: Catalog, format: QueryFormat,
                              population: Population = .evaluable) -> String {
        switch format {
        case .csv: return CSVFormat.line(OutcomeFiles.outcomesHeader) + rows.map { CSVFormat.line(OutcomeFiles.fields(of: $0, catalog: catalog)) }.joined()
        case .json: return json(rows, catalog: catalog)
        case .table: return table(rows, catalog: catalog, population: population)
        }
    }

    /// Column names whose values are counts (JSON integers).
    static let integerColumns: Set<String> = ["courses", "no_baseline", "below_threshold", "itt_n", "evaluable_n", "completers_n",
                                              "responders", "remitters", "recovered", "completer_responders",
                                              "completer_remitters", "improved", "deteriorated", "early_responders",
                                              "itt_timed", "n"]
    /// Column names whose values are rates, bounds, means or medians (JSON numbers).
    static let decimalColumns: Set<String> = Set((OutcomeFiles.outcomesHeader + OutcomeFiles.timePointsHeader).filter {
        $0.contains("rate") || $0.contains("_ci_") || $0.hasPrefix("mean_") || $0.hasPrefix("median_")
            || $0.hasPrefix("sd_") || $0.hasPrefix("change_ci") || $0 == "effect_size"
    })

    /// `[{"window": "month", ..., "courses": 3, "response_rate_itt": 0.6667, ...}, ...]`: the CSV's
    /// values as typed JSON (the same digits), empty values as null.
    static func json(_ rows: [MaskedOutcomeRow], catalog: Catalog) -> String {
        json(header: OutcomeFiles.outcomesHeader, records: rows.map { masked in
            (OutcomeFiles.fields(of: masked, catalog: catalog), masked.row.site.label)
        })
    }

    /// Records as JSON objects keyed by a file's column names; `site` carries
    /// the site unguarded (JSON needs no formula guard).
    static func json(header: [String], records: [(fields: [String], site: String)]) -> String {
        let objects = records.map { record -> String in
            let members = zip(header, record.fields).map { name, value -> String in
                let raw = name == "site" ? record.site : value
                let json: String
                if raw.isEmpty && (integerColumns.contains(name) || decimalColumns.contains(name)) {
                    json = "null"
                } else if integerColumns.contains(name) || decimalColumns.contains(name) {
                    json = raw
                } else {
                    json = quoted(raw)
                }
                return "    \(quoted(name)): \(json)"
            }
            return "  {\n" + members.joined(separator: ",\n") + "\n  }"
        }
        return objects.isEmpty ? "[]\n" : "[\n" + objects.joined(separator: ",\n") + "\n]\n"
    }

    /// A JSON string literal.
    static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result + "\""
    }

    /// Time-point rows (`query --timepoints`): exactly `timepoints.csv`'s
    /// columns in CSV and JSON; for a terminal, the mean change with its interval.
    public static func renderTimePoints(_ rows: [TimePointRow], catalog: Catalog, format: QueryFormat) -> String {
        renderTimePoints(rows.enumerated().map { Disclosure.none.timePoint($1, at: $0) }, catalog: catalog, format: format)
    }

    /// Time-point rows as a report shows them.
    public static func renderTimePoints(_ rows: [MaskedTimePointRow], catalog: Catalog, format: QueryFormat) -> String {
        switch format {
        case .csv:
            return CSVFormat.line(OutcomeFiles.timePointsHeader) + rows.map { CSVFormat.line(OutcomeFiles.fields(of: $0, catalog: catalog)) }.joined()
        case .json:
            return json(header: OutcomeFiles.timePointsHeader, records: rows.map { masked in
                (OutcomeFiles.fields(of: masked, catalog: catalog), masked.row.site.label)
            })
        case .table:
            guard !rows.isEmpty else { return "no course with a timed first session matches\n" }
            let header = ["window", "modality", "instrument", "site", "time point", "n of timed", "mean change (95 % CI)", "d_z",
                          "responded"]
            let lines = rows.map { masked -> [String] in
                let row = masked.row
                let change = masked.meanChange.map { mean in
                    NumberFormat.fixed(mean, decimals: 2) + (masked.changeLow.map { " (\(NumberFormat.fixed($0, decimals: 2)) to \(NumberFormat.fixed(masked.changeHigh!, decimals: 2)))" } ?? "")
                } ?? "–"
                return [row.window.kind.rawValue, catalog.modalities[row.modality].id, catalog.instruments[row.instrument].id,
                        row.site.label, catalog.modalities[row.modality].timePoints[row.timePoint].label,
                        "\(masked.n.display) of \(masked.ittTimed.display)", change,
                        masked.effectSize.map { NumberFormat.fixed($0, decimals: 2) } ?? "–", percent(masked.response)]
            }
            return TextTable(header: header, rows: lines, rightAligned: Set(5..<header.count)).text
        }
    }

    /// Aligned columns for a terminal.
    static func table(_ rows: [MaskedOutcomeRow], catalog: Catalog, population: Population) -> String {
        guard !rows.isEmpty else { return "no closed course matches\n" }
        let label = population == .itt ? "ITT" : population.rawValue
        let header = ["window", "period", "modality", "instrument", "site", "courses", "n (\(label))",
                      "responded", "remitted", "mean change"]
        let lines = rows.map { masked -> [String] in
            let row = masked.row
            let (n, response, remission): (CountCell, Proportion?, Proportion?)
            switch population {
            case .itt: (n, response, remission) = (masked.intentionToTreat, masked.responseITT, masked.remissionITT)
            case .evaluable: (n, response, remission) = (masked.evaluable, masked.responseEvaluable, masked.remissionEvaluable)
            case .completers: (n, response, remission) = (masked.completers, masked.responseCompleters, masked.remissionCompleters)
            }
            return [row.window.kind.rawValue, "\(row.window.periodStart)…\(row.window.periodEnd)",
                    catalog.modalities[row.modality].id, catalog.instruments[row.instrument].id,
                    row.site.label, masked.courses.display, n.display, percent(response),
                    row.remitters == nil ? "n/a" : percent(remission),
                    masked.meanChange.map { NumberFormat.fixed($0, decimals: 2) } ?? "–"]
        }
        return TextTable(header: header, rows: lines, rightAligned: Set(5..<header.count)).text
    }

    /// "55.2 % (42.1–67.4)", or "–" when undefined.
    static func percent(_ proportion: Proportion?) -> String {
        guard let proportion else { return "–" }
        return "\(NumberFormat.fixed(proportion.rate * 100, decimals: 1)) % (\(NumberFormat.fixed(proportion.low * 100, decimals: 1))–\(NumberFormat.fixed(proportion.high * 100, decimals: 1)))"
    }
}
