/// A small, fast, seeded random number generator (SplitMix64), so that
/// synthetic data are byte-identical for the same arguments on every machine
/// and Swift version (the standard library's generator is neither seeded nor
/// stable).
public struct SyntheticRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    /// A generator for one sub-stream (a patient), independent of how many
    /// numbers other sub-streams drew.
    public init(seed: UInt64, stream: UInt64) {
        var mixer = SyntheticRandom(seed: seed ^ (stream &* 0x9E37_79B9_7F4A_7C15))
        state = mixer.next()
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    public mutating func unit() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// Uniform integer in `range`.
    public mutating func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.count))
    }

    /// True with probability `p`.
    public mutating func chance(_ p: Double) -> Bool { unit() < p }

    /// Approximately Normal(mean, sd): the sum of 12 uniforms minus 6
    /// (Irwin–Hall). Only additions, so the same bits on every machine, unlike
    /// `log` and `cos`, whose last bit may differ between C libraries.
    public mutating func normal(mean: Double, sd: Double) -> Double {
        var sum = 0.0
        for _ in 0..<12 { sum += unit() }
        return mean + sd * (sum - 6)
    }

    /// An index drawn with the given weights.
    public mutating func weighted(_ weights: [Double]) -> Int {
        let total = weights.reduce(0, +)
        var draw = unit() * total
        for (index, weight) in weights.enumerated() {
            draw -= weight
            if draw < 0 { return index }
        }
        return weights.count - 1
    }

    /// One element of `items`, uniformly.
    public mutating func pick<T>(_ items: [T]) -> T { items[int(0...(items.count - 1))] }
}
