/// DATA-CONTRACT §3: the outcome rules of an instrument, in exact integer arithmetic,
/// for baseline `b` and endpoint `e` (higher is worse).
extension Instrument {
    /// Response. Percent rule `p`: `(b − e) · 100 ≥ p · (b − f)`;
    /// points rule `k`: `b − e ≥ k`.
    public func meetsResponse(baseline b: Int, endpoint e: Int) -> Bool {
        switch response {
        case .percent(let p): return (b - e) * 100 >= p * (b - floor)
        case .points(let k): return b - e >= k
        }
    }

    /// Remission: `e ≤` the remission value; nil when the instrument has none.
    public func meetsRemission(endpoint e: Int) -> Bool? {
        remission.map { e <= $0 }
    }

    /// Reliably improved: `b − e ≥ rc`; nil when the instrument has no reliable change.
    public func reliablyImproved(baseline b: Int, endpoint e: Int) -> Bool? {
        reliableChange.map { b - e >= $0 }
    }

    /// Reliably deteriorated: `e − b ≥ rc`; nil when the instrument has no reliable change.
    public func reliablyDeteriorated(baseline b: Int, endpoint e: Int) -> Bool? {
        reliableChange.map { e - b >= $0 }
    }

    /// Recovered: remitted and reliably improved (Jacobson and Truax's
    /// "recovered"); nil when the instrument lacks either rule.
    public func isRecovered(baseline b: Int, endpoint e: Int) -> Bool? {
        guard let remitted = meetsRemission(endpoint: e), let improved = reliablyImproved(baseline: b, endpoint: e) else { return nil }
        return remitted && improved
    }
}
