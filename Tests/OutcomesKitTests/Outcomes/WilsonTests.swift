import Testing
@testable import OutcomesKit

/// DATA-CONTRACT §8: the 95 % Wilson interval, printed with 4 decimals.
@Suite struct WilsonTests {
    func printed(_ x: Int, _ n: Int) -> [String] {
        let p = wilsonInterval(successes: x, total: n)!
        return [p.rate, p.low, p.high].map { NumberFormat.fixed($0, decimals: 4) }
    }

    @Test func newcombesExample() {
        // Newcombe (1998), 81 of 263: 0.2553 to 0.3662.
        #expect(printed(81, 263) == ["0.3080", "0.2553", "0.3662"])
    }

    @Test func noSuccessesClampsTheLowerBoundToZero() {
        #expect(printed(0, 1) == ["0.0000", "0.0000", "0.7935"])
        #expect(printed(0, 10) == ["0.0000", "0.0000", "0.2775"])
        #expect(wilsonInterval(successes: 0, total: 10)!.low >= 0)
    }

    @Test func allSuccessesClampsTheUpperBoundToOne() {
        #expect(printed(1, 1) == ["1.0000", "0.2065", "1.0000"])
        #expect(printed(10, 10) == ["1.0000", "0.7225", "1.0000"])
        #expect(wilsonInterval(successes: 10, total: 10)!.high <= 1)
    }

    @Test func undefinedWithoutCases() {
        #expect(wilsonInterval(successes: 0, total: 0) == nil)
    }

    @Test func medianTakesTheMeanOfTheMiddleTwo() {
        #expect(median([3]) == 3)
        #expect(median([4, 1]) == 2.5)
        #expect(median([5, 1, 3]) == 3)
        #expect(median([]) == nil)
    }
}
