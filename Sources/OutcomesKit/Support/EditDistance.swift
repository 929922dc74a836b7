/// Levenshtein distance, for "did you mean" suggestions (catalogue names,
/// pipeline keys, commands).
public enum EditDistance {
    /// The number of single-character insertions, deletions, substitutions
    /// and swaps of two neighbours ("tsm" → "tms" is one) that turn `a` into
    /// `b` (the optimal-string-alignment distance). Work stops once every
    /// continuation exceeds `limit`, so a long hostile value costs at most
    /// `limit` rows of the table (nil: no limit).
    public static func between(_ a: String, _ b: String, limit: Int? = nil) -> Int {
        let a = Array(a.unicodeScalars), b = Array(b.unicodeScalars)
        if let limit, abs(a.count - b.count) > limit { return limit + 1 }
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var beforePrevious = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            var rowMinimum = i
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    current[j] = min(current[j], beforePrevious[j - 2] + 1)
                }
                rowMinimum = min(rowMinimum, current[j])
            }
            // A swap reaches back two rows, so stop only when two rows in a row are over the limit.
            if let limit, rowMinimum > limit, previous.min()! > limit { return limit + 1 }
            (beforePrevious, previous, current) = (previous, current, beforePrevious)
        }
        return previous[b.count]
    }

    /// How far a candidate may be from a name to be offered as what was
    /// meant: one edit for names of up to 4 characters (so that "ECT" is not
    /// offered "ait" or "tms"), two up to 8, then a third of the length (at most 4).
    public static func suggestionLimit(for name: String) -> Int {
        switch name.count {
        case ...4: return 1
        case ...8: return 2
        default: return min(name.count / 3, 4)
        }
    }

    /// The candidates within `suggestionLimit` of `name`, the closest first, ties sorted.
    public static func suggestions(for name: String, among candidates: [String]) -> [String] {
        let limit = suggestionLimit(for: name)
        let scored = candidates.map { ($0, between(name, $0, limit: limit)) }.filter { $0.1 <= limit }
        guard let best = scored.map(\.1).min() else { return [] }
        return scored.filter { $0.1 == best }.map(\.0).sorted()
    }
}
