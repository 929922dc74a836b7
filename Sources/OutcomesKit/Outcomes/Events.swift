/// One treatment session as the outcome engine sees it: small integers only,
/// so millions of them sort and group quickly. (Catalogue positions are
/// `Int` in every API; they are stored in 32 bits here, where millions of
/// events sit in memory at once.)
public struct SessionEvent: Hashable, Sendable {
    /// Opaque patient key (the store's patient row id).
    public var patient: Int32
    private var modalityPosition: Int32
    public var day: Day
    /// Position of the site's name in `OutcomeInput.siteNames`.
    public var site: Int32

    /// Position of the modality in `Catalog.modalities`.
    public var modality: Int {
        get { Int(modalityPosition) }
        set { modalityPosition = Int32(newValue) }
    }

    public init(patient: Int32, modality: Int, day: Day, site: Int32) {
        self.patient = patient
        modalityPosition = Int32(modality)
        self.day = day
        self.site = site
    }
}

/// One administered rating scale.
public struct ScoreEvent: Hashable, Sendable {
    public var patient: Int32
    private var instrumentPosition: Int32
    public var day: Day
    public var score: Int32
    /// PHQ-9 item 9 (0–3), or -1 when missing.
    public var item9: Int8

    /// Position of the instrument in `Catalog.instruments`.
    public var instrument: Int {
        get { Int(instrumentPosition) }
        set { instrumentPosition = Int32(newValue) }
    }

    public init(patient: Int32, instrument: Int, day: Day, score: Int32, item9: Int8 = -1) {
        self.patient = patient
        instrumentPosition = Int32(instrument)
        self.day = day
        self.score = score
        self.item9 = item9
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
