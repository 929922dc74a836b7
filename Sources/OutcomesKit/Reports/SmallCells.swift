/// A count as a report shows it.
public enum CountCell: Hashable, Sendable {
    case value(Int)
    /// A count from 1 to `minCell − 1`, shown as `<minCell`.
    case suppressed(below: Int)
    /// The instrument has no such rule (remitters without a remission rule).
    case notApplicable

    /// As written in a CSV field.
    public var csv: String {
        switch self {
        case .value(let value): return String(value)
        case .suppressed(let below): return "<\(below)"
        case .notApplicable: return ""
        }
    }

    public var number: Int? {
        if case .value(let value) = self { return value }
        return nil
    }
}

/// Small-cell suppression for reports shared outside the practice: counts
/// from 1 to `minCell − 1` are shown as `<minCell`, and every figure that
/// would reveal one is withheld:
/// - a rate or interval when its numerator, its denominator or their
///   difference is small;
/// - a mean when its number of completers is small, the median when its
///   number of responders is;
/// - across sites, when exactly one site's count is withheld, the next
///   smallest site count too, so the all-sites row minus the shown sites
///   cannot give it away.
/// Zero is shown: it describes nobody.
public struct SmallCellPolicy: Sendable, Equatable {
    /// Nil: no suppression (the internal report).
    public let minCell: Int?

    public init(minCell: Int?) { self.minCell = minCell.flatMap { $0 > 1 ? $0 : nil } }

    public static let off = SmallCellPolicy(minCell: nil)

    public var isOn: Bool { minCell != nil }

    /// Whether a count is small enough to withhold (1 … minCell − 1).
    public func isSmall(_ count: Int) -> Bool {
        guard let minCell else { return false }
        return count >= 1 && count < minCell
    }

    public func cell(_ count: Int?) -> CountCell {
        guard let count else { return .notApplicable }
        return isSmall(count) ? .suppressed(below: minCell!) : .value(count)
    }

    /// A proportion, or nil when it would reveal a small count.
    public func proportion(_ proportion: Proportion?) -> Proportion? {
        guard let proportion else { return nil }
        let x = proportion.successes, n = proportion.total
        return isSmall(x) || isSmall(n) || isSmall(n - x) ? nil : proportion
    }

    /// A statistic over `count` people, or nil when that count is small.
    public func statistic(_ value: Double?, over count: Int) -> Double? {
        isSmall(count) ? nil : value
    }
}

/// An `outcomes.csv` row after small-cell suppression (identical to the row
/// when the policy is off).
public struct MaskedOutcomeRow: Hashable, Sendable {
    public let row: OutcomeRow
    public let courses, noBaseline, belowThreshold, intentionToTreat, completers: CountCell
    public let responders, remitters, improved, deteriorated, earlyResponders: CountCell
    public let responseITT, responseCompleters, remissionITT, remissionCompleters: Proportion?
    public let meanBaseline, meanEndpoint, meanChange, medianSessionsToResponse: Double?
}

/// A `retention.csv` row after small-cell suppression.
public struct MaskedRetentionRow: Hashable, Sendable {
    public let row: RetentionRow
    public let evaluable, retained: CountCell
    public let retention: Proportion?
}

extension SmallCellPolicy {
    /// Names of the count columns of `outcomes.csv`, for complementary suppression.
    static let outcomeCountColumns: [(name: String, value: @Sendable (OutcomeRow) -> Int?)] = [
        ("courses", { $0.courses }), ("no_baseline", { $0.noBaseline }), ("below_threshold", { $0.belowThreshold }),
        ("itt_n", { $0.intentionToTreat }), ("completers_n", { $0.completers }), ("responders", { $0.responders }),
        ("remitters", { $0.remitters }), ("improved", { $0.improved }), ("deteriorated", { $0.deteriorated }),
        ("early_responders", { $0.earlyResponders }),
    ]

    public func mask(_ rows: [OutcomeRow]) -> [MaskedOutcomeRow] {
        let extra = complementary(rows, group: { "\($0.window.kind)|\($0.modality)|\($0.instrument)" }, site: \.site,
                                  columns: SmallCellPolicy.outcomeCountColumns)
        return rows.enumerated().map { index, row in
            let hidden = extra[index] ?? []
            func count(_ name: String, _ value: Int?) -> CountCell {
                hidden.contains(name) ? .suppressed(below: minCell!) : cell(value)
            }
            func share(_ proportion: Proportion?, _ numerator: String, _ denominator: String) -> Proportion? {
                hidden.contains(numerator) || hidden.contains(denominator) ? nil : self.proportion(proportion)
            }
            let completersHidden = hidden.contains("completers_n") || isSmall(row.completers)
            return MaskedOutcomeRow(
                row: row,
                courses: count("courses", row.courses), noBaseline: count("no_baseline", row.noBaseline),
                belowThreshold: count("below_threshold", row.belowThreshold),
                intentionToTreat: count("itt_n", row.intentionToTreat), completers: count("completers_n", row.completers),
                responders: count("responders", row.responders), remitters: count("remitters", row.remitters),
                improved: count("improved", row.improved), deteriorated: count("deteriorated", row.deteriorated),
                earlyResponders: count("early_responders", row.earlyResponders),
                responseITT: share(row.responseITT, "responders", "itt_n"),
                responseCompleters: share(row.responseCompleters, "responders", "completers_n"),
                remissionITT: share(row.remissionITT, "remitters", "itt_n"),
                remissionCompleters: share(row.remissionCompleters, "remitters", "completers_n"),
                meanBaseline: completersHidden ? nil : row.meanBaseline,
                meanEndpoint: completersHidden ? nil : row.meanEndpoint,
                meanChange: completersHidden ? nil : row.meanChange,
                medianSessionsToResponse: hidden.contains("responders") ? nil
                    : statistic(row.medianSessionsToResponse, over: row.responders))
        }
    }

    public func mask(_ rows: [RetentionRow]) -> [MaskedRetentionRow] {
        let columns: [(name: String, value: @Sendable (RetentionRow) -> Int?)] = [("evaluable", { $0.evaluable }), ("retained", { $0.retained })]
        let extra = complementary(rows, group: { "\($0.window.kind)|\($0.modality)" }, site: \.site, columns: columns)
        return rows.enumerated().map { index, row in
            let hidden = extra[index] ?? []
            return MaskedRetentionRow(
                row: row,
                evaluable: hidden.contains("evaluable") ? .suppressed(below: minCell!) : cell(row.evaluable),
                retained: hidden.contains("retained") ? .suppressed(below: minCell!) : cell(row.retained),
                retention: hidden.isEmpty ? proportion(row.retention) : nil)
        }
    }

    /// Complementary suppression across sites: for each group and count
    /// column, when exactly one site's value is withheld while the all-sites
    /// value is shown, also withhold the smallest other non-zero site value.
    func complementary<Row>(_ rows: [Row], group: (Row) -> String, site: KeyPath<Row, SiteSelector>,
                            columns: [(name: String, value: @Sendable (Row) -> Int?)]) -> [Int: Set<String>] {
        guard isOn else { return [:] }
        var extra: [Int: Set<String>] = [:]
        var groups: [String: [Int]] = [:]
        var order: [String] = []
        for (index, row) in rows.enumerated() {
            let key = group(row)
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(index)
        }
        for key in order {
            let members = groups[key]!
            guard let total = members.first(where: { rows[$0][keyPath: site] == .allSites }) else { continue }
            let sites = members.filter { $0 != total }
            for column in columns {
                guard let totalValue = column.value(rows[total]), !isSmall(totalValue) else { continue }
                let withheld = sites.filter { column.value(rows[$0]).map(isSmall) ?? false }
                guard withheld.count == 1 else { continue }
                let candidates = sites.filter { index in
                    index != withheld[0] && (column.value(rows[index]) ?? 0) > 0
                }
                if let partner = candidates.min(by: { (column.value(rows[$0]) ?? 0, $0) < (column.value(rows[$1]) ?? 0, $1) }) {
                    extra[partner, default: []].insert(column.name)
                }
            }
        }
        return extra
    }
}
