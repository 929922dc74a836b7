import Foundation
import Testing
@testable import OutcomesKit

/// The product-limit estimator against the textbook 6-MP arm and hand-worked cases.
@Suite struct KaplanMeierTests {
    /// Freireich et al. (1963), 6-MP arm, remission in weeks; a negative number is censored (Gehan 1965).
    static let sixMP = [6, 6, 6, -6, 7, -9, 10, -10, -11, 13, 16, -17, -19, -20, 22, 23, -25, -32, -32, -34, -35]
        .map { SurvivalTime(time: abs($0), isEvent: $0 > 0) }

    @Test func reproducesTheSixMPArm() {
        let curve = KaplanMeier(Self.sixMP)
        let published: [(Int, Double)] = [(6, 0.857), (7, 0.807), (10, 0.753), (13, 0.690), (16, 0.627), (22, 0.538), (23, 0.448)]
        for (week, survival) in published {
            let step = curve.steps.first { $0.time == week }!
            #expect(abs(step.survival - survival) < 0.0005, "week \(week): \(step.survival)")
        }
        #expect(abs(curve.steps.first { $0.time == 6 }!.standardError - 0.076) < 0.0005)
        // Greenwood's 0.107 is the standard error at 13 weeks; at 23 weeks it is 0.135
        // (0.448 · √0.0912, as Kleinbaum & Klein tabulate it); the "0.107 at 23" mixes the two.
        #expect(abs(curve.steps.first { $0.time == 13 }!.standardError - 0.107) < 0.0005)
        #expect(abs(curve.steps.first { $0.time == 23 }!.standardError - 0.135) < 0.0005)
        #expect(curve.steps.first { $0.time == 6 }!.atRisk == 21)
        #expect(curve.steps.first { $0.time == 6 }!.events == 3 && curve.steps.first { $0.time == 6 }!.censored == 1)
        #expect(curve.median.time == 23)
        // Between steps the curve holds its last value; past the last follow-up it is undefined.
        #expect(curve.at(8)!.survival == curve.steps.first { $0.time == 7 }!.survival)
        #expect(curve.at(8)!.atRisk == 16)   // 21 less the five followed for under 8 weeks
        #expect(curve.at(36) == nil)
        #expect(curve.at(0)!.survival == 1 && curve.at(0)!.atRisk == 21)
    }

    @Test func anEventOnACensoringDayComesFirst() {
        // 4 subjects: event at 2, event and censoring at 3, event at 5.
        let curve = KaplanMeier([2, 3, -3, 5].map { SurvivalTime(time: abs($0), isEvent: $0 > 0) })
        let three = curve.steps.first { $0.time == 3 }!
        #expect(three.atRisk == 3 && three.events == 1 && three.censored == 1)
        #expect(abs(three.survival - 0.75 * 2 / 3) < 1e-12)          // (1 − 1/4)(1 − 1/3)
        let five = curve.steps.first { $0.time == 5 }!
        #expect(five.atRisk == 1 && five.survival == 0 && five.low == 0 && five.high == 0)
    }

    @Test func tiesOfEventsCountTogether() {
        let curve = KaplanMeier([4, 4, 4, -4, 8].map { SurvivalTime(time: abs($0), isEvent: $0 > 0) })
        #expect(curve.steps.count == 2)
        #expect(abs(curve.steps[0].survival - 0.4) < 1e-12)           // 1 − 3/5
        // Greenwood: S² · 3 / (5 · 2)
        #expect(abs(curve.steps[0].standardError - (0.16 * 0.3).squareRoot()) < 1e-12)
    }

    @Test func aCurveThatNeverDrops() {
        let curve = KaplanMeier([3, 9, 9, 20].map { SurvivalTime(time: $0, isEvent: false) })
        #expect(curve.steps.allSatisfy { $0.survival == 1 && $0.low == 1 && $0.high == 1 && $0.standardError == 0 })
        #expect(curve.median.time == nil && curve.median.low == nil && curve.median.high == nil)
    }

    @Test func aSingleCourse() {
        let event = KaplanMeier([SurvivalTime(time: 10, isEvent: true)])
        #expect(event.steps.count == 1 && event.steps[0].survival == 0 && event.median.time == 10)
        let censored = KaplanMeier([SurvivalTime(time: 10, isEvent: false)])
        #expect(censored.steps[0].survival == 1 && censored.median.time == nil)
        #expect(KaplanMeier([]).steps.isEmpty && KaplanMeier([]).at(0) == nil)
    }

    @Test func theIntervalHoldsTheEstimateAndStaysWithinZeroAndOne() {
        for step in KaplanMeier(Self.sixMP).steps where step.events > 0 {
            #expect(0 <= step.low && step.low <= step.survival && step.survival <= step.high && step.high <= 1)
        }
        // Week 6: S = 0.857, Greenwood Σ = 3 / (21 · 18); log(−log) limits (as R's survfit, conf.type "log-log").
        let six = KaplanMeier(Self.sixMP).steps[0]
        #expect(abs(six.low - 0.620) < 0.0005 && abs(six.high - 0.952) < 0.0005, "\(six.low) \(six.high)")
    }
}
