import Testing
@testable import OutcomesKit

/// DATA-CONTRACT §3: response, remission and reliable change in integer arithmetic.
@Suite struct InstrumentRulesTests {
    func instrument(_ id: String) -> Instrument { Catalog.standard.instrument(named: id)! }

    @Test func percentRuleIncludesExactlyHalf() {
        let phq9 = instrument("phq9")
        #expect(phq9.meetsResponse(baseline: 16, endpoint: 8))
        #expect(!phq9.meetsResponse(baseline: 16, endpoint: 9))
        #expect(!phq9.meetsResponse(baseline: 17, endpoint: 9), "8/17 is 47 %")
    }

    @Test func bprsPercentRuleMeasuresFromTheFloorOf18() {
        let bprs = instrument("bprs")
        // 40 % of (60 − 18) = 16.8 points: 43 responds, 44 does not.
        #expect(bprs.meetsResponse(baseline: 60, endpoint: 43))
        #expect(!bprs.meetsResponse(baseline: 60, endpoint: 44))
        // Measured from 0, 43 would need a 24-point fall; the floor rule is what makes it a response.
        #expect(bprs.meetsResponse(baseline: 60, endpoint: 35), "L1 of the conformance case")
    }

    @Test func pcl5PointsRuleNeedsTenPoints() {
        let pcl5 = instrument("pcl5")
        #expect(pcl5.meetsResponse(baseline: 50, endpoint: 40))
        #expect(!pcl5.meetsResponse(baseline: 50, endpoint: 41))
    }

    @Test func cgiSPointsRuleNeedsTwoPoints() {
        let cgi = instrument("cgi_s")
        #expect(cgi.meetsResponse(baseline: 5, endpoint: 3))
        #expect(!cgi.meetsResponse(baseline: 5, endpoint: 4))
        #expect(cgi.meetsRemission(endpoint: 2) == true)
        #expect(cgi.meetsRemission(endpoint: 3) == false)
    }

    @Test func remissionIsAtMostTheValueAndAbsentWhenUndefined() {
        #expect(instrument("phq9").meetsRemission(endpoint: 4) == true)
        #expect(instrument("phq9").meetsRemission(endpoint: 5) == false)
        #expect(instrument("madrs").meetsRemission(endpoint: 10) == true)
        #expect(instrument("bprs").meetsRemission(endpoint: 18) == nil)
        #expect(instrument("tnss").meetsRemission(endpoint: 0) == nil)
    }

    @Test func reliableChangeBothWays() {
        let phq9 = instrument("phq9")
        #expect(phq9.reliablyImproved(baseline: 16, endpoint: 10) == true)
        #expect(phq9.reliablyImproved(baseline: 16, endpoint: 11) == false)
        #expect(phq9.reliablyDeteriorated(baseline: 10, endpoint: 16) == true)
        #expect(phq9.reliablyDeteriorated(baseline: 10, endpoint: 15) == false)
        #expect(instrument("ymrs").reliablyImproved(baseline: 30, endpoint: 0) == nil)
    }
}
