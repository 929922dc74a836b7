/// A record that passed every check that needs no store. Its byte fields are
/// views into the reader's buffer, valid only while the record is (so the
/// type is internal and used only inside `RecordValidator.stage`).
enum ValidatedRecord {
    /// `modality` is the modality's position in the catalogue.
    case session(patientID: UnsafeBufferPointer<UInt8>, date: DateTimeValue, modality: Int,
                 site: UnsafeBufferPointer<UInt8>, sessionID: UnsafeBufferPointer<UInt8>?)
    /// `instrument` is the instrument's position in the catalogue.
    case score(patientID: UnsafeBufferPointer<UInt8>, date: DateTimeValue, instrument: Int, score: Int, item9: Int8)
    case rejected(RejectedRecord)
}

/// DATA-CONTRACT §2 checks of one data record, in the contract's order, up
/// to `score_out_of_range`. (`conflicting_duplicate` needs the store.)
final class RecordValidator {
    let layout: FileLayout
    /// `layout.requiredColumns`, computed once rather than per record.
    private let requiredColumns: [Int]
    let catalog: Catalog
    /// Spelling → catalogue position, or the reject for an unknown name.
    private var modalities = SpellingCache<NameResolution>()
    private var instruments = SpellingCache<NameResolution>()
    /// Distinct modality and instrument spellings looked up in the catalogue.
    var nameResolutions: Int { modalities.resolutions + instruments.resolutions }
    /// The instrument whose item 9 is read (PHQ-9), if the catalogue has one.
    private let itemNineInstrument: Int?

    /// The source mapping the file is read with (§11), if any.
    let mapping: SourceMapping?
    /// A mapped date and its time column joined as `DATE TIME`, reused row after row.
    private var joined: [UInt8] = []

    init(layout: FileLayout, catalog: Catalog, mapping: SourceMapping? = nil) {
        self.layout = layout
        requiredColumns = layout.requiredColumns
        self.catalog = catalog
        self.mapping = mapping
        itemNineInstrument = catalog.itemNineInstrument
    }

    /// The record's date and time: §1's forms, or a mapped source's forms,
    /// with its time column joined to the date when it holds a value.
    private func dateValue(_ record: CSVRecord) -> DateTimeValue? {
        guard let mapping, !mapping.dates.isEmpty || layout.time != nil else { return DateTimeValue(contract: record[layout.date]) }
        let bytes = record[layout.date]
        if let time = layout.time, !record[time].isEmpty {
            joined.removeAll(keepingCapacity: true)
            joined.append(contentsOf: bytes)
            joined.append(UInt8(ascii: " "))
            joined.append(contentsOf: record[time])
            return joined.withUnsafeBufferPointer { joinedBytes in
                mapping.dates.isEmpty ? DateTimeValue(contract: joinedBytes) : DateForm.parse(joinedBytes, forms: mapping.dates)
            }
        }
        return mapping.dates.isEmpty ? DateTimeValue(contract: bytes) : DateForm.parse(bytes, forms: mapping.dates)
    }

    /// Why a date is bad, in a reject's short detail.
    private func badDateDetail(_ column: String) -> String {
        guard let mapping, !mapping.dates.isEmpty else {
            return "\(column) is not a real date written YYYY-MM-DD, with an optional time THH:MM or THH:MM:SS"
        }
        return "\(column) is no real date in the source's date forms"
    }

    /// §2's checks every record shares, in the contract's order: encoding,
    /// shape, empty required fields, the patient id, the date.
    private enum Shared {
        case passed(patientID: UnsafeBufferPointer<UInt8>, date: DateTimeValue)
        case rejected(RejectedRecord)
    }

    private func patientAndDate(_ record: CSVRecord) -> Shared {
        if let reject = encodingReject(record) ?? shapeReject(record) ?? missingReject(record) { return .rejected(reject) }
        let patientID = record[layout.patientID]
        if let problem = FieldRules.patientIDProblem(patientID) {
            return .rejected(RejectedRecord(.badPatientID, column: "patient_id", problem))
        }
        let dateColumn = layout.columnNames[layout.date]
        guard let date = dateValue(record) else {
            return .rejected(RejectedRecord(.badDate, column: dateColumn, badDateDetail(dateColumn)))
        }
        return .passed(patientID: patientID, date: date)
    }

    func validate(_ record: CSVRecord) -> ValidatedRecord {
        let patientID: UnsafeBufferPointer<UInt8>, date: DateTimeValue
        switch patientAndDate(record) {
        case .rejected(let reject): return .rejected(reject)
        case .passed(let id, let day): (patientID, date) = (id, day)
        }
        let subject = record[layout.subject!]
        switch layout.kind {
        case .sessions:
            switch modalities.value(for: subject, resolve: { resolveModality(mapping?.mappedValue("modality", $0) ?? $0) }) {
            case .unknown(let reject): return .rejected(reject)
            case .known(let modality):
                return .session(patientID: patientID, date: date, modality: modality,
                                site: layout.site.map { record[$0] } ?? UnsafeBufferPointer(start: nil, count: 0),
                                sessionID: layout.sessionID.map { record[$0] })
            }
        case .scores:
            let index: Int
            switch instruments.value(for: subject, resolve: { resolveInstrument(mapping?.mappedValue("instrument", $0) ?? $0) }) {
            case .unknown(let reject): return .rejected(reject)
            case .known(let known): index = known
            }
            let instrument = catalog.instruments[index]
            let scoreBytes = record[layout.score!]
            guard let score = FieldRules.integer(scoreBytes) else {
                return .rejected(RejectedRecord(.badScore, column: "score", "score \(RejectDetail.score(scoreBytes)) is not a whole number"))
            }
            guard instrument.accepts(score: score) else {
                return .rejected(RejectedRecord(.scoreOutOfRange, column: "score",
                                                "score \(RejectDetail.score(scoreBytes)) is outside \(instrument.name)'s range \(instrument.floor)–\(instrument.max)"))
            }
            let item9 = index == itemNineInstrument ? (layout.item9.map { FieldRules.item9(record[$0]) } ?? -1) : -1
            return .score(patientID: patientID, date: date, instrument: index, score: score, item9: item9)
        }
    }

    /// Checks `record` and adds what it yields to `batch`, as rows to store or
    /// as rejects; returns how many records that is (one, or for a wide or
    /// item-level export one per score the row holds, each its own record).
    @discardableResult
    func stage(_ record: CSVRecord, into batch: inout IngestBatch) -> Int {
        guard layout.rowScores.isEmpty else { return stageRowScores(record, into: &batch) }
        stage(validate(record), of: record, into: &batch)
        return 1
    }

    private func stage(_ validated: ValidatedRecord, of record: CSVRecord, into batch: inout IngestBatch) {
        switch validated {
        case .rejected(let reject):
            batch.appendReject(StagedReject(record: record.number, reject: reject, raw: RecordValidator.rawBytes(of: record)))
        case let .session(patientID, date, modality, site, sessionID):
            batch.rows.append(StagedRow(record: record.number, patient: batch.append(patientID), day: date.day.ordinal,
                                        time: date.storedTime, subject: modality, site: batch.append(site),
                                        sessionID: sessionID.map { batch.append($0) } ?? .none, score: 0, item9: -1,
                                        raw: batch.appendRaw(of: record)))
        case let .score(patientID, date, instrument, score, item9):
            batch.rows.append(StagedRow(record: record.number, patient: batch.append(patientID), day: date.day.ordinal,
                                        time: date.storedTime, subject: instrument, site: .none, sessionID: .none, score: Int32(score), item9: item9,
                                        raw: batch.appendRaw(of: record)))
        }
    }

    /// A wide or item-level row (§11): one score per mapped instrument that
    /// has a value, each checked as its own record, numbered by the row.
    private func stageRowScores(_ record: CSVRecord, into batch: inout IngestBatch) -> Int {
        var yielded = 0
        for score in layout.rowScores {
            let fields = score.total.map { [$0] } ?? score.items
            guard fields.contains(where: { !record[$0].isEmpty }) else { continue }   // nothing for this instrument
            yielded += 1
            stage(validateRowScore(score, record), of: record, into: &batch)
        }
        return yielded
    }

    /// One score of a wide or item-level row, through §2's checks in order.
    private func validateRowScore(_ score: FileLayout.RowScore, _ record: CSVRecord) -> ValidatedRecord {
        let patientID: UnsafeBufferPointer<UInt8>, date: DateTimeValue
        switch patientAndDate(record) {
        case .rejected(let reject): return .rejected(reject)
        case .passed(let id, let day): (patientID, date) = (id, day)
        }
        guard let index = catalog.instrumentIndex(id: score.instrument) else {
            return .rejected(RejectedRecord(.unknownInstrument, column: "instrument", "instrument \(score.instrument) is not in the catalogue"))
        }
        let instrument = catalog.instruments[index]
        let total: Int
        if let column = score.total {
            guard let value = FieldRules.integer(record[column]) else {
                return .rejected(RejectedRecord(.badScore, column: layout.columnNames[column],
                                                "\(layout.columnNames[column]) \(RejectDetail.score(record[column])) is not a whole number"))
            }
            total = value
        } else {
            var sum = 0, answered = 0
            for column in score.items where !record[column].isEmpty {
                let name = layout.columnNames[column]
                guard let item = FieldRules.integer(record[column]) else {
                    return .rejected(RejectedRecord(.badScore, column: name, "item \(name) \(RejectDetail.score(record[column])) is not a whole number"))
                }
                guard score.itemRange.contains(item) else {
                    return .rejected(RejectedRecord(.scoreOutOfRange, column: name,
                                                    "item \(name) is outside \(score.itemRange.lowerBound)–\(score.itemRange.upperBound)"))
                }
                sum += item
                answered += 1
            }
            let missing = score.items.count - answered
            guard missing <= score.prorateMissing else {
                return .rejected(RejectedRecord(.missingField, column: instrument.id,
                                                "\(missing) of \(score.items.count) \(instrument.name) items are empty; at most \(score.prorateMissing) may be"))
            }
            // Prorated: the mean answer for each empty item, rounded half up (§11).
            total = missing == 0 ? sum : (2 * sum * score.items.count + answered) / (2 * answered)
        }
        guard instrument.accepts(score: total) else {
            return .rejected(RejectedRecord(.scoreOutOfRange, column: instrument.id,
                                            "score \(total) is outside \(instrument.name)'s range \(instrument.floor)–\(instrument.max)"))
        }
        let item9 = index == itemNineInstrument ? (score.item9.map { FieldRules.item9(record[$0]) } ?? -1) : -1
        return .score(patientID: patientID, date: date, instrument: index, score: total, item9: item9)
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
        for index in requiredColumns where record[index].isEmpty {
            let column = layout.columnNames[index]
            return RejectedRecord(.missingField, column: column, "\(column) is empty")
        }
        return nil
    }

    private func columnName(_ index: Int) -> String {
        index < layout.columnNames.count ? layout.columnNames[index] : "field \(index + 1)"
    }

    /// Resolved once per distinct spelling (SpellingCache), so a file of a
    /// million rows with one misspelt modality computes its suggestion once.
    private func resolveModality(_ name: String) -> NameResolution {
        if let index = catalog.modality(named: name).flatMap({ catalog.modalityIndex(id: $0.id) }) { return .known(index) }
        return .unknown(RejectedRecord(.unknownModality, column: "modality",
                                       "modality \(RejectDetail.name(name)) is not in the catalogue\(hint(name, .modality))"))
    }

    private func resolveInstrument(_ name: String) -> NameResolution {
        if let index = catalog.instrument(named: name).flatMap({ catalog.instrumentIndex(id: $0.id) }) { return .known(index) }
        return .unknown(RejectedRecord(.unknownInstrument, column: "instrument",
                                       "instrument \(RejectDetail.name(name)) is not in the catalogue\(hint(name, .instrument))"))
    }

    private func hint(_ name: String, _ kind: Catalog.NameKind) -> String {
        // A value far longer than any name cannot be a typo of one.
        guard name.count <= 40 else { return "" }
        let suggestions = catalog.closestNames(to: name, among: kind)
        return suggestions.isEmpty ? "" : " (did you mean \(suggestions.prefix(3).joined(separator: ", "))?)"
    }
}

/// What a modality or instrument spelling resolved to.
enum NameResolution {
    case known(Int)
    case unknown(RejectedRecord)
}

/// Remembers what a raw spelling (`Ketamine Infusion`, `PHQ-9`, a site)
/// resolved to, so that each distinct spelling is resolved once per file
/// rather than once per row. Exports hold a handful of spellings, so the
/// first few are kept in a short list compared byte for byte (no hashing, no
/// allocation); past that a dictionary keeps lookups constant-time, even for
/// a hostile file where every row spells something new. The dictionary is
/// bounded by the bytes of its keys, not their number, so a file of long
/// distinct values cannot grow it without limit.
struct SpellingCache<Value> {
    private static var listLimit: Int { 16 }
    /// Bytes of keys the dictionary may hold.
    static var byteLimit: Int { 4 << 20 }
    private var list: [(bytes: [UInt8], value: Value)] = []
    private var overflow: [[UInt8]: Value] = [:]
    /// Bytes of the keys the dictionary holds.
    private(set) var overflowBytes = 0
    /// Spellings resolved so far (each distinct one once, while it fits).
    private(set) var resolutions = 0

    mutating func value(for bytes: UnsafeBufferPointer<UInt8>, resolve: (String) -> Value) -> Value {
        for entry in list where entry.bytes.count == bytes.count && entry.bytes.elementsEqual(bytes) {
            return entry.value
        }
        let key = Array(bytes)
        if let value = overflow[key] { return value }
        resolutions += 1
        let value = resolve(String(decoding: bytes, as: UTF8.self))
        if list.count < Self.listLimit {
            list.append((key, value))
        } else if overflowBytes + key.count <= Self.byteLimit {
            overflow[key] = value
            overflowBytes += key.count
        }
        return value
    }
}
