/// A treatment offered by the practice, with the rules that turn its
/// sessions into courses (DATA-CONTRACT §4–5).
public struct Modality: Hashable, Sendable {
    /// Canonical lower-case id used in the store and in `outcomes.csv` (`tms`).
    public var id: String
    /// Display name (`TMS`).
    public var name: String
    /// Other spellings accepted in the `modality` column, case-insensitive.
    public var aliases: [String]
    /// Instrument ids judged for this modality, in report order.
    public var instruments: [String]
    /// `n`: sessions in an acute course (nil: no fixed acute course).
    public var acuteSessions: Int?
    /// `h`: a course is judged at most this many days after its start.
    public var horizonDays: Int?
    /// A session more than this many days after the previous one starts a new course.
    public var gapDays: Int
    /// `g`: days after the acute phase (or the last session) within which
    /// follow-up scores count.
    public var followUpDays: Int
    /// `R`: days in treatment that count as retained (nil: retention not reported).
    public var retentionDays: Int?
    /// The instrument the report's headline sentences use (nil: the first listed).
    public var headlineInstrument: String?

    public init(id: String, name: String, aliases: [String], instruments: [String],
                acuteSessions: Int?, horizonDays: Int?, gapDays: Int, followUpDays: Int,
                retentionDays: Int?, headlineInstrument: String? = nil) {
        self.id = id
        self.name = name
        self.aliases = aliases
        self.instruments = instruments
        self.acuteSessions = acuteSessions
        self.horizonDays = horizonDays
        self.gapDays = gapDays
        self.followUpDays = followUpDays
        self.retentionDays = retentionDays
        self.headlineInstrument = headlineInstrument
    }

    /// The instrument the report leads with for this modality.
    public var primaryInstrument: String { headlineInstrument ?? instruments[0] }
}
