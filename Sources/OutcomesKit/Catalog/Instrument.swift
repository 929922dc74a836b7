/// How an instrument defines a response (DATA-CONTRACT §3). Every instrument is
/// "higher is worse".
public enum ResponseRule: Hashable, Sendable, CustomStringConvertible {
    /// A fall of at least `percent` % of the room above the floor:
    /// `(b − e) · 100 ≥ p · (b − f)`.
    case percent(Int)
    /// A fall of at least `points` points: `b − e ≥ k`.
    case points(Int)

    public var description: String {
        switch self {
        case .percent(let percent): return "≥ \(percent) %"
        case .points(let points): return "≥ \(points) points"
        }
    }
}

/// A rating scale (PHQ-9, MADRS, …) with its range and outcome thresholds
/// (DATA-CONTRACT §3).
public struct Instrument: Hashable, Sendable {
    /// LOINC codes of total scores (DATA-CONTRACT §11, FHIR): code → instrument id.
    public static let loincCodes = ["44261-6": "phq9", "70274-6": "gad7"]

    /// Canonical lower-case id used in the store and in `outcomes.csv` (`phq9`).
    public var id: String
    /// Short display name (`PHQ-9`).
    public var name: String
    /// What the scale measures, for the report's Methods section.
    public var measures: String
    /// Other spellings accepted in the `instrument` column, case-insensitive.
    public var aliases: [String]
    /// Lowest possible total.
    public var floor: Int
    /// Highest possible total.
    public var max: Int
    /// A course is judged only when its baseline is at least this.
    public var minBaseline: Int
    public var response: ResponseRule
    /// Remission when the endpoint is at most this; nil when the scale has none.
    public var remission: Int?
    /// Reliable change in points; nil when the scale has none.
    public var reliableChange: Int?
    /// Whether the `item9` column is read for this scale (PHQ-9 item 9,
    /// thoughts of self-harm): the report's safety section.
    public var recordsItemNine: Bool

    public init(id: String, name: String, measures: String, aliases: [String], floor: Int, max: Int,
                minBaseline: Int, response: ResponseRule, remission: Int?, reliableChange: Int?,
                recordsItemNine: Bool = false) {
        self.id = id
        self.name = name
        self.measures = measures
        self.aliases = aliases
        self.floor = floor
        self.max = max
        self.minBaseline = minBaseline
        self.response = response
        self.remission = remission
        self.reliableChange = reliableChange
        self.recordsItemNine = recordsItemNine
    }

    /// Whether `score` is a possible total of this scale.
    public func accepts(score: Int) -> Bool { score >= floor && score <= max }
}
