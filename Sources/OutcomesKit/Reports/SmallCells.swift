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
}

/// The count columns of `outcomes.csv` that small-cell suppression may withhold.
enum OutcomeCountColumn: CaseIterable, Hashable {
    case courses, noBaseline, belowThreshold, intentionToTreat, evaluable, completers
    case responders, remitters, recovered, completerResponders, completerRemitters
    case improved, deteriorated, earlyResponders

    func value(in row: OutcomeRow) -> Int? {
        switch self {
        case .courses: return row.courses
        case .noBaseline: return row.noBaseline
        case .belowThreshold: return row.belowThreshold
        case .intentionToTreat: return row.intentionToTreat
        case .evaluable: return row.evaluable
        case .completers: return row.completers
        case .responders: return row.responders
        case .remitters: return row.remitters
        case .recovered: return row.recovered
        case .completerResponders: return row.completerResponders
        case .completerRemitters: return row.completerRemitters
        case .improved: return row.improved
        case .deteriorated: return row.deteriorated
        case .earlyResponders: return row.earlyResponders
        }
    }
}

/// The count columns of `retention.csv`.
enum RetentionCountColumn: CaseIterable, Hashable {
    case evaluable, retained

    func value(in row: RetentionRow) -> Int? {
        switch self {
        case .evaluable: return row.evaluable
        case .retained: return row.retained
        }
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
    public let courses, noBaseline, belowThreshold, intentionToTreat, evaluable, completers: CountCell
    public let responders, remitters, recovered, completerResponders, completerRemitters: CountCell
    public let improved, deteriorated, earlyResponders: CountCell
    public let responseITT, responseEvaluable, responseCompleters: Proportion?
    public let remissionITT, remissionEvaluable, remissionCompleters: Proportion?
    public let meanBaseline, meanEndpoint, meanChange, medianSessionsToResponse: Double?
}

/// A `timepoints.csv` row after small-cell suppression: counts from 1 to
/// `minCell − 1` shown as `<minCell`, and every statistic over a small `n`
/// withheld.
public struct MaskedTimePointRow: Hashable, Sendable {
    public let row: TimePointRow
    public let ittTimed, n, responders, remitters: CountCell
    public let meanBaseline, meanScore, meanChange, sdChange, changeLow, changeHigh, effectSize: Double?
    public let response, remission: Proportion?
}

/// A `retention.csv` row after small-cell suppression.
public struct MaskedRetentionRow: Hashable, Sendable {
    public let row: RetentionRow
    public let evaluable, retained: CountCell
    public let retention: Proportion?
}

/// The cells complementary suppression withholds in a set of `outcomes.csv`
/// rows, worked out once; each row is masked when it is written or shown, so
/// no second copy of every row is held (a store of 150,000 sites has millions).
public struct OutcomeMask: Sendable {
    public let policy: SmallCellPolicy
    /// Row position → count columns withheld besides the small counts.
    let extra: [Int: Set<OutcomeCountColumn>]

    /// The row at `index` of the rows the plan was made from, as it is shown.
    public func masked(_ row: OutcomeRow, at index: Int) -> MaskedOutcomeRow {
        let hidden = extra[index] ?? []
        let policy = self.policy
        func count(_ column: OutcomeCountColumn) -> CountCell {
            hidden.contains(column) ? .suppressed(below: policy.minCell!) : policy.cell(column.value(in: row))
        }
        func share(_ proportion: Proportion?, _ numerator: OutcomeCountColumn, _ denominator: OutcomeCountColumn) -> Proportion? {
            hidden.contains(numerator) || hidden.contains(denominator) ? nil : policy.proportion(proportion)
        }
        let evaluableHidden = hidden.contains(.evaluable) || policy.isSmall(row.evaluable)
        return MaskedOutcomeRow(
            row: row,
            courses: count(.courses), noBaseline: count(.noBaseline), belowThreshold: count(.belowThreshold),
            intentionToTreat: count(.intentionToTreat), evaluable: count(.evaluable), completers: count(.completers),
            responders: count(.responders), remitters: count(.remitters), recovered: count(.recovered),
            completerResponders: count(.completerResponders), completerRemitters: count(.completerRemitters),
            improved: count(.improved), deteriorated: count(.deteriorated), earlyResponders: count(.earlyResponders),
            responseITT: share(row.responseITT, .responders, .intentionToTreat),
            responseEvaluable: share(row.responseEvaluable, .responders, .evaluable),
            responseCompleters: share(row.responseCompleters, .completerResponders, .completers),
            remissionITT: share(row.remissionITT, .remitters, .intentionToTreat),
            remissionEvaluable: share(row.remissionEvaluable, .remitters, .evaluable),
            remissionCompleters: share(row.remissionCompleters, .completerRemitters, .completers),
            meanBaseline: evaluableHidden ? nil : row.meanBaseline,
            meanEndpoint: evaluableHidden ? nil : row.meanEndpoint,
            meanChange: evaluableHidden ? nil : row.meanChange,
            medianSessionsToResponse: hidden.contains(.responders) ? nil
                : policy.statistic(row.medianSessionsToResponse, over: row.responders))
    }
}

extension SmallCellPolicy {
    /// What this policy withholds in `rows` (complementary suppression included).
    public func plan(_ rows: [OutcomeRow]) -> OutcomeMask {
        OutcomeMask(policy: self, extra: complementary(
            rows, group: { OutcomeGroup(window: $0.window.kind, modality: $0.modality, instrument: $0.instrument) },
            site: \.site, columns: OutcomeCountColumn.allCases, value: { $0.value(in: $1) }))
    }

    /// Every row as it is shown.
    public func mask(_ rows: [OutcomeRow]) -> [MaskedOutcomeRow] {
        let mask = plan(rows)
        return rows.enumerated().map { mask.masked($1, at: $0) }
    }

    /// A `timepoints.csv` row as it is shown.
    public func mask(_ row: TimePointRow) -> MaskedTimePointRow {
        let small = isSmall(row.n)
        func statistic(_ value: Double?) -> Double? { small ? nil : value }
        return MaskedTimePointRow(
            row: row, ittTimed: cell(row.ittTimed), n: cell(row.n), responders: cell(row.responders), remitters: cell(row.remitters),
            meanBaseline: statistic(row.meanBaseline), meanScore: statistic(row.meanScore), meanChange: statistic(row.meanChange),
            sdChange: statistic(row.sdChange), changeLow: statistic(row.changeLow), changeHigh: statistic(row.changeHigh),
            effectSize: statistic(row.effectSize), response: proportion(row.response), remission: proportion(row.remission))
    }

    public func mask(_ rows: [RetentionRow]) -> [MaskedRetentionRow] {
        let extra = complementary(rows, group: { RetentionGroup(window: $0.window.kind, modality: $0.modality) }, site: \.site,
                                  columns: RetentionCountColumn.allCases, value: { $0.value(in: $1) })
        return rows.enumerated().map { index, row in
            let hidden = extra[index] ?? []
            return MaskedRetentionRow(
                row: row,
                evaluable: hidden.contains(.evaluable) ? .suppressed(below: minCell!) : cell(row.evaluable),
                retained: hidden.contains(.retained) ? .suppressed(below: minCell!) : cell(row.retained),
                retention: hidden.isEmpty ? proportion(row.retention) : nil)
        }
    }

    private struct OutcomeGroup: Hashable {
        let window: WindowKind
        let modality: Int
        let instrument: Int
    }

    private struct RetentionGroup: Hashable {
        let window: WindowKind
        let modality: Int
    }

    /// Complementary suppression across sites: for each group and count
    /// column, when exactly one site's value is withheld while the all-sites
    /// value is shown, also withhold the smallest other non-zero site value.
    func complementary<Row, Group: Hashable, Column: Hashable>(
        _ rows: [Row], group: (Row) -> Group, site: KeyPath<Row, SiteSelector>,
        columns: [Column], value: (Column, Row) -> Int?
    ) -> [Int: Set<Column>] {
        guard isOn else { return [:] }
        var extra: [Int: Set<Column>] = [:]
        var groups: [Group: [Int]] = [:]
        var order: [Group] = []
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
                guard let totalValue = value(column, rows[total]), !isSmall(totalValue) else { continue }
                let withheld = sites.filter { value(column, rows[$0]).map(isSmall) ?? false }
                guard withheld.count == 1 else { continue }
                let candidates = sites.filter { index in
                    index != withheld[0] && (value(column, rows[index]) ?? 0) > 0
                }
                if let partner = candidates.min(by: { (value(column, rows[$0]) ?? 0, $0) < (value(column, rows[$1]) ?? 0, $1) }) {
                    extra[partner, default: []].insert(column)
                }
            }
        }
        return extra
    }
}
