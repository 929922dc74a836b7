/// Why a record was rejected (DATA-CONTRACT §2). Cases are in the contract's order: a
/// record gets the first reason that applies.
public enum RejectReason: String, CaseIterable, Sendable, Comparable, Codable {
    /// Bytes that are not UTF-8.
    case badEncoding = "bad_encoding"
    /// Not as many fields as the header.
    case malformedRecord = "malformed_record"
    /// A required value is empty.
    case missingField = "missing_field"
    /// Not 1–64 characters of `A-Z a-z 0-9 . _ -`, or shaped like a US SSN.
    case badPatientID = "bad_patient_id"
    /// Not `YYYY-MM-DD` with an optional time, or not a real date and time.
    case badDate = "bad_date"
    /// A modality the catalogue does not know.
    case unknownModality = "unknown_modality"
    /// An instrument the catalogue does not know.
    case unknownInstrument = "unknown_instrument"
    /// Not an optional `-` and ASCII digits.
    case badScore = "bad_score"
    /// Outside the instrument's range.
    case scoreOutOfRange = "score_out_of_range"
    /// The record's key is stored with other values; the first stays.
    case conflictingDuplicate = "conflicting_duplicate"

    public static func < (lhs: RejectReason, rhs: RejectReason) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// A rejected record, as kept in the store.
public struct RejectedRecord: Sendable, Equatable {
    public let reason: RejectReason
    /// The column at fault, when one is.
    public let column: String?
    /// One line for a person fixing the export. Patient ids are never echoed.
    public let detail: String

    public init(_ reason: RejectReason, column: String?, _ detail: String) {
        self.reason = reason
        self.column = column
        self.detail = detail
    }
}

extension RejectReason {
    /// What the reason means, in words, for the report's measurement quality section.
    public var meaning: String {
        switch self {
        case .badEncoding: return "bytes that are not UTF-8 (an export in another encoding)"
        case .malformedRecord: return "not as many fields as the header"
        case .missingField: return "a required value is empty"
        case .badPatientID: return "not a valid pseudonymous id (or shaped like a social security number)"
        case .badDate: return "not a real date written YYYY-MM-DD (with an optional time THH:MM or THH:MM:SS)"
        case .unknownModality: return "a treatment the catalogue does not know"
        case .unknownInstrument: return "a rating scale the catalogue does not know"
        case .badScore: return "not a whole number"
        case .scoreOutOfRange: return "outside the scale's range"
        case .conflictingDuplicate: return "the same key already stored with other values (the first was kept)"
        }
    }
}
