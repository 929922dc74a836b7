/// One treatment session as the outcome engine sees it: small integers only,
/// so millions of them sort and group quickly. (Catalogue positions are
/// `Int` in every API; they are stored in 32 bits here, where millions of
/// events sit in memory at once.)
public struct SessionEvent: Hashable, Sendable {
    /// Opaque patient key (the store's patient row id).
    public var patient: Int32
    private var modalityPosition: Int32
    public var day: Day
    /// Seconds since midnight, or -1 when the export gave no time.
    public var time: Int32
    /// Position of the site's name in `OutcomeInput.siteNames`.
    public var site: Int32

    /// Position of the modality in `Catalog.modalities`.
    public var modality: Int {
        get { Int(modalityPosition) }
        set { modalityPosition = Int32(newValue) }
    }

    public init(patient: Int32, modality: Int, day: Day, time: Int32 = -1, site: Int32) {
        self.patient = patient
        modalityPosition = Int32(modality)
        self.day = day
        self.time = time
        self.site = site
    }

    /// The date and time as written.
    public var value: DateTimeValue { DateTimeValue(day: day, storedTime: time) }
    /// Seconds since 1970-01-01 00:00 (local): the start of its date when untimed.
    public var instant: Int64 { Int64(day.ordinal) * 86_400 + Int64(max(time, 0)) }
    public var isTimed: Bool { time >= 0 }
}

/// One administered rating scale.
public struct ScoreEvent: Hashable, Sendable {
    public var patient: Int32
    private var instrumentPosition: Int32
    public var day: Day
    /// Seconds since midnight, or -1 when the export gave no time.
    public var time: Int32
    public var score: Int32
    /// PHQ-9 item 9 (0–3), or -1 when missing.
    public var item9: Int8

    /// Position of the instrument in `Catalog.instruments`.
    public var instrument: Int {
        get { Int(instrumentPosition) }
        set { instrumentPosition = Int32(newValue) }
    }

    public init(patient: Int32, instrument: Int, day: Day, time: Int32 = -1, score: Int32, item9: Int8 = -1) {
        self.patient = patient
        instrumentPosition = Int32(instrument)
        self.day = day
        self.time = time
        self.score = score
        self.item9 = item9
    }

    /// The date and time as written.
    public var value: DateTimeValue { DateTimeValue(day: day, storedTime: time) }
    /// Seconds since 1970-01-01 00:00 (local): the start of its date when untimed.
    public var instant: Int64 { Int64(day.ordinal) * 86_400 + Int64(max(time, 0)) }
    public var isTimed: Bool { time >= 0 }

    /// DATA-CONTRACT §5: scores in instant order; at one instant the untimed score first.
    public static func precedes(_ a: ScoreEvent, _ b: ScoreEvent) -> Bool {
        (a.instant, a.isTimed ? 1 : 0) < (b.instant, b.isTimed ? 1 : 0)
    }
}

/// Everything the engine needs, with no database or file behind it.
public struct OutcomeInput: Sendable {
    public var sessions: [SessionEvent]
    public var scores: [ScoreEvent]
    /// Site names by `SessionEvent.site`; "" for a session without a site.
    public var siteNames: [String]
    /// Earliest session day in the store, whatever its modality: the start of
    /// the `all` window (DATA-CONTRACT §8). When nil, the earliest of `sessions` is used.
    public var firstSessionDay: Day?

    public init(sessions: [SessionEvent], scores: [ScoreEvent], siteNames: [String], firstSessionDay: Day? = nil) {
        self.sessions = sessions
        self.scores = scores
        self.siteNames = siteNames
        self.firstSessionDay = firstSessionDay
    }
}
