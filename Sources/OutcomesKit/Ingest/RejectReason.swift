/// Why a record was rejected (SPEC §2). Cases are in the SPEC's order: a
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
    /// Not `YYYY-MM-DD`, or not a real calendar date.
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
