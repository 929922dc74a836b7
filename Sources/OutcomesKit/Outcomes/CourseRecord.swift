/// A course evaluated as far as its patient's rows dated ≤ C allow, open or
/// closed: what the store keeps between runs (schema v5), so that a later
/// report reuses it instead of recomputing it.
///
/// Every value here is a function of the patient's rows dated ≤ C and of the
/// catalogue alone. So the record computed at cut C is also the record at any
/// cut C′ with no row of the patient dated between them (`ResultSpan`); only
/// whether the course is closed (`W ≤ C′`) depends on C′ itself, and it is
/// decided when the record is read (`evaluated(asOf:)`). An open course's
/// outcomes are computed too, from the scores dated ≤ C: when it closes at a
/// later C′ with no new row, its scores dated ≤ W are exactly those.
public struct CourseRecord: Hashable, Sendable {
    public let course: Course
    /// One per instrument of the modality, in instrument-id order.
    public let outcomes: [InstrumentOutcome]
    /// What the field views read from the patient's scores, per outcome (same order).
    public let times: [OutcomeEngine.ScoreTimes?]

    public init(course: Course, outcomes: [InstrumentOutcome], times: [OutcomeEngine.ScoreTimes?]) {
        self.course = course
        self.outcomes = outcomes
        self.times = times
    }

    /// The course as the report for cut `cut` sees it: outcomes only when
    /// it is closed (open courses are in no count, DATA-CONTRACT §5).
    public func evaluated(asOf cut: Day) -> EvaluatedCourse {
        let closed = course.isClosed(asOf: cut)
        return EvaluatedCourse(course: course, isClosed: closed, outcomes: closed ? outcomes : [])
    }

    /// The field views' score times as of `cut` (none for an open course).
    public func scoreTimes(asOf cut: Day) -> [OutcomeEngine.ScoreTimes?] {
        course.isClosed(asOf: cut) ? times : []
    }
}

/// The cuts over which a patient's course records hold: from the day of
/// the patient's last row dated ≤ C up to (not including) the day of the
/// first row dated after C. A patient with no session dated ≤ C has no
/// course whatever the scores say, so then only sessions bound the span.
public struct ResultSpan: Hashable, Sendable {
    /// First cut the records hold for (`Int32.min`: any earlier cut).
    public let validFrom: Int32
    /// First cut they no longer hold for (`Int32.max`: no later row).
    public let validUntil: Int32

    public init(validFrom: Int32, validUntil: Int32) {
        self.validFrom = validFrom
        self.validUntil = validUntil
    }

    public func holds(at cut: Day) -> Bool { validFrom <= cut.ordinal && cut.ordinal < validUntil }

    /// A patient's row days around a cut, gathered one row at a time: the
    /// latest dated ≤ C and the earliest dated after it, of sessions and of scores.
    public struct Bounds: Sendable {
        var lastSession = Int32.min, nextSession = Int32.max, lastScore = Int32.min, nextScore = Int32.max
        var hasSession = false

        public init() {}

        public mutating func noteSession(_ day: Day, cut: Day) {
            if day <= cut {
                hasSession = true
                lastSession = max(lastSession, day.ordinal)
            } else {
                nextSession = min(nextSession, day.ordinal)
            }
        }

        public mutating func noteScore(_ day: Day, cut: Day) {
            if day <= cut { lastScore = max(lastScore, day.ordinal) } else { nextScore = min(nextScore, day.ordinal) }
        }

        /// The span these rows give (see `ResultSpan`).
        public var span: ResultSpan {
            guard hasSession else { return ResultSpan(validFrom: .min, validUntil: nextSession) }
            return ResultSpan(validFrom: max(lastSession, lastScore), validUntil: min(nextSession, nextScore))
        }
    }
}

extension Catalog {
    /// Everything in the catalogue that course records depend on, as text
    /// (with the engine's version): two catalogues with the same text give
    /// the same records, so stored records are kept under its SHA-256.
    /// Names, aliases, headlines and session bins are left out: they change
    /// what a report shows, never a course's evaluation.
    public var courseRecordDescription: String {
        let instruments = instruments.map { i in
            "instrument \(i.id) \(i.floor)-\(i.max) min \(i.minBaseline) response \(i.response) remission \(i.remission.map(String.init) ?? "-") rc \(i.reliableChange.map(String.init) ?? "-") item9 \(i.recordsItemNine)"
        }
        let modalities = modalities.map { m in
            let points = m.timePoints.map { "\($0.earliest)/\($0.target)/\($0.latest)" }.joined(separator: "|")
            return "modality \(m.id) instruments \(m.instruments.joined(separator: "|")) n \(m.acuteSessions.map(String.init) ?? "-") completion \(m.completionSessions.map(String.init) ?? "-") h \(m.horizonDays.map(String.init) ?? "-") gap \(m.gapDays) g \(m.followUpDays) r \(m.retentionDays.map(String.init) ?? "-") points \(points)"
        }
        return (["engine \(OutcomeEngine.recordVersion)"] + instruments + modalities).joined(separator: "\n")
    }
}

extension OutcomeEngine {
    /// The version of the rules behind stored course records. Raise it with
    /// any change to how a course is built or evaluated: stored records of
    /// another version are then never read (`outcomes doctor --deep` finds
    /// records that disagree with a cold computation).
    public static let recordVersion = 1

    /// DATA-CONTRACT §5–7 for every course of `events` as of `cut`, open or
    /// closed, with outcomes and score times (`events` must hold no score
    /// dated after the cut), in (patient, modality, start) order.
    public static func courseRecords(_ events: PreparedEvents, catalog: Catalog, cut: Day) -> [CourseRecord] {
        var records: [CourseRecord] = []
        forEachCourse(events, catalog: catalog, cut: cut) { course, instruments in
            let modality = catalog.modalities[course.modality]
            let outcomes = instruments.map { index in
                evaluate(course, modality: modality, instrumentIndex: index, instrument: catalog.instruments[index],
                         scores: events.scores.scores(patient: course.patient, instrument: index))
            }
            records.append(CourseRecord(course: course, outcomes: outcomes,
                                        times: scoreTimes(of: course, outcomes: outcomes, events: events, catalog: catalog, cut: cut)))
        }
        return records
    }

    /// Month `month`'s result from course records as of its cut (its rows do
    /// not depend on the records' order; its `courses` keep it): with `only`,
    /// just those windows. A query reads only the records of the cells it asks about.
    public static func result(records: [CourseRecord], month: YearMonth, siteNames: [String], firstSessionDay: Day?,
                              catalog: Catalog, only: Set<WindowKind>? = nil) -> OutcomeResult {
        let cut = cutDate(of: month)
        let windows = reportWindows(month: month, firstSessionDay: firstSessionDay).filter { only?.contains($0.kind) ?? true }
        return assemble(records.map { $0.evaluated(asOf: cut) }, month: month, cut: cut, windows: windows, catalog: catalog,
                        siteNames: siteNames, siteRank: byteOrderRanks(of: siteNames), siteRows: true)
    }
}
