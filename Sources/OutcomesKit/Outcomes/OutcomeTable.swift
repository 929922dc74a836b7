/// A row's site: all sites together (`*`) or one stored site value.
public enum SiteSelector: Hashable, Sendable, Codable {
    case allSites
    case site(String)

    /// As written in the CSV files: `*` for all sites.
    public var label: String {
        switch self {
        case .allSites: return "*"
        case .site(let name): return name
        }
    }
}

/// One row of `outcomes.csv` (DATA-CONTRACT §8).
public struct OutcomeRow: Hashable, Sendable, Codable {
    public let window: ReportWindow
    /// Position of the modality in `Catalog.modalities`.
    public let modality: Int
    /// Position of the instrument in `Catalog.instruments`.
    public let instrument: Int
    public let site: SiteSelector
    /// Closed courses in the window, whatever their status.
    public let courses: Int
    public let noBaseline: Int
    public let belowThreshold: Int
    /// ITT: `no_followup` + `evaluated`.
    public let intentionToTreat: Int
    /// Evaluable: `evaluated` (a baseline and a follow-up score).
    public let evaluable: Int
    /// Completers: evaluable and finished the protocol, or responded before.
    public let completers: Int
    /// Evaluable courses that responded.
    public let responders: Int
    /// Evaluable courses that remitted; nil when the instrument has no remission rule.
    public let remitters: Int?
    /// Evaluable courses remitted and reliably improved; nil when the instrument lacks either rule.
    public let recovered: Int?
    /// Completers that responded.
    public let completerResponders: Int
    /// Completers that remitted; nil without a remission rule.
    public let completerRemitters: Int?
    public let responseITT: Proportion?
    public let responseEvaluable: Proportion?
    public let responseCompleters: Proportion?
    public let remissionITT: Proportion?
    public let remissionEvaluable: Proportion?
    public let remissionCompleters: Proportion?
    /// Means over evaluable courses.
    public let meanBaseline: Double?
    public let meanEndpoint: Double?
    /// Mean of endpoint − baseline over evaluable courses.
    public let meanChange: Double?
    /// Nil when the instrument has no reliable-change value.
    public let improved: Int?
    public let deteriorated: Int?
    /// ITT courses with an early response.
    public let earlyResponders: Int
    /// Over the evaluable responders.
    public let medianSessionsToResponse: Double?
}

/// Running totals for one (window, modality, instrument, site) cell.
struct OutcomeTally {
    var courses = 0
    var noBaseline = 0
    var belowThreshold = 0
    var intentionToTreat = 0
    var evaluable = 0
    var completers = 0
    var responders = 0
    var remitters = 0
    var recovered = 0
    var completerResponders = 0
    var completerRemitters = 0
    var improved = 0
    var deteriorated = 0
    var earlyResponders = 0
    var baselineSum = 0
    var endpointSum = 0
    var sessionsToResponse: [Int] = []

    mutating func add(_ outcome: InstrumentOutcome) {
        courses += 1
        switch outcome.status {
        case .noBaseline: noBaseline += 1
        case .belowThreshold: belowThreshold += 1
        case .noFollowup, .evaluated: break
        }
        guard outcome.status.isIntentionToTreat else { return }
        intentionToTreat += 1
        if outcome.isEarlyResponder { earlyResponders += 1 }
        guard outcome.status.isEvaluable, let baseline = outcome.baseline, let endpoint = outcome.endpoint else { return }
        evaluable += 1
        baselineSum += Int(baseline.score)
        endpointSum += Int(endpoint.score)
        if outcome.isResponder { responders += 1 }
        if outcome.isRemitter == true { remitters += 1 }
        if outcome.isRecovered == true { recovered += 1 }
        if outcome.isReliablyImproved == true { improved += 1 }
        if outcome.isReliablyDeteriorated == true { deteriorated += 1 }
        if let sessions = outcome.sessionsToResponse { sessionsToResponse.append(sessions) }
        guard outcome.isCompleter else { return }
        completers += 1
        if outcome.isResponder { completerResponders += 1 }
        if outcome.isRemitter == true { completerRemitters += 1 }
    }

    func row(window: ReportWindow, modality: Int, instrument: Int, catalog: Catalog, site: SiteSelector) -> OutcomeRow {
        let rules = catalog.instruments[instrument]
        let hasRemission = rules.remission != nil
        let hasReliableChange = rules.reliableChange != nil
        func mean(_ sum: Int) -> Double? { evaluable > 0 ? Double(sum) / Double(evaluable) : nil }
        func remission(_ count: Int, of total: Int) -> Proportion? {
            hasRemission ? wilsonInterval(successes: count, total: total) : nil
        }
        return OutcomeRow(
            window: window, modality: modality, instrument: instrument, site: site,
            courses: courses, noBaseline: noBaseline, belowThreshold: belowThreshold,
            intentionToTreat: intentionToTreat, evaluable: evaluable, completers: completers,
            responders: responders, remitters: hasRemission ? remitters : nil,
            recovered: hasRemission && hasReliableChange ? recovered : nil,
            completerResponders: completerResponders, completerRemitters: hasRemission ? completerRemitters : nil,
            responseITT: wilsonInterval(successes: responders, total: intentionToTreat),
            responseEvaluable: wilsonInterval(successes: responders, total: evaluable),
            responseCompleters: wilsonInterval(successes: completerResponders, total: completers),
            remissionITT: remission(remitters, of: intentionToTreat),
            remissionEvaluable: remission(remitters, of: evaluable),
            remissionCompleters: remission(completerRemitters, of: completers),
            meanBaseline: mean(baselineSum), meanEndpoint: mean(endpointSum),
            meanChange: mean(endpointSum - baselineSum),
            improved: hasReliableChange ? improved : nil,
            deteriorated: hasReliableChange ? deteriorated : nil,
            earlyResponders: earlyResponders,
            medianSessionsToResponse: median(sessionsToResponse))
    }
}

/// The median of `values`: the mean of the middle two when their count is even.
public func median(_ values: [Int]) -> Double? {
    guard !values.isEmpty else { return nil }
    let sorted = values.sorted()
    let middle = sorted.count / 2
    if sorted.count % 2 == 1 { return Double(sorted[middle]) }
    return (Double(sorted[middle - 1]) + Double(sorted[middle])) / 2
}
