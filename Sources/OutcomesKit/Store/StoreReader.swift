import GRDB

/// A reject as `rejects.csv` lists it.
public struct StoredReject: Sendable, Equatable {
    /// The file's base name.
    public let file: String
    public let record: Int
    public let reason: RejectReason
    public let column: String?
    public let detail: String
}

/// A file recorded in the store by `ingest`.
public struct IngestedFile: Sendable, Equatable {
    public let name: String
    public let sha256: String
    public let kind: FileKind
    public let bytes: Int
    public let records: Int
    public let loaded: Int
    public let duplicates: Int
    public let rejected: Int
    /// When it was ingested (ISO 8601, UTC); shown by `status`, never in a report.
    public let ingestedAt: String
}

/// Everything a month's report reads from the store, as plain values: the
/// report stage never sees the database.
public struct ReportInput: Sendable {
    /// The sessions, site names and first session day; the scores too, unless `scores` reads them.
    public var events: OutcomeInput
    /// Reads the scores a range of patients at a time, so that a report never
    /// holds the whole store's; nil when `events` holds them all.
    public var scores: ScoreSource?

    /// Where the report reads its scores from: the store, or `events`.
    public var scoreSource: ScoreSource { scores ?? .holding(events.scores) }
    /// Calls its argument with every course as of the cut, one at a time, from the store's course results (then
    /// `events` holds no session: only the site names and first session
    /// day); nil: computed from `events`.
    public var courses: (@Sendable (_ body: (CourseRecord) throws -> Void) throws -> Void)?
    /// Keeps the report's rows with its cut's coverage (`keepReportRows`); nil
    /// when the store is read-only.
    public var keepRows: (@Sendable (ReportRows) throws -> Void)?
    /// Every file ingested, in the order ingested.
    public let files: [IngestedFile]
    /// Every reject, in the order ingested.
    public let rejects: [StoredReject]
    /// The store's schema version, for the manifest.
    public let schemaVersion: String
    /// The latest session and score dated in the whole store (whatever the cut).
    public let latestSessionDay: Day?
    public let latestScoreDay: Day?

    public init(events: OutcomeInput, files: [IngestedFile], rejects: [StoredReject],
                schemaVersion: String = StoreSchema.latestVersion, latestSessionDay: Day? = nil, latestScoreDay: Day? = nil) {
        self.events = events
        self.files = files
        self.rejects = rejects
        self.schemaVersion = schemaVersion
        self.latestSessionDay = latestSessionDay
        self.latestScoreDay = latestScoreDay
    }
}

extension OutcomeStore {
    /// What a report for cut date `cut` needs. The courses come from the
    /// store's course results (`courseRecords(catalog:asOf:store:)`): those
    /// of patients with no row since they were computed are read back, the
    /// others computed and, unless the store was opened read-only, kept.
    public func reportInput(catalog: Catalog, asOf cut: Day) throws -> ReportInput {
        // Each file's latest stored day (schema v8): no index leads with the day.
        let latest = try read { db in
            (try Int64.fetchOne(db, sql: "SELECT max(last_day) FROM files WHERE kind = 'sessions'")
                .map { Day(ordinal: try storedInt32($0, "a session's day")) },
             try Int64.fetchOne(db, sql: "SELECT max(last_day) FROM files WHERE kind = 'scores'")
                .map { Day(ordinal: try storedInt32($0, "a score's day")) })
        }
        // The store's first session (kept per file at ingest), when it is on or before the cut.
        let (siteNames, firstDay) = try siteNamesAndFirstSessionDay(asOf: cut)
        var input = ReportInput(events: OutcomeInput(sessions: [], scores: [], siteNames: siteNames, firstSessionDay: firstDay),
                                files: try ingestedFiles(), rejects: try rejects(), latestSessionDay: latest.0, latestScoreDay: latest.1)
        input.scores = ScoreSource(read: { [self] patients in try self.scoreEvents(catalog: catalog, asOf: cut, patients: patients) },
                                   anyDated: { [self] days in try self.hasScores(datedIn: days) })
        let keep = !isReadOnly
        input.courses = { [self] body in _ = try self.forEachCourseRecord(catalog: catalog, asOf: cut, store: keep, body) }
        if keep { input.keepRows = { [self] rows in try self.keepReportRows(rows, catalog: catalog, cut: cut) } }
        return input
    }
}

/// Scores read from the store as a report needs them.
public struct ScoreSource: Sendable {
    /// The scores (dated ≤ the cut) of a range of patient keys.
    public let read: @Sendable (ClosedRange<Int32>) throws -> [ScoreEvent]
    /// Whether any score is dated within some days.
    public let anyDated: @Sendable (ClosedRange<Day>) throws -> Bool

    public init(read: @escaping @Sendable (ClosedRange<Int32>) throws -> [ScoreEvent],
                anyDated: @escaping @Sendable (ClosedRange<Day>) throws -> Bool) {
        self.read = read
        self.anyDated = anyDated
    }

    /// Scores already in memory (an input built without a store): sorted by
    /// patient once, each range found by binary search.
    public static func holding(_ scores: [ScoreEvent]) -> ScoreSource {
        let byPatient = scores.sorted { $0.patient < $1.patient }
        /// The first index whose patient is past `patient` (or at it, when `at`).
        @Sendable func boundary(_ patient: Int32, at: Bool) -> Int {
            var low = 0, high = byPatient.count
            while low < high {
                let mid = (low + high) / 2
                if byPatient[mid].patient < patient || (!at && byPatient[mid].patient == patient) { low = mid + 1 } else { high = mid }
            }
            return low
        }
        return ScoreSource(read: { patients in
            Array(byPatient[boundary(patients.lowerBound, at: true)..<boundary(patients.upperBound, at: false)])
        }, anyDated: { days in byPatient.contains { days.contains($0.day) } })
    }
}

extension OutcomeStore {
    /// The events the outcome engine needs for a report with cut date `cut`:
    /// sessions and scores dated ≤ C of the catalogue's modalities and
    /// instruments, the site names, and the earliest session stored.
    ///
    /// `modalities` and `patient` narrow what is loaded, for a quick query:
    /// courses are per patient and modality, so the engine's results for what
    /// remains are the same. The `all` window still starts on the earliest
    /// session of the whole store.
    ///
    /// Without `withScores`, only the sessions are read: a report reads the
    /// scores a range of patients at a time (`scoreEvents(catalog:asOf:patients:)`).
    public func outcomeInput(catalog: Catalog, asOf cut: Day, modalities: Set<String>? = nil,
                             patient: Int32? = nil, withScores: Bool = true) throws -> OutcomeInput {
        try read { db in
            let siteNames = try siteNameTable(db)
            let narrowed = modalities != nil || patient != nil
            var firstDay: Day?
            if narrowed {
                // The store's first session (kept per file at ingest), when it is on or before the cut.
                firstDay = try Int32.fetchOne(db, sql: "SELECT min(first_day) FROM files WHERE kind = 'sessions'")
                    .map(Day.init(ordinal:)).flatMap { $0 <= cut ? $0 : nil }
            }

            var modalityIndex = SpellingCache<Int>()
            var sessions: [SessionEvent] = []
            // The table is clustered by patient (schema v7): one patient's sessions are one range of its key.
            let sessionSQL = "SELECT patient_id, day, modality, site_id, time FROM sessions WHERE day <= ?1"
                + (patient == nil ? "" : " AND patient_id = ?2")
            let sessionRows = try SQLiteStatement(db, sessionSQL)
            sessionRows.bind(1, Int64(cut.ordinal))
            if let patient { sessionRows.bind(2, Int64(patient)) }
            defer { sessionRows.reset() }
            while try sessionRows.step() {
                let day = Day(ordinal: try storedInt32(sessionRows.int64(1), "a session's day"))
                if !narrowed, firstDay.map({ day < $0 }) ?? true { firstDay = day }
                let modality = modalityIndex.value(for: sessionRows.textBytes(2)) { id in
                    guard modalities?.contains(id) ?? true else { return -1 }
                    return catalog.modalityIndex(id: id) ?? -1
                }
                guard modality >= 0 else { continue }
                let site = try storedInt32(sessionRows.int64(3), "a session's site")
                guard site >= 0, Int(site) < siteNames.count else {
                    throw StoreError.inconsistent("a session points at site \(site), which the store does not hold")
                }
                sessions.append(SessionEvent(patient: try storedInt32(sessionRows.int64(0), "a session's patient"), modality: modality,
                                             day: day, time: try storedTime(sessionRows.int64(4)), site: site))
            }

            let wanted = modalities.map { ids in Set(catalog.modalities.filter { ids.contains($0.id) }.flatMap(\.instruments)) }
            let scores = withScores ? try self.scoreEvents(db, catalog: catalog, asOf: cut, instruments: wanted,
                                                           patients: patient.map { $0...$0 }) : []
            return OutcomeInput(sessions: sessions, scores: scores, siteNames: siteNames, firstSessionDay: firstDay)
        }
    }

    /// The scores dated ≤ `cut` of the patients whose keys are in `patients`
    /// (all when nil), in the primary key's order: a report evaluated patient
    /// by patient reads them a chunk at a time, through the key.
    public func scoreEvents(catalog: Catalog, asOf cut: Day, patients: ClosedRange<Int32>) throws -> [ScoreEvent] {
        try read { db in try self.scoreEvents(db, catalog: catalog, asOf: cut, instruments: nil, patients: patients) }
    }

    /// Whether any score is dated within `days`.
    public func hasScores(datedIn days: ClosedRange<Day>) throws -> Bool {
        try read { db in
            try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM scores WHERE day BETWEEN ? AND ?)",
                              arguments: [days.lowerBound.ordinal, days.upperBound.ordinal]) ?? false
        }
    }

    private func scoreEvents(_ db: Database, catalog: Catalog, asOf cut: Day, instruments wanted: Set<String>?,
                             patients: ClosedRange<Int32>?) throws -> [ScoreEvent] {
        try scoreEvents(db, catalog: catalog, asOf: cut, instruments: wanted, patientRanges: patients.map { [$0] })
    }

    /// The scores dated ≤ `cut` of each range of patient keys in turn (all
    /// when nil), through one prepared statement.
    func scoreEvents(_ db: Database, catalog: Catalog, asOf cut: Day, instruments wanted: Set<String>?,
                     patientRanges: [ClosedRange<Int32>]?) throws -> [ScoreEvent] {
        var instrumentIndex = SpellingCache<Int>()
        var scores: [ScoreEvent] = []
        // The primary key's order, so the engine need not sort.
        let scoreRows = try SQLiteStatement(db, """
            SELECT patient_id, instrument, day, score, item9, time FROM scores
            WHERE day <= ?1\(patientRanges == nil ? "" : " AND patient_id BETWEEN ?2 AND ?3")
            ORDER BY patient_id, instrument, day, time
            """)
        for range in patientRanges ?? [Int32.min...Int32.max] {
            scoreRows.bind(1, Int64(cut.ordinal))
            scoreRows.bind(2, Int64(range.lowerBound))
            scoreRows.bind(3, Int64(range.upperBound))
            defer { scoreRows.reset() }
            while try scoreRows.step() {
                let instrument = instrumentIndex.value(for: scoreRows.textBytes(1)) { id in
                    guard wanted?.contains(id) ?? true else { return -1 }
                    return catalog.instrumentIndex(id: id) ?? -1
                }
                guard instrument >= 0 else { continue }
                let score = scoreRows.int64(3)
                guard Int64(Catalog.scoreRange.lowerBound)...Int64(Catalog.scoreRange.upperBound) ~= score else {
                    throw StoreError.inconsistent("a score of \(catalog.instruments[instrument].id) is \(score), beyond any scale")
                }
                scores.append(ScoreEvent(patient: try storedInt32(scoreRows.int64(0), "a score's patient"), instrument: instrument,
                                         day: Day(ordinal: try storedInt32(scoreRows.int64(2), "a score's day")),
                                         time: try storedTime(scoreRows.int64(5)), score: Int32(score),
                                         item9: scoreRows.isNull(4) ? -1 : Int8(truncatingIfNeeded: scoreRows.int64(4))))
            }
        }
        return scores
    }

    /// A stored key or day, which the tool always writes within 32 bits; a
    /// tampered store gets a clear error, never a trap.
    func storedInt32(_ value: Int64, _ what: String) throws -> Int32 {
        guard let narrow = Int32(exactly: value) else { throw StoreError.inconsistent("\(what) is \(value), out of range") }
        return narrow
    }

    /// A stored time of day: seconds since midnight, or -1 when untimed.
    private func storedTime(_ value: Int64) throws -> Int32 {
        guard (-1..<86_400).contains(value) else { throw StoreError.inconsistent("a time of day is \(value) seconds, out of range") }
        return Int32(value)
    }

    /// Every reject in the store, in the order ingested: file by file, record
    /// by record (a batch stores its conflicts after its other rejects, so the
    /// row id alone is not that order).
    public func rejects() throws -> [StoredReject] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT f.name, r.record, r.reason, r.column_name, r.detail
                FROM rejects r JOIN files f ON f.id = r.file_id ORDER BY r.file_id, r.record
                """).map { row in
                let reason: String = row[2]
                guard let known = RejectReason(rawValue: reason) else {
                    throw StoreError.inconsistent("a reject has the unknown reason \"\(TerminalText.safe(reason))\"")
                }
                return StoredReject(file: row[0], record: row[1], reason: known, column: row[3], detail: row[4])
            }
        }
    }

    /// Whether a stored file has this size and head hash (then only its full
    /// SHA-256 tells), or was stored before head hashes were kept.
    func mayHaveFile(_ identity: FileIdentity) throws -> Bool {
        try read { db in
            try Bool.fetchOne(db, sql: """
                SELECT EXISTS (SELECT 1 FROM files WHERE bytes = ? AND (head_sha256 = ? OR head_sha256 IS NULL))
                """, arguments: [identity.bytes, identity.headSHA256]) ?? true
        }
    }

    /// Every file ingested, in the order ingested.
    public func ingestedFiles() throws -> [IngestedFile] {
        try read { db in try OutcomeStore.ingestedFiles(db) }
    }

    static func ingestedFiles(_ db: Database) throws -> [IngestedFile] {
        try Row.fetchAll(db, sql: """
            SELECT name, sha256, kind, bytes, records, loaded, duplicates, rejected, ingested_at FROM files ORDER BY id
            """).map { row in
            let kind: String = row[2]
            guard let known = FileKind(rawValue: kind) else {
                throw StoreError.inconsistent("a file has the unknown kind \"\(TerminalText.safe(kind))\"")
            }
            return IngestedFile(name: row[0], sha256: row[1], kind: known, bytes: row[3], records: row[4], loaded: row[5],
                                duplicates: row[6], rejected: row[7], ingestedAt: row[8])
        }
    }

    /// The store key of a patient pseudonym, for showing a patient's courses.
    public func patientKey(pseudonym: String) throws -> Int32? {
        try read { db in
            try Int64.fetchOne(db, sql: "SELECT id FROM patients WHERE pseudonym = ?", arguments: [pseudonym]).map(Int32.init)
        }
    }
}
