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

    @Test func ratesThatWouldRevealASmallCountAreWithheld() {
        #expect(policy.proportion(wilsonInterval(successes: 12, total: 30)) != nil)
        #expect(policy.proportion(wilsonInterval(successes: 5, total: 30)) == nil, "numerator small")
        #expect(policy.proportion(wilsonInterval(successes: 25, total: 30)) == nil, "30 − 25 = 5 non-responders")
        #expect(policy.proportion(wilsonInterval(successes: 0, total: 30)) != nil, "zero reveals nobody")
        #expect(policy.proportion(wilsonInterval(successes: 0, total: 7)) == nil, "denominator small")
    }

    @Test func meansAndMediansOfSmallGroupsAreWithheld() {
        let masked = policy.mask([row(.allSites, courses: 20, itt: 15, completers: 9, responders: 4)])[0]
        #expect(masked.meanBaseline == nil && masked.meanChange == nil)
        #expect(masked.medianSessionsToResponse == nil)
        #expect(masked.courses == .value(20))
        #expect(masked.completers == .suppressed(below: 11))
    }

    @Test func aLoneWithheldSiteTakesTheNextSmallestWithIt() {
        let rows = [row(.allSites, courses: 50, itt: 40, completers: 40, responders: 20),
                    row(.site("A"), courses: 5, itt: 5, completers: 5, responders: 2),
                    row(.site("B"), courses: 15, itt: 12, completers: 12, responders: 6),
                    row(.site("C"), courses: 30, itt: 23, completers: 23, responders: 12)]
        let masked = policy.mask(rows)
        #expect(masked[1].courses == .suppressed(below: 11))
        #expect(masked[2].courses == .suppressed(below: 11), "otherwise 50 − 15 − 30 would give A's 5")
        #expect(masked[3].courses == .value(30))
        #expect(masked[0].courses == .value(50))
    }

    @Test func theInternalReportIsUnchanged() {
        let rows = [row(.allSites, courses: 5, itt: 4, completers: 3, responders: 1)]
        let masked = SmallCellPolicy.off.mask(rows)[0]
        #expect(masked.courses == .value(5) && masked.responseCompleters == rows[0].responseCompleters)
        #expect(masked.meanChange == -9)
    }
}
