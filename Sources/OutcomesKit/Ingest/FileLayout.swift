/// The two kinds of export the tool reads (DATA-CONTRACT §1).
public enum FileKind: String, Sendable, Codable {
    /// One row per treatment session; its header has `session_date`.
    case sessions
    /// One row per administered rating scale; its header has `assessment_date`.
    case scores
}

/// Where each column of a file is, read from its header (DATA-CONTRACT §1).
public struct FileLayout: Sendable, Equatable {
    public let kind: FileKind
    /// Header names, lower-cased, in file order.
    public let columnNames: [String]
    public let patientID: Int
    /// `session_date` or `assessment_date`.
    public let date: Int
    /// `modality` or `instrument`; nil in a wide or item-level export.
    public let subject: Int?
    /// Sessions: `site`, optional.
    public let site: Int?
    /// Sessions: `session_id`, optional; when present it keys the session.
    public let sessionID: Int?
    /// Scores: `score`.
    public let score: Int?
    /// Scores: `item9`, optional.
    public let item9: Int?
    /// A separate time-of-day column joined to the date (mapped sources only).
    public let time: Int?

    /// Columns that must hold a value in every record.
    public var requiredColumns: [Int] {
        [patientID, date] + [subject, score, sessionID].compactMap { $0 }
    }

    /// A score a row of a wide or item-level export yields, with its columns' positions.
    public struct RowScore: Sendable, Equatable {
        public let instrument: String
        public let total: Int?
        public let items: [Int]
        public let item9: Int?
        public let prorateMissing: Int
        public let itemRange: ClosedRange<Int>
    }

    /// The scores each row yields (mapped wide or item-level exports); empty: one per row.
    public let rowScores: [RowScore]

    /// Header names that, lower-cased with all but ASCII letters and digits
    /// removed, are direct identifiers: a file with one is refused.
    public static let directIdentifiers: Set<String> = [
        "name", "firstname", "lastname", "fullname", "patientname", "dob", "dateofbirth", "birthdate",
        "ssn", "socialsecuritynumber", "mrn", "medicalrecordnumber", "phone", "phonenumber", "email",
        "emailaddress", "address", "streetaddress", "street", "zip", "zipcode", "postalcode",
    ]

    /// Reads the header record. Throws a refusal naming what is wrong, in the
    /// contract's order: not UTF-8, neither or both date columns, a required column
    /// missing, a column named twice, a direct identifier.
    init(header: CSVRecord) throws(IngestError) {
        for index in 0..<header.count where !FieldRules.isUTF8(header[index]) {
            throw IngestError.headerNotUTF8(column: index + 1)
        }
        let names = (0..<header.count).map { header.string($0).lowercased() }
        func column(_ name: String) -> Int? { names.firstIndex(of: name) }

        let sessionDate = column("session_date"), assessmentDate = column("assessment_date")
        let kind: FileKind
        switch (sessionDate, assessmentDate) {
        case (.some, .some): throw IngestError.bothDateColumns
        case (.none, .none): throw IngestError.noDateColumn
        case (.some, .none): kind = .sessions
        case (.none, .some): kind = .scores
        }

        let required = kind == .sessions ? ["patient_id", "session_date", "modality"]
                                         : ["patient_id", "assessment_date", "instrument", "score"]
        let missing = required.filter { column($0) == nil }
        guard missing.isEmpty else {
            throw IngestError.missingColumns(kind: kind, columns: missing)
        }

        var seen = Set<String>()
        for name in names where !name.isEmpty {
            guard seen.insert(name).inserted else { throw IngestError.columnNamedTwice(name) }
        }

        try FileLayout.refuseIdentifiers(names)
        self.kind = kind
        columnNames = names
        patientID = column("patient_id")!
        date = (sessionDate ?? assessmentDate)!
        subject = column(kind == .sessions ? "modality" : "instrument")!
        site = kind == .sessions ? column("site") : nil
        sessionID = kind == .sessions ? column("session_id") : nil
        score = kind == .scores ? column("score") : nil
        item9 = kind == .scores ? column("item9") : nil
        time = nil
        rowScores = []
    }

    /// Reads the header of a file that `mapping` describes (§11): each
    /// contract column is found under the header the mapping names, or its own
    /// name. A named header the file lacks refuses the file, naming both; an
    /// identifier column refuses it, mapped or not.
    init(header: CSVRecord, mapping: SourceMapping) throws(IngestError) {
        for index in 0..<header.count where !FieldRules.isUTF8(header[index]) {
            throw IngestError.headerNotUTF8(column: index + 1)
        }
        let names = (0..<header.count).map { header.string($0).trimmingWhitespace().lowercased() }
        var seen = Set<String>()
        for name in names where !name.isEmpty {
            guard seen.insert(name).inserted else { throw IngestError.columnNamedTwice(name) }
        }
        try FileLayout.refuseIdentifiers(names)
        for (column, source) in mapping.columns.sorted(by: { $0.key < $1.key }) where !names.contains(source) {
            throw IngestError.mappedColumnMissing(source: mapping.name, column: column, header: source)
        }
        func column(_ name: String) -> Int? { names.firstIndex(of: mapping.header(of: name)) }
        let kind = mapping.kind
        let dateName = kind == .sessions ? "session_date" : "assessment_date"
        let perRow = !mapping.scoresPerRow.isEmpty
        // A wide or item-level source needs no instrument or score column.
        let required = kind == .sessions ? ["patient_id", dateName, "modality"]
            : perRow ? ["patient_id", dateName] : ["patient_id", dateName, "instrument", "score"]
        let missing = required.filter { column($0) == nil }
        guard missing.isEmpty else { throw IngestError.missingColumns(kind: kind, columns: missing) }
        self.kind = kind
        columnNames = names
        patientID = column("patient_id")!
        date = column(dateName)!
        subject = perRow ? nil : column(kind == .sessions ? "modality" : "instrument")!
        site = kind == .sessions ? column("site") : nil
        sessionID = kind == .sessions ? column("session_id") : nil
        score = kind == .scores && !perRow ? column("score") : nil
        item9 = kind == .scores && !perRow ? column("item9") : nil
        time = column("time")
        func position(_ header: String, for score: SourceMapping.RowScore) throws(IngestError) -> Int {
            guard let index = names.firstIndex(of: header) else {
                throw IngestError.mappedColumnMissing(source: mapping.name, column: score.instrument, header: header)
            }
            return index
        }
        var rowScores: [RowScore] = []
        for score in mapping.scoresPerRow {
            switch score.source {
            case .total(let header):
                rowScores.append(RowScore(instrument: score.instrument, total: try position(header, for: score), items: [], item9: nil,
                                          prorateMissing: 0, itemRange: 0...0))
            case .items(let columns, let item9, let prorate, let range):
                var items: [Int] = []
                for header in columns { items.append(try position(header, for: score)) }
                rowScores.append(RowScore(instrument: score.instrument, total: nil, items: items,
                                          item9: try item9.map { header throws(IngestError) in try position(header, for: score) },
                                          prorateMissing: prorate, itemRange: range))
            }
        }
        self.rowScores = rowScores
    }

    /// Refuses a header with a direct identifier (DATA-CONTRACT §1).
    static func refuseIdentifiers(_ names: [String]) throws(IngestError) {
        for name in names {
            let squeezed = String(decoding: name.utf8.filter { ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) }, as: UTF8.self)
            if FileLayout.directIdentifiers.contains(squeezed) {
                throw IngestError.directIdentifier(column: name)
            }
        }

    }
}
