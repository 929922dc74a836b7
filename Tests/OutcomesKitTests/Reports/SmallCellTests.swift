import Testing
@testable import OutcomesKit

/// Small-cell suppression: what is withheld and why.
@Suite struct SmallCellTests {
    let policy = SmallCellPolicy(minCell: 11)
    let window = ReportWindow(kind: .month, periodStart: day("2026-10-01"), periodEnd: day("2026-10-31"))

    func row(_ site: SiteSelector, courses: Int, itt: Int, completers: Int, responders: Int) -> OutcomeRow {
        OutcomeRow(window: window, modality: 0, instrument: 0, site: site, courses: courses, noBaseline: courses - itt,
                   belowThreshold: 0, intentionToTreat: itt, evaluable: completers, completers: completers, responders: responders,
                   remitters: 0, recovered: 0, completerResponders: responders, completerRemitters: 0,
                   responseITT: wilsonInterval(successes: responders, total: itt),
                   responseEvaluable: wilsonInterval(successes: responders, total: completers),
                   responseCompleters: wilsonInterval(successes: responders, total: completers),
                   remissionITT: wilsonInterval(successes: 0, total: itt),
                   remissionEvaluable: wilsonInterval(successes: 0, total: completers),
                   remissionCompleters: wilsonInterval(successes: 0, total: completers),
                   meanBaseline: 18, meanEndpoint: 9, meanChange: -9, improved: 0, deteriorated: 0, earlyResponders: 0,
                   medianSessionsToResponse: 20)
    }

    @Test func countsOneToTenAreShownAsLessThanEleven() {
        #expect(policy.cell(0) == .value(0))
        #expect(policy.cell(1) == .suppressed(below: 11))
        #expect(policy.cell(10) == .suppressed(below: 11))
        #expect(policy.cell(11) == .value(11))
        #expect(policy.cell(nil) == .notApplicable)
        #expect(policy.cell(5).csv == "<11")
        #expect(SmallCellPolicy.off.cell(5) == .value(5))
    }

    /// The disclosure plan of a report made of these rows alone.
    func plan(_ rows: [OutcomeRow]) -> Disclosure {
        let result = OutcomeResult(month: YearMonth("2026-10")!, cut: day("2026-10-31"), windows: [window], courses: [],
                                   outcomeRows: rows, retentionRows: [], timePointRows: [], summary: CourseSummary())
        return Disclosure.plan(ReportContent(title: "t", pipeline: nil, catalog: .standard, policy: policy, siteBreakdown: true,
                                             result: result, trend: [], files: [], rejectCounts: []))
    }

    func masked(_ rows: [OutcomeRow]) -> [MaskedOutcomeRow] {
        let disclosure = plan(rows)
        return rows.enumerated().map { disclosure.outcome($1, at: $0) }
    }

    @Test func aRateIsShownOnlyBesideItsCounts() {
        let shown = masked([row(.allSites, courses: 30, itt: 30, completers: 30, responders: 12)])[0]
        #expect(shown.responseEvaluable != nil && shown.evaluable == .value(30) && shown.responders == .value(12))
        // 25 of 30 responded: the 5 who did not are a small group, so a count goes with the rate.
        let hidden = masked([row(.allSites, courses: 30, itt: 30, completers: 30, responders: 25)])[0]
        #expect(hidden.responseEvaluable == nil)
        #expect(hidden.responders.shownValue == nil || hidden.evaluable.shownValue == nil, "30 − 25 = 5 non-responders")
    }

    @Test func meansAndMediansOfSmallGroupsAreWithheld() {
        let shown = masked([row(.allSites, courses: 20, itt: 15, completers: 9, responders: 4)])[0]
        #expect(shown.meanBaseline == nil && shown.meanChange == nil)
        #expect(shown.medianSessionsToResponse == nil)
        #expect(shown.completers == .suppressed(below: 11))
    }

    @Test func aLoneWithheldSiteTakesAnotherWithIt() {
        let rows = [row(.allSites, courses: 50, itt: 50, completers: 50, responders: 0),
                    row(.site("A"), courses: 5, itt: 5, completers: 5, responders: 0),
                    row(.site("B"), courses: 15, itt: 15, completers: 15, responders: 0),
                    row(.site("C"), courses: 30, itt: 30, completers: 30, responders: 0)]
        let shown = masked(rows)
        #expect(shown[1].courses == .suppressed(below: 11))
        #expect(shown[2].courses == .withheld, "otherwise 50 − 15 − 30 would give A's 5; B is the smaller partner")
        #expect(shown[3].courses == .value(30))
        #expect(shown[0].courses == .value(50), "a site row goes before the all-sites row")
        #expect(plan(rows).exposed.isEmpty)
    }

    @Test func theInternalReportIsUnchanged() {
        let rows = [row(.allSites, courses: 5, itt: 4, completers: 3, responders: 1)]
        let shown = Disclosure.none.outcome(rows[0], at: 0)
        #expect(shown.courses == .value(5) && shown.responseCompleters == rows[0].responseCompleters)
        #expect(shown.meanChange == -9)
    }
}
