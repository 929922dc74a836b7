/// Levenshtein distance, for "did you mean" suggestions (catalogue names,
/// pipeline keys, commands).
public enum EditDistance {
    /// The number of single-character insertions, deletions and
    /// substitutions that turn `a` into `b`. Work stops once every
    /// continuation exceeds `limit`, so a long hostile value costs at most
    /// `limit` rows of the table (nil: no limit).
    public static func between(_ a: String, _ b: String, limit: Int? = nil) -> Int {
        let a = Array(a.unicodeScalars), b = Array(b.unicodeScalars)
        if let limit, abs(a.count - b.count) > limit { return limit + 1 }
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            var rowMinimum = i
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
                rowMinimum = min(rowMinimum, current[j])
            }
            if let limit, rowMinimum > limit { return limit + 1 }
            swap(&previous, &current)
        }
        return previous[b.count]
    }

    /// The candidates within a small distance of `name` (at most 2, or a
    /// third of its length for long names), the closest first, ties sorted.
    public static func suggestions(for name: String, among candidates: [String]) -> [String] {
        let limit = max(2, min(name.count / 3, 4))
        let scored = candidates.map { ($0, between(name, $0, limit: limit)) }.filter { $0.1 <= limit }
        guard let best = scored.map(\.1).min() else { return [] }
        return scored.filter { $0.1 == best }.map(\.0).sorted()
    }
}
