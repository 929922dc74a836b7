/// A count as a report shows it.
public enum CountCell: Hashable, Sendable {
    case value(Int)
    /// A count from 1 to `minCell − 1`, shown as `<minCell`.
    case suppressed(below: Int)
    /// Withheld so that a small count elsewhere cannot be worked out
    /// (complementary suppression): `minCell` or more.
    case withheld
    /// The instrument has no such rule (remitters without a remission rule).
    case notApplicable

    /// As written in a CSV field: a withheld count is empty, like a figure
    /// that does not apply.
    public var csv: String {
        switch self {
        case .value(let value): return String(value)
        case .suppressed(let below): return "<\(below)"
        case .withheld, .notApplicable: return ""
        }
    }

    /// As a person reads it (a chart's label): the number, `<11`, `x` or `n/a`.
    public var display: String {
        switch self {
        case .value(let value): return String(value)
        case .suppressed(let below): return "<\(below)"
        case .withheld: return "x"
        case .notApplicable: return "n/a"
        }
    }

    /// The count, when it is shown.
    public var shownValue: Int? {
        if case .value(let value) = self { return value }
        return nil
    }
}

/// The count columns of `outcomes.csv`, in the file's order.
enum OutcomeCountColumn: Int, CaseIterable, Hashable {
    case courses, noBaseline, belowThreshold, intentionToTreat, evaluable, completers
    case responders, remitters, recovered, completerResponders, completerRemitters
    case improved, deteriorated, earlyResponders
}

/// Small-cell suppression for reports shared outside the practice: counts
/// from 1 to `minCell − 1` are shown as `<minCell` (primary suppression),
/// and further counts are withheld until none of them, nor any small group
/// the report implies (the non-responders beside a rate), can be narrowed
/// to fewer than 3 values from what is printed (complementary suppression;
/// see `Disclosure`). Zero is shown: it describes nobody.
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

    /// A count with primary suppression only (for counts that describe rows, not people).
    public func cell(_ count: Int?) -> CountCell {
        guard let count else { return .notApplicable }
        return isSmall(count) ? .suppressed(below: minCell!) : .value(count)
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

