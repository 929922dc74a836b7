/// A record that passed every check that needs no store. Its byte fields are
/// views into the reader's buffer, valid only while the record is.
public enum ValidatedRecord {
    /// `modality` is the modality's position in the catalogue.
    case session(patientID: UnsafeBufferPointer<UInt8>, day: Day, modality: Int32,
                 site: UnsafeBufferPointer<UInt8>, sessionID: UnsafeBufferPointer<UInt8>?)
    /// `instrument` is the instrument's position in the catalogue.
    case score(patientID: UnsafeBufferPointer<UInt8>, day: Day, instrument: Int32, score: Int, item9: Int8)
    case rejected(RejectedRecord)
}

/// SPEC §2 checks of one data record, in the SPEC's order, up to
/// `score_out_of_range`. (`conflicting_duplicate` needs the store.)
public final class RecordValidator {
    public let layout: FileLayout
    public let catalog: Catalog
    /// Spelling → catalogue position, or -1 when the catalogue does not know it.
    private var modalities = SpellingCache<Int32>()
    private var instruments = SpellingCache<Int32>()
    private let phq9: Int32

    public init(layout: FileLayout, catalog: Catalog) {
        self.layout = layout
        self.catalog = catalog
        phq9 = catalog.instrumentIndex(id: "phq9").map(Int32.init) ?? -1
    }

    public func validate(_ record: CSVRecord) -> ValidatedRecord {
        if let reject = encodingReject(record) ?? shapeReject(record) ?? missingReject(record) {
            return .rejected(reject)
        }
        let patientID = record[layout.patientID]
        if let problem = FieldRules.patientIDProblem(patientID) {
            return .rejected(RejectedRecord(.badPatientID, column: "patient_id", problem))
        }
        let dateColumn = layout.columnNames[layout.date]
        guard let day = Day(iso: record[layout.date]) else {
            return .rejected(RejectedRecord(.badDate, column: dateColumn, "\(dateColumn) is not a real calendar date written YYYY-MM-DD"))
        }
        let subject = record[layout.subject]
        switch layout.kind {
        case .sessions:
            let modality = modalities.value(for: subject) { catalog.modality(named: $0).flatMap { catalog.modalityIndex(id: $0.id) }.map(Int32.init) ?? -1 }
            guard modality >= 0 else {
                return .rejected(RejectedRecord(.unknownModality, column: "modality",
                                                "modality \(quotedSample(subject)) is not in the catalogue\(hint(subject, .modality))"))
            }
            return .session(patientID: patientID, day: day, modality: modality,
                            site: layout.site.map { record[$0] } ?? UnsafeBufferPointer(start: nil, count: 0),
                            sessionID: layout.sessionID.map { record[$0] })
        case .scores:
            let index = instruments.value(for: subject) { catalog.instrument(named: $0).flatMap { catalog.instrumentIndex(id: $0.id) }.map(Int32.init) ?? -1 }
            guard index >= 0 else {
                return .rejected(RejectedRecord(.unknownInstrument, column: "instrument",
                                                "instrument \(quotedSample(subject)) is not in the catalogue\(hint(subject, .instrument))"))
            }
            let instrument = catalog.instruments[Int(index)]
            let scoreBytes = record[layout.score!]
            guard let score = FieldRules.integer(scoreBytes) else {
                return .rejected(RejectedRecord(.badScore, column: "score",
                                                "score \(quotedSample(scoreBytes)) is not a whole number"))
            }
            guard instrument.accepts(score: score) else {
                return .rejected(RejectedRecord(.scoreOutOfRange, column: "score",
                                                "score \(quotedSample(scoreBytes)) is outside \(instrument.name)'s range \(instrument.floor)–\(instrument.max)"))
            }
            let item9 = index == phq9 ? (layout.item9.map { FieldRules.item9(record[$0]) } ?? -1) : -1
            return .score(patientID: patientID, day: day, instrument: index, score: score, item9: item9)
        }
    }

    /// Checks `record` and adds it to `batch`, as a row to store or as a reject.
    func stage(_ record: CSVRecord, into batch: inout IngestBatch) {
        switch validate(record) {
        case .rejected(let reject):
            batch.rejects.append(StagedReject(record: Int32(record.number), reject: reject, raw: RecordValidator.rawBytes(of: record)))
        case let .session(patientID, day, modality, site, sessionID):
            batch.rows.append(StagedRow(record: Int32(record.number), patient: batch.append(patientID), day: day.ordinal,
                                        subject: modality, site: batch.append(site),
                                        sessionID: sessionID.map { batch.append($0) } ?? .none, score: 0, item9: -1,
                                        raw: batch.appendRaw(of: record)))
        case let .score(patientID, day, instrument, score, item9):
            batch.rows.append(StagedRow(record: Int32(record.number), patient: batch.append(patientID), day: day.ordinal,
                                        subject: instrument, site: .none, sessionID: .none, score: Int32(score), item9: item9,
                                        raw: batch.appendRaw(of: record)))
        }
    }

    /// The record's fields as one CSV line, byte for byte (invalid UTF-8 kept).
    static func rawBytes(of record: CSVRecord) -> [UInt8] {
        var bytes: [UInt8] = []
        appendRaw(of: record, to: &bytes)
        return bytes
    }

    static func appendRaw(of record: CSVRecord, to bytes: inout [UInt8]) {
        for index in 0..<record.count {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            let field = record[index]
            guard field.contains(where: needsQuoting) else {
                bytes.append(contentsOf: field)   // the common case: one copy
                continue
            }
            bytes.append(UInt8(ascii: "\""))
            for byte in field {
                if byte == UInt8(ascii: "\"") { bytes.append(byte) }
                bytes.append(byte)
            }
            bytes.append(UInt8(ascii: "\""))
        }
    }

    private static func needsQuoting(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: ",") || byte == UInt8(ascii: "\"") || byte == 0x0A || byte == 0x0D
    }

    private func encodingReject(_ record: CSVRecord) -> RejectedRecord? {
        guard !record.isASCII else { return nil }
        for index in 0..<record.count where !FieldRules.isUTF8(record[index]) {
            let column = columnName(index)
            return RejectedRecord(.badEncoding, column: column, "\(column) holds bytes that are not UTF-8")
        }
        return nil
    }

    private func shapeReject(_ record: CSVRecord) -> RejectedRecord? {
        guard record.count != layout.columnNames.count else { return nil }
        return RejectedRecord(.malformedRecord, column: nil,
                              "the record has \(record.count) field\(record.count == 1 ? "" : "s"); the header has \(layout.columnNames.count)")
    }

    private func missingReject(_ record: CSVRecord) -> RejectedRecord? {
        for index in layout.requiredColumns where record[index].isEmpty {
            let column = layout.columnNames[index]
            return RejectedRecord(.missingField, column: column, "\(column) is empty")
        }
        return nil
    }

    private func columnName(_ index: Int) -> String {
        index < layout.columnNames.count ? layout.columnNames[index] : "field \(index + 1)"
    }

    private func hint(_ bytes: UnsafeBufferPointer<UInt8>, _ kind: Catalog.NameKind) -> String {
        let suggestions = catalog.closestNames(to: String(decoding: bytes, as: UTF8.self), among: kind)
        return suggestions.isEmpty ? "" : " (did you mean \(suggestions.prefix(3).joined(separator: ", "))?)"
    }
}


/// A short, quoted, printable sample of a value for a reject's detail: at most
/// 40 characters, control characters shown as `?`.
func quotedSample(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
    let text = String(decoding: bytes, as: UTF8.self)
    var sample = String(text.unicodeScalars.prefix(40).map { $0.value < 0x20 || $0.value == 0x7F ? "?" : Character($0) })
    if text.unicodeScalars.count > 40 { sample += "…" }
    return "\"\(sample)\""
}

/// Remembers what a raw spelling (`Ketamine Infusion`, `PHQ-9`, a site)
/// resolved to, so that each distinct spelling is resolved once per file
/// rather than once per row. Exports hold a handful of spellings, so the
/// first few are kept in a short list compared byte for byte (no hashing, no
/// allocation); past that a dictionary keeps lookups constant-time, even for
/// a hostile file where every row spells something new.
struct SpellingCache<Value> {
    private static var listLimit: Int { 16 }
    /// Bounds memory on a file of endless distinct spellings.
    private static var overflowLimit: Int { 1 << 16 }
    private var list: [(bytes: [UInt8], value: Value)] = []
    private var overflow: [[UInt8]: Value] = [:]

    mutating func value(for bytes: UnsafeBufferPointer<UInt8>, resolve: (String) -> Value) -> Value {
        for entry in list where entry.bytes.count == bytes.count && entry.bytes.elementsEqual(bytes) {
            return entry.value
        }
        let key = Array(bytes)
        if let value = overflow[key] { return value }
        let value = resolve(String(decoding: bytes, as: UTF8.self))
        if list.count < Self.listLimit {
            list.append((key, value))
        } else if overflow.count < Self.overflowLimit {
            overflow[key] = value
        }
        return value
    }
}
