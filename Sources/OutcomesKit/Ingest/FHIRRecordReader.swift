import Foundation

/// FHIR R4 Bulk Data export (NDJSON: one JSON resource per line) read as
/// this project's rows (DATA-CONTRACT §11 `format: fhir-ndjson`): scores from
/// `Observation`s, sessions from `Procedure`s. Each line becomes one record
/// in this project's own columns (record number = line number), so that it
/// goes through §2's checks like any other row. Lines of other resource types,
/// or with a status that is not a finished result, are skipped and counted.
///
/// The file is read in chunks and split into lines as it streams, so memory
/// does not grow with its size; each line is decoded by Foundation's `JSONDecoder`.
struct FHIRRecordReader {
    let path: InputPath
    let mapping: SourceMapping
    /// The zone offsets are converted to (the pipeline's `timezone`).
    let timeZone: TimeZone
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
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: limits.chunkBytes, alignment: 16)
        defer { chunk.deallocate() }
        var line: [UInt8] = []
        var lineNumber = 0
        func finishLine() throws {
            lineNumber += 1
            defer { line.removeAll(keepingCapacity: true) }
            if line.last == 0x0D { line.removeLast() }
            guard line.contains(where: { $0 != 0x20 && $0 != 0x09 }) else { return }
            switch convert(line) {
            case .skipped: summary.skipped += 1
            case .fields(let fields): try CSVRecord.withFields(fields, number: lineNumber, onRecord)
            }
        }
        while true {
            let count = try file.read(into: chunk)
            if count == 0 { break }
            let raw = UnsafeRawBufferPointer(rebasing: chunk[0..<count])
            onChunk(raw)
            summary.bytes += count
            var start = 0
            for index in 0..<count where raw[index] == 0x0A {
                line.append(contentsOf: raw[start..<index])
                try finishLine()
                start = index + 1
            }
            line.append(contentsOf: raw[start..<count])
            if line.count > limits.maxRecordBytes {
                throw IngestError.recordTooLong(record: lineNumber + 1, limit: limits.maxRecordBytes)
            }
        }
        if !line.isEmpty { try finishLine() }
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

    /// The elements of a resource this reader uses; every other is ignored.
    /// Decoded by Foundation's `JSONDecoder`: typed, and no slower here than
    /// `JSONSerialization`. Decoding is most of a FHIR ingest's time (about 8
    /// times the CSV layout's; BENCHMARKS-style figures in docs/IMPORTING.md).
    struct Resource: Decodable {
        struct Reference: Decodable { let reference: String?; let display: String? }
        struct Period: Decodable { let start: String? }
        struct Coding: Decodable { let code: String? }
        struct Concept: Decodable { let coding: [Coding]? }
        struct Quantity: Decodable { let value: Number? }
        /// A JSON number, or anything else (which is no score).
        enum Number: Decodable {
            case number(Double), other
            init(from decoder: Decoder) throws {
                let container = try decoder.singleValueContainer()
                self = (try? container.decode(Double.self)).map(Number.number) ?? .other
            }
        }
        let resourceType: String?
        let status: String?
        let subject: Reference?
        let effectiveDateTime: String?
        let effectivePeriod: Period?
        let performedDateTime: String?
        let performedPeriod: Period?
        let code: Concept?
        let valueInteger: Number?
        let valueQuantity: Quantity?
        let location: Reference?
    }

    private static let decoder = JSONDecoder()

    func convert(_ line: [UInt8]) -> Converted {
        guard let resource = try? Self.decoder.decode(Resource.self, from: Data(line)) else { return Self.malformed }
        let wanted = mapping.kind == .scores ? "Observation" : "Procedure"
        guard resource.resourceType == wanted else { return .skipped }
        let finished = mapping.kind == .scores ? ["final", "amended", "corrected"].contains(resource.status ?? "")
                                               : resource.status == "completed"
        guard finished else { return .skipped }

        let patient = resource.subject?.reference.map { reference in
            reference.hasPrefix("Patient/") ? String(reference.dropFirst("Patient/".count)) : reference
        } ?? ""
        let when = mapping.kind == .scores ? resource.effectiveDateTime ?? resource.effectivePeriod?.start
                                           : resource.performedDateTime ?? resource.performedPeriod?.start
        let date = when.map(localDateTime) ?? ""
        let codes = (resource.code?.coding ?? []).compactMap(\.code)
        if mapping.kind == .scores {
            let instrument = codes.lazy.compactMap(instrumentID(forCode:)).first ?? codes.first ?? ""
            let score = (resource.valueInteger ?? resource.valueQuantity?.value).map(Self.integerText) ?? ""
            return .fields([patient, date, instrument, score].map { Array($0.utf8) })
        }
        let modality = codes.lazy.compactMap { mapping.mappedValue("modality", $0) }.first ?? codes.first ?? ""
        let site = resource.location?.display ?? ""
        return .fields([patient, date, modality, site].map { Array($0.utf8) })
    }

    /// A JSON number as text: an integer as it is, anything else so that §2 calls it `bad_score`.
    static func integerText(_ value: Resource.Number) -> String {
        if case .number(let number) = value, number.rounded() == number, abs(number) < 1e9 { return String(Int(number)) }
        return "not-an-integer"
    }

    /// The instrument a coding's code stands for: the source's value map, or a LOINC code of the catalogue.
    func instrumentID(forCode code: String) -> String? {
        mapping.mappedValue("instrument", code) ?? Instrument.loincCodes[code]
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
        let local = utc + timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(utc)))
        let localDay = Day(ordinal: Int32((local - ((local % 86_400) + 86_400) % 86_400) / 86_400))
        let seconds = ((local % 86_400) + 86_400) % 86_400
        return "\(localDay)T" + [seconds / 3600, (seconds % 3600) / 60, seconds % 60].map { $0 < 10 ? "0\($0)" : "\($0)" }.joined(separator: ":")
    }
}
