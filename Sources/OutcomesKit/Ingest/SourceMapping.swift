/// How to read one layout of a real export as this project's rows
/// (DATA-CONTRACT §11, a pipeline's `sources:`): which header holds each
/// contract column, how the file is written, which date forms it uses, and
/// how its codes and labels map to the catalogue. Mapped rows then go
/// through §2 unchanged: the same checks, rejects, keys and whole-file loading.
public struct SourceMapping: Sendable, Equatable {
    /// Used in messages ("epic scores").
    public var name: String
    public var kind: FileKind
    /// `csv`, or `fhir-ndjson` (FHIR R4 Bulk Data).
    public var format: Format = .csv
    /// For FHIR: the zone values with an offset are converted to (the pipeline's `timezone`).
    public var timeZone: String?
    public var dialect: CSVDialect
    /// Contract column (`patient_id`, `assessment_date`, `time`, …) → the
    /// source's header, lower-cased; a column not listed is looked for under
    /// its own name.
    public var columns: [String: String]
    /// Accepted date forms, tried in order; empty: §1's own forms.
    public var dates: [DateForm]
    /// `modality` or `instrument` → (source value, trimmed and lower-cased → the value to look up).
    public var values: [String: [String: String]] {
        get { normalizedValues }
        set { normalizedValues = Self.normalized(newValue) }
    }
    private var normalizedValues: [String: [String: String]] = [:]
    /// Several scores per row (§11 `layout: wide` and `items`), in the order
    /// given; empty: one score per row (`layout: long`).
    public var scoresPerRow: [RowScore] = []

    /// One score a row of a wide or item-level export yields.
    public struct RowScore: Sendable, Equatable {
        /// Instrument id.
        public var instrument: String
        public var source: Source

        public enum Source: Sendable, Equatable {
            /// The total, in one column (header, lower-cased).
            case total(column: String)
            /// Item answers summed into the total, each within `itemRange`; up
            /// to `prorateMissing` empty items are prorated; `item9` feeds §1's item9.
            case items(columns: [String], item9: String?, prorateMissing: Int, itemRange: ClosedRange<Int>)
        }

        public init(instrument: String, source: Source) {
            self.instrument = instrument
            self.source = source
        }
    }

    public init(name: String, kind: FileKind, dialect: CSVDialect = .standard, columns: [String: String] = [:],
                dates: [DateForm] = [], values: [String: [String: String]] = [:]) {
        self.name = name
        self.kind = kind
        self.dialect = dialect
        self.columns = columns.mapValues { $0.lowercased() }
        self.dates = dates
        normalizedValues = Self.normalized(values)
    }

    /// Value maps keyed as fields are compared: trimmed, lower-cased.
    static func normalized(_ values: [String: [String: String]]) -> [String: [String: String]] {
        values.mapValues { map in
            Dictionary(map.map { ($0.key.trimmingWhitespace().lowercased(), $0.value) }, uniquingKeysWith: { first, _ in first })
        }
    }

    public enum Format: String, Sendable, Equatable { case csv, fhirNDJSON = "fhir-ndjson" }

    /// The contract columns a source may map.
    public static func contractColumns(for kind: FileKind) -> [String] {
        kind == .sessions ? ["patient_id", "session_date", "time", "modality", "site", "session_id"]
                          : ["patient_id", "assessment_date", "time", "instrument", "score", "item9"]
    }

    /// The header a contract column is read from.
    func header(of column: String) -> String { columns[column] ?? column }

    /// A field of `modality` or `instrument` after the value map, or nil when unmapped.
    func mappedValue(_ column: String, _ value: String) -> String? {
        normalizedValues[column]?[value.trimmingWhitespace().lowercased()]
    }
}
