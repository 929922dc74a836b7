/// DATA-CONTRACT §1 value rules, on raw (already trimmed) field bytes.
public enum FieldRules {
    /// Longest accepted patient id.
    public static let maxPatientIDLength = 64

    /// Why a patient id is not acceptable, or nil when it is: 1–64 characters
    /// of `A-Z a-z 0-9 . _ -`, and not shaped like a US SSN (`ddd-dd-dddd`).
    /// The message never repeats the id.
    public static func patientIDProblem<Bytes: RandomAccessCollection>(_ id: Bytes) -> String?
    where Bytes.Element == UInt8 {
        guard id.count <= maxPatientIDLength else {
            return "patient_id is longer than \(maxPatientIDLength) characters"
        }
        guard id.allSatisfy(isPatientIDByte) else {
            return "patient_id may hold only A-Z a-z 0-9 . _ -"
        }
        if isSSNShaped(id) { return "patient_id is shaped like a US social security number (ddd-dd-dddd)" }
        return nil
    }

    /// `ddd-dd-dddd` in ASCII digits.
    public static func isSSNShaped<Bytes: RandomAccessCollection>(_ bytes: Bytes) -> Bool where Bytes.Element == UInt8 {
        guard bytes.count == 11 else { return false }
        for (offset, byte) in bytes.enumerated() {
            if offset == 3 || offset == 6 {
                if byte != UInt8(ascii: "-") { return false }
            } else if !isDigit(byte) {
                return false
            }
        }
        return true
    }

    /// A score's syntax: an optional `-` and ASCII digits. Values too large for
    /// an integer saturate, so that they fail the range check, not the syntax.
    public static func integer<Bytes: RandomAccessCollection>(_ bytes: Bytes) -> Int? where Bytes.Element == UInt8 {
        var negative = false
        var digits = bytes[...]
        if digits.first == UInt8(ascii: "-") {
            negative = true
            digits = digits.dropFirst()
        }
        guard !digits.isEmpty else { return nil }
        var value = 0
        for byte in digits {
            guard isDigit(byte) else { return nil }
            let (times10, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times10.addingReportingOverflow(Int(byte - 48))
            value = overflow1 || overflow2 ? Int.max : sum
        }
        return negative ? -value : value
    }

    /// PHQ-9 item 9: 0–3; anything else (empty included) is missing, `-1`.
    public static func item9<Bytes: RandomAccessCollection>(_ bytes: Bytes) -> Int8 where Bytes.Element == UInt8 {
        guard let value = integer(bytes), (0...3).contains(value) else { return -1 }
        return Int8(value)
    }

    @inline(__always) static func isDigit(_ byte: UInt8) -> Bool { byte >= 48 && byte <= 57 }

    @inline(__always) static func isPatientIDByte(_ byte: UInt8) -> Bool {
        (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122) || isDigit(byte)
            || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
    }

    /// Whether `bytes` are valid UTF-8.
    public static func isUTF8<Bytes: Sequence>(_ bytes: Bytes) -> Bool where Bytes.Element == UInt8 {
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue: continue
            case .emptyInput: return true
            case .error: return false
            }
        }
    }
}
