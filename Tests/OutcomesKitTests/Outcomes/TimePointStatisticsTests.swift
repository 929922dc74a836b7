import Foundation
import Testing
@testable import OutcomesKit

/// DATA-CONTRACT §6b statistics: Student's t quantile and the mean change at its edges.
@Suite struct TimePointStatisticsTests {
    /// t(0.975, df), to more digits than the contract's 6 significant ones
    /// (R's qt(0.975, df), which agrees with every printed table).
    @Test(arguments: [(1.0, 12.7062047361747), (2.0, 4.30265272974946), (5.0, 2.57058183563631), (9.0, 2.26215716279820),
                      (29.0, 2.04522964213270), (100.0, 1.98397151852355)])
    func studentTQuantileMatchesPublishedValues(_ df: Double, _ published: Double) {
        let t = StudentT.quantile(0.975, degreesOfFreedom: df)
        #expect(abs(t - published) / published < 1e-9, "df \(df): \(t)")
        #expect(NumberFormat.fixed(t, decimals: 4) == NumberFormat.fixed(published, decimals: 4))
    }

    @Test func theQuantileInvertsTheDistribution() {
        for df in [3.0, 7.0, 15.0, 60.0] {
            for p in [0.6, 0.9, 0.975, 0.995] {
                #expect(abs(StudentT.cdf(StudentT.quantile(p, degreesOfFreedom: df), degreesOfFreedom: df) - p) < 1e-12)
            }
            #expect(StudentT.quantile(0.025, degreesOfFreedom: df) == -StudentT.quantile(0.975, degreesOfFreedom: df))
        }
    }

    @Test func noneOneAndTwoChanges() {
        let none = MeanChange([])
        #expect(none.mean == nil && none.sd == nil && none.low == nil && none.effectSize == nil)
        let one = MeanChange([-7])
        #expect(one.mean == -7 && one.sd == nil && one.low == nil && one.high == nil && one.effectSize == nil)
        // Conformance case 2: −7 and −1 give −4.00, sd 4.24, −42.12 to 34.12, d_z −0.94.
        let two = MeanChange([-7, -1])
        #expect(NumberFormat.mean(two.mean) == "-4.00" && NumberFormat.mean(two.sd) == "4.24")
        #expect(NumberFormat.mean(two.low) == "-42.12" && NumberFormat.mean(two.high) == "34.12")
        #expect(NumberFormat.mean(two.effectSize) == "-0.94")
    }

    @Test func aZeroStandardDeviationLeavesTheEffectSizeEmpty() {
        let same = MeanChange([-5, -5, -5])
        #expect(same.sd == 0 && same.low == -5 && same.high == -5)
        #expect(same.effectSize == nil)
    }
}
