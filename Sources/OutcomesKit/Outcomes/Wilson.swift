/// A proportion `x / n` with its 95 % Wilson score interval (DATA-CONTRACT §8).
public struct Proportion: Hashable, Sendable, Codable {
    public let successes: Int
    public let total: Int
    public let rate: Double
    public let low: Double
    public let high: Double
}

/// The normal quantile for a two-sided 95 % interval, as the contract fixes it.
public let wilsonZ = 1.959963984540054

/// DATA-CONTRACT §8: the 95 % Wilson interval of `x / n`, computed in doubles exactly
/// as the contract writes it (`d = 1 + z²/n`, `c = (p + z²/(2n)) / d`,
/// `h = z·√(p(1−p)/n + z²/(4n²)) / d`), bounds clamped to [0, 1].
/// Nil when `n = 0`: the rate is undefined.
public func wilsonInterval(successes x: Int, total n: Int) -> Proportion? {
    guard n > 0 else { return nil }
    let nn = Double(n)
    let p = Double(x) / nn
    let z = wilsonZ
    let z2 = z * z
    let d = 1 + z2 / nn
    let c = (p + z2 / (2 * nn)) / d
    let h = z * (p * (1 - p) / nn + z2 / (4 * nn * nn)).squareRoot() / d
    return Proportion(successes: x, total: n, rate: p, low: min(max(c - h, 0), 1), high: min(max(c + h, 0), 1))
}
