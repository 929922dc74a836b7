/// How a reject's detail shows the value at fault (DATA-CONTRACT §12).
///
/// `rejects.csv` may leave the practice, and a hand-edited or shifted export
/// can put anything in any column: an id, a date, a name with a record
/// number. So a value is quoted only when it is plainly a code (a short word
/// of letters); anything else is described by its shape, never shown.
enum RejectDetail {
    /// Longest name quoted back.
    static let longestQuotedName = 20
    /// Longest score quoted back.
    static let longestQuotedScore = 5

    /// An unknown modality or instrument: `"reiki"`, or `(11 characters with
    /// digits, not shown)`.
    static func name(_ value: String) -> String {
        let scalars = Array(value.unicodeScalars)
        let plainlyACode = (1...longestQuotedName).contains(scalars.count)
            && scalars.first.map(isLetter) == true
            && scalars.allSatisfy { isLetter($0) || $0 == "-" || $0 == "_" }
        return plainlyACode ? "\"\(value)\"" : "(\(shape(scalars)), not shown)"
    }

    /// A score that is not a whole number or is out of range: `"5.0"`,
    /// `"n/a"`, `"28"`, or its shape when it is longer or could be a date or a time.
    static func score(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        let value = String(decoding: bytes, as: UTF8.self)
        let scalars = Array(value.unicodeScalars)
        // Digits with a slash or a colon could be a date or a time: never shown.
        let dateLike = scalars.contains { ("0"..."9").contains($0) } && scalars.contains { $0 == "/" || $0 == ":" }
        let plain = (1...longestQuotedScore).contains(scalars.count) && !dateLike
            && scalars.allSatisfy { $0.isASCII && $0.value >= 0x21 && $0 != "\"" }
        return plain ? "\"\(value)\"" : "(\(shape(scalars)), not shown)"
    }

    /// "34 characters with spaces and digits".
    static func shape(_ scalars: [Unicode.Scalar]) -> String {
        var traits: [String] = []
        if scalars.contains(where: { $0 == " " }) { traits.append("spaces") }
        if scalars.contains(where: { ("0"..."9").contains($0) }) { traits.append("digits") }
        if scalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) { traits.append("control characters") }
        let count = "\(scalars.count) character\(scalars.count == 1 ? "" : "s")"
        return traits.isEmpty ? count : "\(count) with \(traits.joined(separator: " and "))"
    }

    private static func isLetter(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar)
    }
}
