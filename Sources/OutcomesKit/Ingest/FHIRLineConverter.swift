import CJSONC
import Foundation

/// One FHIR resource as this project's fields (DATA-CONTRACT §11
/// `format: fhir-ndjson`): `patient_id`, a local date and time, the
/// instrument or modality its code stands for, and the score or site.
///
/// It works on the bytes json-c holds and writes into a reused
/// `BuiltRecords`, so that converting a line allocates nothing of its own
/// (with a Swift String per element, reading 431,757 Observations took 3.4 s;
/// on bytes 2.4 s, before blocks were shared between threads).
final class FHIRLineConverter {
    let mapping: SourceMapping
    /// The zone offsets are converted to (the pipeline's `timezone`).
    let timeZone: TimeZone
    private let readsScores: Bool
    /// The zone's offset per quarter hour of UTC already looked up (offsets
    /// change only on quarter hours), so the tz database is asked once per
    /// quarter hour seen rather than once per line.
    private var offsetsByQuarterHour: [Int: Int] = [:]
    /// Codes already resolved to an instrument or modality id (nil: the code
    /// means nothing to this source), scanned in place: a file uses few codes.
    private var resolvedCodes: [(code: [UInt8], id: [UInt8]?)] = []
    private static let resolvedCodesLimit = 256

    init(mapping: SourceMapping, timeZone: TimeZone) {
        self.mapping = mapping
        self.timeZone = timeZone
        readsScores = mapping.kind == .scores
    }

    enum Outcome {
        /// `fields` holds the record.
        case converted
        /// Another resource type, or a status that is not a finished result.
        case skipped
    }

    private static let observation = Array("Observation".utf8), procedure = Array("Procedure".utf8)
    private static let resultStatuses = ["final", "amended", "corrected"].map { Array($0.utf8) }
    private static let completed = Array("completed".utf8), patientPrefix = Array("Patient/".utf8)

    /// Converts one line into `fields`; the caller ends the record. A line that is not one
    /// JSON object becomes a record of one empty field, which §2's checks call
    /// `malformed_record`; a missing element an empty field (`missing_field`).
    func convert(_ line: UnsafeBufferPointer<UInt8>, with tokener: UnsafeMutablePointer<json_tokener>,
                 into fields: inout BuiltRecords) -> Outcome {
        guard let root = FHIRRecordReader.object(line, with: tokener) else {
            fields.endField()
            return .converted
        }
        defer { json_object_put(root) }
        guard let type = Self.bytes(root, .resourceType), type.elementsEqual(readsScores ? Self.observation : Self.procedure),
              let status = Self.bytes(root, .status),
              readsScores ? Self.resultStatuses.contains(where: { status.elementsEqual($0) }) : status.elementsEqual(Self.completed)
        else { return .skipped }

        if let reference = Self.bytes(FHIRRecordReader.member(root, .subject), .reference) {
            fields.append(reference.starts(with: Self.patientPrefix) ? UnsafeBufferPointer(rebasing: reference.dropFirst(Self.patientPrefix.count)) : reference)
        }
        fields.endField()

        let when = readsScores
            ? Self.bytes(root, .effectiveDateTime) ?? Self.bytes(FHIRRecordReader.member(root, .effectivePeriod), .start)
            : Self.bytes(root, .performedDateTime) ?? Self.bytes(FHIRRecordReader.member(root, .performedPeriod), .start)
        if let when { appendLocalDateTime(when, to: &fields) }
        fields.endField()

        appendCode(of: root, to: &fields)
        fields.endField()

        if readsScores {
            let value = FHIRRecordReader.member(root, .valueInteger)
                ?? FHIRRecordReader.member(FHIRRecordReader.member(root, .valueQuantity), .value)
            if let value { Self.appendInteger(value, to: &fields) }
        } else if let site = Self.bytes(FHIRRecordReader.member(root, .location), .display) {
            fields.append(site)
        }
        fields.endField()
        return .converted
    }

    /// Member `key` when it is a JSON string, as the bytes json-c holds (valid while the object lives).
    static func bytes(_ object: OpaquePointer?, _ key: JSONKey) -> UnsafeBufferPointer<UInt8>? {
        guard let value = FHIRRecordReader.member(object, key), json_object_is_type(value, json_type_string) != 0,
              let text = json_object_get_string(value) else { return nil }
        return UnsafeBufferPointer(start: UnsafeRawPointer(text).assumingMemoryBound(to: UInt8.self), count: Int(json_object_get_string_len(value)))
    }

    /// The first code of `code.coding` that the source's value map (or, for
    /// scores, the catalogue's LOINC codes) resolves; else the first code as it is.
    private func appendCode(of resource: OpaquePointer, to fields: inout BuiltRecords) {
        guard let coding = FHIRRecordReader.member(FHIRRecordReader.member(resource, .code), .coding),
              json_object_is_type(coding, json_type_array) != 0 else { return }
        var first: UnsafeBufferPointer<UInt8>?
        for index in 0..<json_object_array_length(coding) {
            guard let code = Self.bytes(json_object_array_get_idx(coding, index), .code) else { continue }
            if let id = resolved(code) {
                fields.append(id)
                return
            }
            if first == nil { first = code }
        }
        if let first { fields.append(first) }
    }

    /// The id a code stands for, remembered after the first time.
    private func resolved(_ code: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        if let known = resolvedCodes.first(where: { $0.code.elementsEqual(code) }) { return known.id }
        let text = String(decoding: code, as: UTF8.self)
        let id = readsScores ? mapping.mappedValue("instrument", text) ?? Instrument.loincCodes[text] : mapping.mappedValue("modality", text)
        let bytes = id.map { Array($0.utf8) }
        if resolvedCodes.count < Self.resolvedCodesLimit { resolvedCodes.append((Array(code), bytes)) }
        return bytes
    }

    /// A JSON number as text: an integer as it is, anything else so that §2 calls it `bad_score`.
    static func appendInteger(_ value: OpaquePointer, to fields: inout BuiltRecords) {
        if json_object_is_type(value, json_type_int) != 0 { return fields.appendDecimal(json_object_get_int64(value)) }
        if json_object_is_type(value, json_type_double) != 0 {
            let number = json_object_get_double(value)
            if number.rounded() == number, abs(number) < 1e9 { return fields.appendDecimal(Int64(number)) }
        }
        fields.append("not-an-integer".utf8)
    }

    /// The zone's offset from UTC at an instant (seconds since 1970, UTC).
    func zoneOffset(atUTC utc: Int) -> Int {
        let quarter = utc >= 0 ? utc / 900 : (utc - 899) / 900
        if let known = offsetsByQuarterHour[quarter] { return known }
        let looked = timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(quarter * 900)))
        // Bounded: a file spanning decades of quarter hours starts the cache over.
        if offsetsByQuarterHour.count >= 100_000 { offsetsByQuarterHour.removeAll(keepingCapacity: true) }
        offsetsByQuarterHour[quarter] = looked
        return looked
    }

    /// A FHIR dateTime as this project's `YYYY-MM-DD[THH:MM:SS]` in `timeZone`:
    /// a value with an offset (or `Z`) is converted, fractions of a second
    /// dropped; a date alone stays a date; anything else (a partial date such
    /// as `2026-10`, a time without a zone) is written as it is, for §2 to
    /// call `bad_date`.
    func appendLocalDateTime(_ value: UnsafeBufferPointer<UInt8>, to fields: inout BuiltRecords) {
        guard let utc = Self.utcSeconds(value) else { return fields.append(value) }
        // The zone's offset at that instant, from the system's tz database (daylight saving included).
        let local = utc + zoneOffset(atUTC: utc)
        let seconds = ((local % 86_400) + 86_400) % 86_400
        let (year, month, day) = Day(ordinal: Int32((local - seconds) / 86_400)).civil
        guard (0...9999).contains(year) else { return fields.append(value) }
        fields.appendTwoDigits(year / 100)
        fields.appendTwoDigits(year % 100)
        fields.append(UInt8(ascii: "-"))
        fields.appendTwoDigits(month)
        fields.append(UInt8(ascii: "-"))
        fields.appendTwoDigits(day)
        fields.append(UInt8(ascii: "T"))
        fields.appendTwoDigits(seconds / 3600)
        fields.append(UInt8(ascii: ":"))
        fields.appendTwoDigits(seconds % 3600 / 60)
        fields.append(UInt8(ascii: ":"))
        fields.appendTwoDigits(seconds % 60)
    }

    /// Seconds since 1970 (UTC) of a FHIR dateTime with a time and a zone
    /// (`YYYY-MM-DDTHH:MM[:SS[.fff]](Z|±HH:MM)`), or nil for any other form.
    static func utcSeconds(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        guard bytes.count > 10, bytes[10] == UInt8(ascii: "T"), let day = Day(iso: UnsafeBufferPointer(rebasing: bytes[0..<10])) else { return nil }
        var index = 11
        func number(_ digits: Int) -> Int? {
            guard index + digits <= bytes.count else { return nil }
            var result = 0
            for byte in bytes[index..<index + digits] {
                guard byte >= 48, byte <= 57 else { return nil }
                result = result * 10 + Int(byte - 48)
            }
            index += digits
            return result
        }
        func expect(_ byte: UInt8) -> Bool {
            guard index < bytes.count, bytes[index] == byte else { return false }
            index += 1
            return true
        }
        guard let hour = number(2), hour < 24, expect(UInt8(ascii: ":")), let minute = number(2), minute < 60 else { return nil }
        var second = 0
        if expect(UInt8(ascii: ":")) {
            guard let value = number(2), value < 60 else { return nil }
            second = value
            if expect(UInt8(ascii: ".")) { while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 { index += 1 } }
        }
        var offset = 0
        if expect(UInt8(ascii: "Z")) {
            offset = 0
        } else if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
            let sign = bytes[index] == UInt8(ascii: "-") ? -1 : 1
            index += 1
            guard let hours = number(2), expect(UInt8(ascii: ":")), let minutes = number(2) else { return nil }
            offset = sign * (hours * 3600 + minutes * 60)
        } else {
            return nil   // FHIR requires a zone with a time: without one it is not a valid dateTime
        }
        guard index == bytes.count else { return nil }
        return Int(day.ordinal) * 86_400 + hour * 3600 + minute * 60 + second - offset
    }
}
