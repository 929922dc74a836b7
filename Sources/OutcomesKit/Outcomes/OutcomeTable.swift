/// A row's site: all sites together (`*`) or one stored site value.
public enum SiteSelector: Hashable, Sendable {
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
public struct OutcomeRow: Hashable, Sendable {
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
    public let intentionToTreat: Int
    public let completers: Int
    public let responders: Int
    /// Nil when the instrument has no remission rule.
    public let remitters: Int?
    public let responseITT: Proportion?
    public let responseCompleters: Proportion?
    public let remissionITT: Proportion?
    public let remissionCompleters: Proportion?
    public let meanBaseline: Double?
    public let meanEndpoint: Double?
    /// Mean of endpoint − baseline over completers.
    public let meanChange: Double?
    /// Nil when the instrument has no reliable-change value.
    public let improved: Int?
    public let deteriorated: Int?
    public let earlyResponders: Int
    public let medianSessionsToResponse: Double?
}

/// Running totals for one (window, modality, instrument, site) cell.
struct OutcomeTally {
    var courses = 0
    var noBaseline = 0
    var belowThreshold = 0
    var intentionToTreat = 0
    var completers = 0
    var responders = 0
    var remitters = 0
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
        guard outcome.status.isCompleter, let baseline = outcome.baseline, let endpoint = outcome.endpoint else { return }
        completers += 1
        baselineSum += Int(baseline.score)
        endpointSum += Int(endpoint.score)
        if outcome.isResponder { responders += 1 }
        if outcome.isRemitter == true { remitters += 1 }
        if outcome.isReliablyImproved == true { improved += 1 }
        if outcome.isReliablyDeteriorated == true { deteriorated += 1 }
        if let sessions = outcome.sessionsToResponse { sessionsToResponse.append(sessions) }
    }

    func row(window: ReportWindow, modality: Int, instrument: Int, catalog: Catalog, site: SiteSelector) -> OutcomeRow {
        let instrument = (index: instrument, rules: catalog.instruments[instrument])
        let hasRemission = instrument.rules.remission != nil
        let hasReliableChange = instrument.rules.reliableChange != nil
        func mean(_ sum: Int) -> Double? { completers > 0 ? Double(sum) / Double(completers) : nil }
        return OutcomeRow(
            window: window, modality: modality, instrument: instrument.index, site: site,
            courses: courses, noBaseline: noBaseline, belowThreshold: belowThreshold,
            intentionToTreat: intentionToTreat, completers: completers,
            responders: responders, remitters: hasRemission ? remitters : nil,
            responseITT: wilsonInterval(successes: responders, total: intentionToTreat),
            responseCompleters: wilsonInterval(successes: responders, total: completers),
            remissionITT: hasRemission ? wilsonInterval(successes: remitters, total: intentionToTreat) : nil,
            remissionCompleters: hasRemission ? wilsonInterval(successes: remitters, total: completers) : nil,
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
