import CJSONC
import Foundation

/// FHIR R4 Bulk Data export (NDJSON: one JSON resource per line) read as
/// this project's rows (DATA-CONTRACT §11 `format: fhir-ndjson`): scores from
/// `Observation`s, sessions from `Procedure`s. Each line becomes one record
/// in this project's own columns (record number = line number), so that it
/// goes through §2's checks like any other row. Lines of other resource types,
/// or with a status that is not a finished result, are skipped and counted.
///
/// The file is read in chunks and split into lines as it streams, so memory
/// does not grow with its size; each line is parsed by json-c.
struct FHIRRecordReader {
    let path: InputPath
    let mapping: SourceMapping
    /// The zone offsets are converted to (the pipeline's `timezone`).
    let timeZone: TimeZone
    /// The zone's offset per quarter hour of UTC already looked up (offsets
    /// change only on quarter hours), so the tz database is asked once per
    /// quarter hour seen rather than once per line.
    private let offsets = OffsetCache()

    final class OffsetCache: @unchecked Sendable {
        var byQuarterHour: [Int: Int] = [:]
    }
    var limits = CSVReaderLimits()

    /// The columns each converted line has, as a header record.
    var header: [String] {
        mapping.kind == .scores ? ["patient_id", "assessment_date", "instrument", "score"]
                                : ["patient_id", "session_date", "modality", "site"]
    }

    /// What reading found besides the records.
    struct Summary {
        var bytes = 0
        /// Lines of another resource type, or with a status that is not a result.
        var skipped = 0
    }

    /// Calls `onRecord` with a header record, then one record per non-empty
    /// line. `onChunk` sees every byte read, for hashing.
    func forEachRecord(onOpen: (_ size: Int) -> Void = { _ in },
                       onChunk: (UnsafeRawBufferPointer) -> Void = { _ in },
                       _ onRecord: (CSVRecord) throws -> Void) throws -> Summary {
        let file = try InputFile(path)
        onOpen(file.size)
        // Only a file of no bytes is empty; one whose lines are all skipped loads with no rows.
        guard file.size > 0 else { throw IngestError.empty }
        var summary = Summary()
        try CSVRecord.withFields(header.map { Array($0.utf8) }, number: 0, onRecord)
        guard let tokener = json_tokener_new() else { throw IngestError.unreadable("json-c could not start") }
        defer { json_tokener_free(tokener) }
        summary.bytes = try LineReader.forEachLine(in: file, chunkBytes: limits.chunkBytes, maxLineBytes: limits.maxRecordBytes,
                                                   onChunk: onChunk) { line, number in
            guard line.contains(where: { $0 != 0x20 && $0 != 0x09 }) else { return }
            switch convert(line, with: tokener) {
            case .skipped: summary.skipped += 1
            case .fields(let fields): try CSVRecord.withFields(fields, number: number, onRecord)
            }
        }
        try file.confirmUnchanged(bytesRead: summary.bytes)
        return summary
    }

    enum Converted {
        case skipped
        /// The record's fields in `header`'s order; a field that cannot be
        /// read is left in a form §2's checks reject with the right reason.
        case fields([[UInt8]])
    }

    /// Markers §2's checks reject as the contract asks: no JSON is a record
    /// with the wrong number of fields (`malformed_record`); a missing
    /// element an empty field (`missing_field`).
    static let malformed: Converted = .fields([[]])

    /// One line parsed by json-c as a JSON object (the caller releases it with
    /// `json_object_put`), or nil when it is not one object. json-c (Debian's
    /// libjson-c) is a plain C parser: with Foundation's `JSONDecoder` a FHIR
    /// ingest of 431,000 Observations took 6.6 s, with json-c 3.4 s (the same
    /// rows as CSV: 0.6 s; bench stage `layouts`). `tokener` is reused line to line.
    static func object(_ line: [UInt8], with tokener: UnsafeMutablePointer<json_tokener>) -> OpaquePointer? {
        json_tokener_reset(tokener)
        let parsed: OpaquePointer? = line.withUnsafeBufferPointer { bytes in
            bytes.withMemoryRebound(to: CChar.self) { json_tokener_parse_ex(tokener, $0.baseAddress, Int32($0.count)) }
        }
        // Anything but blanks after the value would make the line more than one JSON value.
        let end = Int(json_tokener_get_parse_end(tokener))
        guard let root = parsed, json_tokener_get_error(tokener) == json_tokener_success, json_object_is_type(root, json_type_object) != 0,
              end >= line.count || line[end...].allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) else {
            if let parsed { json_object_put(parsed) }
            return nil
        }
        return root
    }

    /// The elements §11 uses of one line, as this project's fields.
    func convert(_ line: [UInt8], with tokener: UnsafeMutablePointer<json_tokener>) -> Converted {
        guard let root = Self.object(line, with: tokener) else { return Self.malformed }
        defer { json_object_put(root) }
        let wanted = mapping.kind == .scores ? "Observation" : "Procedure"
        guard Self.string(root, "resourceType") == wanted else { return .skipped }
        let status = Self.string(root, "status") ?? ""
        let finished = mapping.kind == .scores ? ["final", "amended", "corrected"].contains(status) : status == "completed"
        guard finished else { return .skipped }

        let patient = Self.string(Self.member(root, "subject"), "reference").map { reference in
            reference.hasPrefix("Patient/") ? String(reference.dropFirst("Patient/".count)) : reference
        } ?? ""
        let when = mapping.kind == .scores
            ? Self.string(root, "effectiveDateTime") ?? Self.string(Self.member(root, "effectivePeriod"), "start")
            : Self.string(root, "performedDateTime") ?? Self.string(Self.member(root, "performedPeriod"), "start")
        let date = when.map(localDateTime) ?? ""
        let codes = Self.codes(root)
        if mapping.kind == .scores {
            let instrument = codes.lazy.compactMap(instrumentID(forCode:)).first ?? codes.first ?? ""
            let value = Self.member(root, "valueInteger") ?? Self.member(Self.member(root, "valueQuantity"), "value")
            let score = value.map(Self.integerText) ?? ""
            return .fields([patient, date, instrument, score].map { Array($0.utf8) })
        }
        let modality = codes.lazy.compactMap { mapping.mappedValue("modality", $0) }.first ?? codes.first ?? ""
        let site = Self.string(Self.member(root, "location"), "display") ?? ""
        return .fields([patient, date, modality, site].map { Array($0.utf8) })
    }

    /// The codes of a resource's `code.coding`, in order.
    static func codes(_ resource: OpaquePointer) -> [String] {
        guard let coding = member(member(resource, "code"), "coding"), json_object_is_type(coding, json_type_array) != 0 else { return [] }
        return (0..<json_object_array_length(coding)).compactMap { string(json_object_array_get_idx(coding, $0), "code") }
    }

    /// Member `key` of a JSON object (nil when absent, null, or not an object).
    static func member(_ object: OpaquePointer?, _ key: String) -> OpaquePointer? {
        guard let object, json_object_is_type(object, json_type_object) != 0 else { return nil }
        var value: OpaquePointer?
        guard json_object_object_get_ex(object, key, &value) != 0, let value, json_object_is_type(value, json_type_null) == 0 else { return nil }
        return value
    }

    /// Member `key` when it is a JSON string.
    static func string(_ object: OpaquePointer?, _ key: String) -> String? {
        guard let value = member(object, key), json_object_is_type(value, json_type_string) != 0,
              let text = json_object_get_string(value) else { return nil }
        return String(cString: text)
    }

    /// A JSON number as text: an integer as it is, anything else so that §2 calls it `bad_score`.
    static func integerText(_ value: OpaquePointer) -> String {
        if json_object_is_type(value, json_type_int) != 0 { return String(json_object_get_int64(value)) }
        if json_object_is_type(value, json_type_double) != 0 {
            let number = json_object_get_double(value)
            if number.rounded() == number, abs(number) < 1e9 { return String(Int(number)) }
        }
        return "not-an-integer"
    }

    /// The instrument a coding's code stands for: the source's value map, or a LOINC code of the catalogue.
    func instrumentID(forCode code: String) -> String? {
        mapping.mappedValue("instrument", code) ?? Instrument.loincCodes[code]
    }

    /// The zone's offset from UTC at an instant (seconds since 1970, UTC).
    func zoneOffset(atUTC utc: Int) -> Int {
        let quarter = utc >= 0 ? utc / 900 : (utc - 899) / 900
        if let known = offsets.byQuarterHour[quarter] { return known }
        let looked = timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(quarter * 900)))
        // Bounded: a file spanning decades of quarter hours starts the cache over.
        if offsets.byQuarterHour.count >= 100_000 { offsets.byQuarterHour.removeAll(keepingCapacity: true) }
        offsets.byQuarterHour[quarter] = looked
        return looked
    }

    /// A FHIR dateTime as this project's `YYYY-MM-DD[THH:MM:SS]` in `timeZone`:
    /// a value with an offset (or `Z`) is converted, fractions of a second
    /// dropped; a date alone stays a date; anything else (a partial date such
    /// as `2026-10`) is returned as it is, for §2 to call `bad_date`.
    func localDateTime(_ value: String) -> String {
        let bytes = Array(value.utf8)
        guard bytes.count > 10, bytes[10] == UInt8(ascii: "T"), let day = Day(iso: bytes[0..<10]) else { return value }
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
        guard let hour = number(2), hour < 24, expect(UInt8(ascii: ":")), let minute = number(2), minute < 60 else { return value }
        var second = 0
        if expect(UInt8(ascii: ":")) {
            guard let value = number(2), value < 60 else { return value }
            second = value
            if expect(UInt8(ascii: ".")) { while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 { index += 1 } }
        }
        var offset = 0
        if expect(UInt8(ascii: "Z")) {
            offset = 0
        } else if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
            let sign = bytes[index] == UInt8(ascii: "-") ? -1 : 1
            index += 1
            guard let hours = number(2), expect(UInt8(ascii: ":")), let minutes = number(2) else { return value }
            offset = sign * (hours * 3600 + minutes * 60)
        } else {
            return value   // FHIR requires a zone with a time: without one it is not a valid dateTime
        }
        guard index == bytes.count else { return value }
        let utc = Int(day.ordinal) * 86_400 + hour * 3600 + minute * 60 + second - offset
        // The zone's offset at that instant, from the system's tz database (daylight saving included).
        let local = utc + zoneOffset(atUTC: utc)
        let localDay = Day(ordinal: Int32((local - ((local % 86_400) + 86_400) % 86_400) / 86_400))
        let seconds = ((local % 86_400) + 86_400) % 86_400
        return "\(localDay)T" + [seconds / 3600, (seconds % 3600) / 60, seconds % 60].map { $0 < 10 ? "0\($0)" : "\($0)" }.joined(separator: ":")
    }
}
