import Logging

/// What one report shows of each figure, decided once for every file and
/// sentence: with a small-cell policy on, the plan of `ComplementarySuppression`
/// over the report's `ReportFigures`; with it off, everything as it is.
///
/// A figure beside counts (a rate, its interval, a mean, a median) is shown
/// only when every count it is computed from is shown, so it never tells
/// more than the counts.
public struct Disclosure: Sendable {
    public let policy: SmallCellPolicy
    /// Nil when the policy is off: nothing is withheld.
    let figures: ReportFigures?
    let withholding: [Withholding]
    /// Protected counts a reader could still narrow to fewer than 3 values:
    /// empty, unless complementary suppression is off (in tests) or could not
    /// protect one.
    let exposed: [DisclosureLedger.Cell]

    /// The internal report's: every figure as it is.
    public static let none = Disclosure(policy: .off, figures: nil, withholding: [], exposed: [])

    /// The plan for a report's content under its policy.
    public static func plan(_ content: ReportContent) -> Disclosure { plan(content, complementary: true) }

    static func plan(_ content: ReportContent, complementary: Bool) -> Disclosure {
        guard let minCell = content.policy.minCell else { return .none }
        let figures = ReportFigures(content)
        let broken = figures.ledger.brokenIdentities()
        if !broken.isEmpty {
            // A wrong identity would protect the wrong cells: say so (tests fail on it).
            Logger(label: "outcomes.disclosure").error("\(broken.count) disclosure identities do not hold for this data")
            assertionFailure("disclosure identities broken: \(broken.prefix(5))")
        }
        let (withholding, exposed) = ComplementarySuppression(ledger: figures.ledger, minCell: minCell,
                                                              complementary: complementary).plan()
        let logger = Logger(label: "outcomes.disclosure")
        let (small, complementary) = Self.withheldCounts(figures, withholding)
        logger.debug("small-cell suppression: \(small) counts shown as <\(minCell), \(complementary) more withheld to protect them")
        if !exposed.isEmpty {
            logger.error("small-cell suppression could not protect \(exposed.count) counts; they are shown withheld but may be worked out")
        }
        return Disclosure(policy: content.policy, figures: figures, withholding: withholding, exposed: exposed)
    }

    /// How many printed counts are withheld, by reason.
    var withheldCounts: (small: Int, complementary: Int) {
        figures.map { Self.withheldCounts($0, withholding) } ?? (0, 0)
    }

    private static func withheldCounts(_ figures: ReportFigures, _ withholding: [Withholding]) -> (small: Int, complementary: Int) {
        var small = 0, complementary = 0
        for (cell, reason) in withholding.enumerated() where figures.ledger.isShown[cell] {
            if reason == .small { small += 1 } else if reason == .complementary { complementary += 1 }
        }
        return (small, complementary)
    }

    /// A cell as shown; `value` is the figure when nothing is withheld.
    func count(_ cell: DisclosureLedger.Cell?, value: Int?) -> CountCell {
        guard let value else { return .notApplicable }
        guard let figures else { return .value(value) }
        // A figure the ledger does not know is at least never shown when small.
        guard let cell else { return policy.cell(value) }
        switch withholding[cell] {
        case .none: return .value(figures.ledger.values[cell])
        case .small: return .suppressed(below: policy.minCell!)
        case .complementary: return .withheld
        }
    }

    /// A proportion, shown when its numerator and denominator are.
    static func share(_ proportion: Proportion?, _ numerator: CountCell, _ denominator: CountCell) -> Proportion? {
        numerator.shownValue != nil && denominator.shownValue != nil ? proportion : nil
    }

    // MARK: Rows of the CSV files

    /// Row `index` of `outcomes.csv` as it is shown.
    public func outcome(_ row: OutcomeRow, at index: Int) -> MaskedOutcomeRow {
        let cells = figures?.outcome[index]
        func count(_ column: OutcomeCountColumn, _ value: Int?) -> CountCell {
            self.count(cells?[column.rawValue] ?? nil, value: value)
        }
        let evaluable = count(.evaluable, row.evaluable), itt = count(.intentionToTreat, row.intentionToTreat)
        let completers = count(.completers, row.completers), responders = count(.responders, row.responders)
        let remitters = count(.remitters, row.remitters), completerRemitters = count(.completerRemitters, row.completerRemitters)
        let completerResponders = count(.completerResponders, row.completerResponders)
        let meansShown = evaluable.shownValue != nil
        return MaskedOutcomeRow(
            row: row,
            courses: count(.courses, row.courses), noBaseline: count(.noBaseline, row.noBaseline),
            belowThreshold: count(.belowThreshold, row.belowThreshold), intentionToTreat: itt, evaluable: evaluable,
            completers: completers, responders: responders, remitters: remitters, recovered: count(.recovered, row.recovered),
            completerResponders: completerResponders, completerRemitters: completerRemitters,
            improved: count(.improved, row.improved), deteriorated: count(.deteriorated, row.deteriorated),
            earlyResponders: count(.earlyResponders, row.earlyResponders),
            responseITT: Self.share(row.responseITT, responders, itt),
            responseEvaluable: Self.share(row.responseEvaluable, responders, evaluable),
            responseCompleters: Self.share(row.responseCompleters, completerResponders, completers),
            remissionITT: Self.share(row.remissionITT, remitters, itt),
            remissionEvaluable: Self.share(row.remissionEvaluable, remitters, evaluable),
            remissionCompleters: Self.share(row.remissionCompleters, completerRemitters, completers),
            meanBaseline: meansShown ? row.meanBaseline : nil, meanEndpoint: meansShown ? row.meanEndpoint : nil,
            meanChange: meansShown ? row.meanChange : nil,
            medianSessionsToResponse: responders.shownValue != nil ? row.medianSessionsToResponse : nil)
    }

    /// Row `index` of `retention.csv` as it is shown.
    public func retention(_ row: RetentionRow, at index: Int) -> MaskedRetentionRow {
        let cells = figures?.retention[index]
        let evaluable = count(cells?.evaluable, value: row.evaluable), retained = count(cells?.retained, value: row.retained)
        return MaskedRetentionRow(row: row, evaluable: evaluable, retained: retained,
                                  retention: Self.share(row.retention, retained, evaluable))
    }

    /// Row `index` of `timepoints.csv` as it is shown: its statistics only when `n` is.
    public func timePoint(_ row: TimePointRow, at index: Int) -> MaskedTimePointRow {
        let cells = figures?.timePoint[index]
        let n = count(cells?.n, value: row.n), responders = count(cells?.responders, value: row.responders)
        let remitters = count(cells?.remitters, value: row.remitters)
        let shown = n.shownValue != nil
        func statistic(_ value: Double?) -> Double? { shown ? value : nil }
        return MaskedTimePointRow(
            row: row, ittTimed: count(cells?.ittTimed, value: row.ittTimed), n: n, responders: responders, remitters: remitters,
            meanBaseline: statistic(row.meanBaseline), meanScore: statistic(row.meanScore), meanChange: statistic(row.meanChange),
            sdChange: statistic(row.sdChange), changeLow: statistic(row.changeLow), changeHigh: statistic(row.changeHigh),
            effectSize: statistic(row.effectSize), response: Self.share(row.response, responders, n),
            remission: Self.share(row.remission, remitters, n))
    }

    // MARK: dropout.csv and by_sessions.csv

    /// Row `index` of the dropout view: courses that reached each session.
    public func dropout(_ row: DropoutRow, at index: Int) -> [CountCell] {
        row.reached.indices.map { k in count(figures?.dropout[index][k], value: row.reached[k]) }
    }

    /// Row `index` of the outcomes-by-sessions view; rates only beside shown counts.
    public func sessionsBin(_ row: SessionsBinRow, at index: Int)
        -> (evaluable: CountCell, responders: CountCell, remitters: CountCell, response: Proportion?, remission: Proportion?) {
        let cells = figures?.bySessions[index]
        let evaluable = count(cells?.evaluable, value: row.evaluable), responders = count(cells?.responders, value: row.responders)
        let remitters = count(cells?.remitters ?? nil, value: row.remitters)
        return (evaluable, responders, remitters, Self.share(row.response, responders, evaluable),
                Self.share(row.remission, remitters, evaluable))
    }

    // MARK: The Markdown's own figures

    /// A trend point's evaluable courses and response on a modality's main
    /// scale (`index` among the points shown, oldest first).
    func trendPoint(modality: Int, index: Int, evaluable: Int, responders: Int) -> (evaluable: CountCell, response: Proportion?) {
        let cells = figures?.trend[modality]?[index]
        let shownEvaluable = count(cells?.evaluable, value: evaluable), shownResponders = count(cells?.responders, value: responders)
        return (shownEvaluable, Self.share(wilsonInterval(successes: responders, total: evaluable), shownResponders, shownEvaluable))
    }

    /// A modality's item-9 counts (nil: the total row), in `ItemNineCount` order.
    func itemNine(modality: Int?, _ summary: ItemNineSummary) -> [CountCell] {
        let cells = modality.map { figures?.itemNine[$0] } ?? figures?.itemNineTotal
        return ItemNineCount.allCases.enumerated().map { column, count in
            self.count(cells?[column], value: count.value(in: summary))
        }
    }

    /// ITT courses without a follow-up score, for row `index` of `outcomes.csv`.
    func noFollowup(_ row: OutcomeRow, at index: Int) -> CountCell {
        count(figures?.noFollowup[index], value: row.intentionToTreat - row.evaluable)
    }

    /// Rejected rows of one reason (`RejectReason.allCases` position).
    func rejected(reason index: Int, count value: Int) -> CountCell { count(figures?.rejects[index], value: value) }

    /// The ingest totals the quality section prints.
    func ingestTotals(records: Int, loaded: Int, duplicates: Int, rejected: Int) -> (records: CountCell, loaded: CountCell, duplicates: CountCell, rejected: CountCell) {
        (count(figures?.records, value: records), count(figures?.loaded, value: loaded),
         count(figures?.duplicates, value: duplicates), count(figures?.rejectedTotal, value: rejected))
    }

    /// Closed courses in the store.
    func closedCourses(_ value: Int) -> CountCell { count(figures?.closedCourses, value: value) }

    /// Evaluable courses with a timed first session, for the rapid-response chart.
    func endpointTimed(modality: Int, _ value: Int) -> CountCell { count(figures?.endpointTimed[modality], value: value) }
}

// MARK: survival.csv

extension Disclosure {
    /// The steps of a survival curve a report publishes. Without a small-cell
    /// policy: every event or censoring time, and the curve's fixed days.
    /// With one, only the fixed days, and the curve stops at the first day
    /// where any count it rests on could be small: fewer than `minCell` at
    /// risk, or events or censorings since the day before (or on the day)
    /// numbering 1 to `minCell − 1`. It is not published at all unless the
    /// number it starts from (ITT courses, or responders for durability) is
    /// shown, since a curve gives that number back (S = 1 − events / n).
    /// Each count it does print is then 0 or at least `minCell`, and no
    /// count withheld elsewhere can be recovered from it.
    public func publishedSteps(of curve: SurvivalCurve, start: CountCell) -> [SurvivalStep] {
        let fixed = curve.kind.fixedDays.compactMap { curve.curve.at($0) }
        guard let minCell = policy.minCell else {
            var steps = curve.curve.steps
            for step in fixed where !steps.contains(where: { $0.time == step.time }) { steps.append(step) }
            return steps.sorted { $0.time < $1.time }
        }
        guard start.shownValue != nil else { return [] }
        func allowed(_ count: Int) -> Bool { count == 0 || count >= minCell }
        var published: [SurvivalStep] = [], previous = 0
        for step in fixed {
            let between = curve.curve.steps.filter { $0.time >= previous && $0.time < step.time }
            let events = between.reduce(0) { $0 + $1.events }, censored = between.reduce(0) { $0 + $1.censored }
            guard step.atRisk >= minCell, allowed(events), allowed(censored), allowed(step.events), allowed(step.censored) else { break }
            published.append(step)
            previous = step.time
        }
        return published
    }
}
