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
    /// Sessions that finish the protocol (DATA-CONTRACT §6 completers); nil:
    /// every evaluable course counts as completed.
    public var completionSessions: Int?
    /// `h`: a course is judged at most this many days after its start.
    public var horizonDays: Int?
    /// A session more than this many days after the previous one starts a new course.
    public var gapDays: Int
    /// `g`: days after the acute phase (or the last session) within which
    /// follow-up scores count.
    public var followUpDays: Int
    /// `R`: days in treatment that count as retained (nil: retention not reported).
    public var retentionDays: Int?
    /// Dose-anchored time points after the first session (DATA-CONTRACT §6b), in report order.
    public var timePoints: [TimePoint]
    /// The measure the report's sentence for the modality leads with.
    public var headline: Headline
    /// Lower bounds of the bins of "outcomes by sessions received", ascending
    /// from 1 (`[1, 20, 30, 36]`: 1–19, 20–29, 30–35, 36+); empty: no such view.
    public var sessionBins: [Int]

    public init(id: String, name: String, aliases: [String], instruments: [String],
                acuteSessions: Int?, completionSessions: Int? = nil, horizonDays: Int?, gapDays: Int, followUpDays: Int,
                retentionDays: Int?, timePoints: [TimePoint] = [], headline: Headline? = nil, sessionBins: [Int] = []) {
        self.sessionBins = sessionBins
        self.id = id
        self.name = name
        self.aliases = aliases
        self.instruments = instruments
        self.acuteSessions = acuteSessions
        self.completionSessions = completionSessions
        self.horizonDays = horizonDays
        self.gapDays = gapDays
        self.followUpDays = followUpDays
        self.retentionDays = retentionDays
        self.timePoints = timePoints
        self.headline = headline ?? .instrument(instruments.first ?? "")
    }

    /// The scale the report's tables and charts use for the modality: the
    /// headline instrument, or the first scale listed when the headline is
    /// retention.
    public var primaryInstrument: String {
        if case .instrument(let id) = headline { return id }
        return instruments[0]
    }

    /// Whether the headline is retention (opioid replacement, long-acting injectables).
    public var leadsWithRetention: Bool { headline == .retention }
}

/// What a modality's headline sentence leads with (DATA-CONTRACT §4).
public enum Headline: Hashable, Sendable, CustomStringConvertible {
    /// An instrument id.
    case instrument(String)
    /// Retention (§9).
    case retention

    public var description: String {
        switch self {
        case .instrument(let id): return id
        case .retention: return "retention"
        }
    }
}

/// A time after the first session's start at which a score is read
/// (DATA-CONTRACT §6b): `4h` targets 4 hours and accepts 2 to 8.
public struct TimePoint: Hashable, Sendable {
    /// How reports name it (`4h`).
    public var label: String
    /// Seconds after the first session's start.
    public var target: Int
    public var earliest: Int
    public var latest: Int

    public init(label: String, targetHours: Double, earliestHours: Double, latestHours: Double) {
        self.label = label
        target = Int((targetHours * 3600).rounded())
        earliest = Int((earliestHours * 3600).rounded())
        latest = Int((latestHours * 3600).rounded())
    }

    /// Hours, for display: "4", "0.5".
    public static func hours(_ seconds: Int) -> String {
        seconds % 3600 == 0 ? "\(seconds / 3600)" : NumberFormat.fixed(Double(seconds) / 3600, decimals: 2)
    }
}
