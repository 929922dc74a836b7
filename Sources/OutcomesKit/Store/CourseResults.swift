import Foundation
import GRDB

/// How a cut's courses were come by (`forEachCourseRecord`).
public struct CourseRecordCounts: Sendable {
    /// Patients whose records were read from the store.
    public let reusedPatients: Int
    /// Patients whose records were computed from their rows.
    public let computedPatients: Int
    /// Whether every computed record was stored for later runs.
    public let stored: Bool
}

/// Every course as of one cut, and how it was come by.
public struct CourseRecordSet: Sendable {
    /// In (patient, modality, start) order.
    public var records: [CourseRecord]
    public let counts: CourseRecordCounts

    public var reusedPatients: Int { counts.reusedPatients }
    public var computedPatients: Int { counts.computedPatients }
    public var stored: Bool { counts.stored }
}

/// What `outcomes doctor --deep` found of the kept course results.
public struct CourseResultCheck: Sendable {
    /// Patient spans kept under the catalogue checked.
    public var spans = 0
    /// Spans recomputed and compared.
    public var records = 0
    /// Spans kept under other catalogues (not checked).
    public var otherCatalogues = 0
    /// One line per span that differs from a cold computation.
    public var problems: [String] = []
}

/// Course results kept between runs (schema v5; docs/ARCHITECTURE.md,
/// "Course results"). A patient's records as of cut C depend only on the
/// patient's rows dated ≤ C and on the catalogue, so they are stored with
/// the span of cuts they hold for (`ResultSpan`) under the catalogue's
/// fingerprint, and an ingest that stores a row of the patient dated d cuts
/// every span of theirs at d (`invalidateResults`).
extension OutcomeStore {
    /// The fingerprint text records are kept under: the record layout, the
    /// engine's rule version and the catalogue's rules.
    static func resultFingerprint(_ catalog: Catalog) -> String {
        Digest.sha256("layout \(CourseRecordCoding.layoutVersion)\n" + catalog.courseRecordDescription)
    }

    /// Every course as of `cut`, collected and in (patient, modality, start)
    /// order (`forEachCourseRecord`).
    public func courseRecords(catalog: Catalog, asOf cut: Day, store: Bool) throws -> CourseRecordSet {
        var records: [CourseRecord] = []
        let counts = try forEachCourseRecord(catalog: catalog, asOf: cut, store: store) { records.append($0) }
        // Kept and computed patients are disjoint; the key (patient, modality, start) is unique.
        records.sort { ($0.course.patient, $0.course.modality, $0.course.startInstant) < ($1.course.patient, $1.course.modality, $1.course.startInstant) }
        return CourseRecordSet(records: records, counts: counts)
    }

    /// Calls `body` with every course as of `cut`, one at a time and in no
    /// set order, never holding them all: first the stored records of
    /// patients whose span holds at `cut`, then the others', computed from
    /// their rows a chunk of patients at a time. With `store`, each chunk's
    /// records and spans are kept for later runs in a transaction of their
    /// own, and the cut marked covered after the last, unless a file was
    /// ingested meanwhile (its invalidation may have run before the records
    /// were written): from then on nothing more is kept.
    public func forEachCourseRecord(catalog: Catalog, asOf cut: Day, store: Bool,
                                    _ body: (CourseRecord) throws -> Void) throws -> CourseRecordCounts {
        let fingerprint = OutcomeStore.resultFingerprint(catalog)
        let (catalogID, filesSeen, stale, hadCoverage) = try read { db -> (Int64?, Int64, [Int32], Bool) in
            let filesSeen = try Int64.fetchOne(db, sql: "SELECT coalesce(max(id), 0) FROM files") ?? 0
            guard let id = try Int64.fetchOne(db, sql: "SELECT id FROM result_catalogs WHERE sha256 = ?", arguments: [fingerprint]) else {
                return (nil, filesSeen, try Int32.fetchAll(db, sql: "SELECT id FROM patients ORDER BY id"), false)
            }
            if try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM result_coverage WHERE catalog_id = ? AND cut = ?)",
                                 arguments: [id, cut.ordinal]) ?? false {
                return (id, filesSeen, [], true)
            }
            let stale = try Int32.fetchAll(db, sql: """
                SELECT id FROM patients p WHERE NOT EXISTS (
                    SELECT 1 FROM patient_results r
                    WHERE r.patient_id = p.id AND r.catalog_id = ?1 AND r.valid_from <= ?2 AND r.valid_until > ?2)
                ORDER BY id
                """, arguments: [id, cut.ordinal])
            return (id, filesSeen, stale, false)
        }
        var reused = 0
        func readStored() throws {
            if let catalogID { reused = try forEachStoredRecord(catalogID: catalogID, catalog: catalog, cut: cut, body) }
        }
        // Nothing new to keep when every patient already had records for this cut.
        let keeping = store && (catalogID == nil || !stale.isEmpty || !hadCoverage)
        var stored = catalogID != nil && stale.isEmpty
        // Most patients computed (a first report): the cell index is built once
        // after the records are written, not entry by entry. Its entries go in
        // cell order, random to the patient order the records come in, so each
        // chunk's transaction rewrote most of its pages: at 10M rows keeping
        // took 5.0 s with it and 1.8 s without, and building it 0.5 s.
        let bulk = keeping && stale.count * 2 > reused + stale.count
        if bulk { try writeTransaction { db in try db.execute(sql: "DROP INDEX IF EXISTS course_results_by_cell") } }
        // The keeper writes on a connection of its own, so that its transactions
        // run while this one reads the next chunks' rows.
        let keeper = try keeping ? ResultKeeper(connection: secondConnection()) { [self] connection, chunk in
            try keep(chunk.records, spans: chunk.spans, fingerprint: fingerprint, cut: cut, filesSeen: filesSeen,
                     covered: chunk.covered, on: connection)
        } : nil
        do {
            if !stale.isEmpty || keeping {
                try computeRecords(of: stale, catalog: catalog, cut: cut, whileReading: readStored) { records, spans, isLast in
                    keeper?.keep(.init(records: records, spans: spans, covered: isLast))
                    for record in records { try body(record) }
                }
            } else {
                try readStored()
            }
            if let keeper { stored = try keeper.finish() }
        } catch {
            _ = try? keeper?.finish()
            if bulk { try? writeTransaction { db in try db.execute(sql: OutcomeStore.cellIndex) } }
            throw error
        }
        if bulk { try writeTransaction { db in try db.execute(sql: OutcomeStore.cellIndex) } }
        return CourseRecordCounts(reusedPatients: reused, computedPatients: stale.count, stored: stored)
    }

    /// `course_results_by_cell` (schema v5), which a query reads a cell through;
    /// dropped while a first report writes its records, and built again after.
    static let cellIndex = "CREATE INDEX IF NOT EXISTS course_results_by_cell ON course_results(catalog_id, modality, site_id, window_end)"

    /// The stored records whose span holds at `cut`: all of them in key order
    /// (patient, modality, start), a cell's (`modality` given) in no set order.
    func storedRecords(catalogID: Int64, catalog: Catalog, cut: Day, modality: Int? = nil, site: Int32? = nil,
                       windowEnds: ClosedRange<Day>? = nil) throws -> [CourseRecord] {
        var records: [CourseRecord] = []
        try forEachStoredRecord(catalogID: catalogID, catalog: catalog, cut: cut, modality: modality, site: site,
                                windowEnds: windowEnds) { records.append($0) }
        return records
    }

    /// Calls `body` with each stored record whose span holds at `cut`,
    /// decoded one at a time, in the order `storedRecords` gives. Returns the
    /// number of patients read (when reading them all, in patient order).
    @discardableResult
    func forEachStoredRecord(catalogID: Int64, catalog: Catalog, cut: Day, modality: Int? = nil, site: Int32? = nil,
                             windowEnds: ClosedRange<Day>? = nil, _ body: (CourseRecord) throws -> Void) throws -> Int {
        try read { db in
            var conditions = ["catalog_id = ?1", "valid_from <= ?2", "valid_until > ?2"]
            if modality != nil { conditions.append("modality = ?3") }
            if site != nil { conditions.append("site_id = ?4") }
            if windowEnds != nil { conditions.append("window_end BETWEEN ?5 AND ?6") }
            // A cell (modality, and maybe site and days) in the cell index's order:
            // what is made of records (`MonthFold`, `OutcomeEngine.result`) does not
            // depend on their order, and sorting them would put every record, blobs
            // and all, through a temporary B-tree (7,272 records, 8 MB, at 10M rows).
            // All of them in the primary key's own order: `+catalog_id` keeps the
            // planner off the cell index. One span per patient holds a cut, so key
            // order is (patient, modality, start).
            if modality == nil { conditions[0] = "+catalog_id = ?1" }
            let order = modality == nil ? " ORDER BY patient_id, catalog_id, valid_from, modality, start_instant" : ""
            let statement = try SQLiteStatement(db, """
                SELECT patient_id, modality, site_id, window_end, detail FROM course_results
                WHERE \(conditions.joined(separator: " AND "))\(order)
                """)
            defer { statement.reset() }
            statement.bind(1, catalogID)
            statement.bind(2, Int64(cut.ordinal))
            if let modality { statement.bind(3, Int64(modality)) }
            if let site { statement.bind(4, Int64(site)) }
            if let windowEnds {
                statement.bind(5, Int64(windowEnds.lowerBound.ordinal))
                statement.bind(6, Int64(windowEnds.upperBound.ordinal))
            }
            var patients = 0, previous: Int32?
            while try statement.step() {
                guard let patient = Int32(exactly: statement.int64(0)), let site = Int32(exactly: statement.int64(2)),
                      let windowEnd = Int32(exactly: statement.int64(3)) else {
                    throw StoreError.inconsistent("a stored course result has a key out of range")
                }
                if patient != previous { patients += 1 }
                previous = patient
                try body(try statement.blob(4) { bytes in
                    try CourseRecordCoding.decode(bytes, patient: patient, modality: Int(statement.int64(1)), site: site,
                                                  windowEnd: Day(ordinal: windowEnd), catalog: catalog)
                })
            }
            return patients
        }
    }

    /// The records of `patients` (ascending keys) computed from their rows,
    /// with each patient's span, collected (`computeRecords(of:catalog:cut:_:)`).
    func computeRecords(of patients: [Int32], catalog: Catalog, cut: Day) throws
        -> (records: [CourseRecord], spans: [(patient: Int32, span: ResultSpan)]) {
        var records: [CourseRecord] = [], spans: [(patient: Int32, span: ResultSpan)] = []
        try computeRecords(of: patients, catalog: catalog, cut: cut) { chunk, chunkSpans, _ in
            records += chunk
            spans += chunkSpans
        }
        return (records, spans)
    }

    /// The records of `patients` (ascending keys) computed from their rows a
    /// chunk of patients at a time: `chunk` gets each chunk's records and the
    /// spans of its patients (those without a session too), and `isLast`
    /// with the last chunk (an empty one when there are no patients).
    ///
    /// Each chunk reads its own patients' sessions and scores, one range of
    /// each table's key (both are clustered by patient, schema v7), so what
    /// is held at a time is one chunk's rows, whatever the store's size.
    /// With more than one chunk, a thread reads them on a connection of its
    /// own (`ChunkReader`), a chunk ahead of the one being computed, and
    /// `whileReading` runs here as it starts (the report reads the kept
    /// records then).
    func computeRecords(of patients: [Int32], catalog: Catalog, cut: Day, sessionsPerChunk: Int = 1 << 16,
                        whileReading: () throws -> Void = {},
                        _ chunk: (_ records: [CourseRecord], _ spans: [(patient: Int32, span: ResultSpan)], _ isLast: Bool) throws -> Void)
        throws {
        let (siteNames, firstDay, sessionsPerPatient) = try read { db -> ([String], Day?, Int) in
            let stored = try Int.fetchOne(db, sql: "SELECT coalesce(sum(loaded), 0) FROM files WHERE kind = 'sessions'") ?? 0
            let total = try Int.fetchOne(db, sql: "SELECT count(*) FROM patients") ?? 0
            return (try siteNameTable(db),
                    try Int32.fetchOne(db, sql: "SELECT min(first_day) FROM files WHERE kind = 'sessions'").map(Day.init(ordinal:)),
                    total > 0 ? max(1, stored / total) : 1)
        }
        let siteRank = OutcomeEngine.byteOrderRanks(of: siteNames)
        let patientsPerChunk = max(1, sessionsPerChunk / sessionsPerPatient)
        let chunkCount = max(1, (patients.count + patientsPerChunk - 1) / patientsPerChunk)
        let readChunk: @Sendable (Int, DatabaseQueue) throws -> ChunkRows = { [self] index, connection in
            let group = patients[min(index * patientsPerChunk, patients.count)..<min((index + 1) * patientsPerChunk, patients.count)]
            return try chunkRows(of: group, catalog: catalog, cut: cut, siteCount: siteNames.count, on: connection)
        }
        func compute(_ rows: inout ChunkRows, _ isLast: Bool) throws {
            let records = rows.sessions.isEmpty ? [] : OutcomeEngine.courseRecords(
                ofPatients: &rows.sessions, scores: rows.scores, siteNames: siteNames, siteRank: siteRank,
                firstSessionDay: firstDay, catalog: catalog, cut: cut)
            try chunk(records, rows.spans, isLast)
        }
        // One chunk (a query's or an incremental report's few patients): read here.
        guard chunkCount > 1 else {
            try whileReading()
            var rows = try readChunk(0, queue)
            return try compute(&rows, true)
        }
        let reader = ChunkReader(count: chunkCount) { [connection = try secondConnection()] index in try readChunk(index, connection) }
        defer { reader.finish() }
        try whileReading()
        var taken = 0
        while var rows = try reader.next() {
            taken += 1
            try compute(&rows, taken == chunkCount)
        }
    }

    /// What a chunk of patients' records are computed from: their sessions
    /// (every day), their scores dated ≤ C, and each patient's span.
    private struct ChunkRows: Sendable {
        var sessions: [SessionEvent]
        let scores: [ScoreEvent]
        let spans: [(patient: Int32, span: ResultSpan)]
    }

    /// Reads `group`'s rows (ascending keys) on `connection`.
    private func chunkRows(of group: ArraySlice<Int32>, catalog: Catalog, cut: Day, siteCount: Int,
                           on connection: DatabaseQueue) throws -> ChunkRows {
        guard let first = group.first, let last = group.last else { return ChunkRows(sessions: [], scores: [], spans: []) }
        let range = first...last
        // Each patient's row days around the cut (every day, before the engine
        // takes those dated ≤ C), indexed by key within the chunk.
        var bounds = [ResultSpan.Bounds](repeating: ResultSpan.Bounds(), count: Int(last) - Int(first) + 1)
        let sessions = try sessionsOf(group, range: range, catalog: catalog, siteCount: siteCount, on: connection)
        for session in sessions { bounds[Int(session.patient) - Int(first)].noteSession(session.day, cut: cut) }
        var scores: [ScoreEvent] = []
        for score in try scoresOf(group, range: range, catalog: catalog, on: connection) {
            bounds[Int(score.patient) - Int(first)].noteScore(score.day, cut: cut)
            if score.day <= cut { scores.append(score) }
        }
        return ChunkRows(sessions: sessions, scores: scores, spans: group.map { ($0, bounds[Int($0) - Int(first)].span) })
    }

    /// How to read the rows of `patients` (ascending keys within `range`):
    /// the whole range in one pass of the key when they fill most of it
    /// (then `wanted` tells them from the others, nil when they are all of
    /// it), else each patient's own range.
    private struct KeyRead {
        let ranges: [ClosedRange<Int32>]
        let wanted: Set<Int32>?

        init(_ patients: ArraySlice<Int32>, in range: ClosedRange<Int32>) {
            let width = Int(range.upperBound) - Int(range.lowerBound) + 1
            ranges = patients.count * 2 >= width ? [range] : patients.map { $0...$0 }
            wanted = ranges.count == 1 && patients.count < width ? Set(patients) : nil
        }
    }

    /// Every session (of the catalogue's modalities, whatever its day) of
    /// `patients`, the keys in `range` (ascending).
    private func sessionsOf(_ patients: ArraySlice<Int32>, range: ClosedRange<Int32>, catalog: Catalog, siteCount: Int,
                            on connection: DatabaseQueue) throws -> [SessionEvent] {
        let keys = KeyRead(patients, in: range)
        return try read(on: connection) { db in
            var sessions: [SessionEvent] = []
            var modalityIndex = SpellingCache<Int>()
            let statement = try SQLiteStatement(db, "SELECT patient_id, day, modality, site_id, time FROM sessions WHERE patient_id BETWEEN ?1 AND ?2")
            for range in keys.ranges {
                statement.bind(1, Int64(range.lowerBound))
                statement.bind(2, Int64(range.upperBound))
                defer { statement.reset() }
                while try statement.step() {
                    guard let patient = Int32(exactly: statement.int64(0)), keys.wanted?.contains(patient) ?? true else { continue }
                    let modality = modalityIndex.value(for: statement.textBytes(2)) { catalog.modalityIndex(id: $0) ?? -1 }
                    guard modality >= 0 else { continue }
                    guard let day = Int32(exactly: statement.int64(1)), let site = Int32(exactly: statement.int64(3)),
                          site >= 0, Int(site) < siteCount, (-1..<86_400).contains(statement.int64(4)) else {
                        throw StoreError.inconsistent("a session has a day, site or time out of range")
                    }
                    sessions.append(SessionEvent(patient: patient, modality: modality, day: Day(ordinal: day),
                                                 time: Int32(statement.int64(4)), site: site))
                }
            }
            return sessions
        }
    }

    /// Every score (whatever its day) of `patients`, the keys in `range`
    /// (ascending), in the primary key's order.
    private func scoresOf(_ patients: ArraySlice<Int32>, range: ClosedRange<Int32>, catalog: Catalog,
                          on connection: DatabaseQueue) throws -> [ScoreEvent] {
        let keys = KeyRead(patients, in: range)
        let scores = try read(on: connection) { db in
            try scoreEvents(db, catalog: catalog, asOf: Day(ordinal: .max), instruments: nil, patientRanges: keys.ranges)
        }
        guard let wanted = keys.wanted else { return scores }
        return scores.filter { wanted.contains($0.patient) }
    }

    /// Stores computed records and their patients' spans, and with
    /// `covered` marks the cut covered, unless a file was ingested since
    /// `filesSeen` (its invalidation may have run before these records were
    /// written). Returns whether stored.
    private func keep(_ records: [CourseRecord], spans: [(patient: Int32, span: ResultSpan)], fingerprint: String, cut: Day,
                      filesSeen: Int64, covered: Bool, on connection: DatabaseQueue) throws -> Bool {
        try writeTransaction(on: connection) { db in
            guard (try Int64.fetchOne(db, sql: "SELECT coalesce(max(id), 0) FROM files") ?? 0) == filesSeen else { return false }
            try db.execute(sql: "INSERT OR IGNORE INTO result_catalogs (sha256) VALUES (?)", arguments: [fingerprint])
            let catalogID = try Int64.fetchOne(db, sql: "SELECT id FROM result_catalogs WHERE sha256 = ?", arguments: [fingerprint])!
            let span = try SQLiteStatement(db, """
                INSERT OR REPLACE INTO patient_results (patient_id, catalog_id, valid_from, valid_until) VALUES (?1, ?2, ?3, ?4)
                """)
            var spanOf: [Int32: ResultSpan] = [:]
            spanOf.reserveCapacity(spans.count)
            for (patient, value) in spans {
                spanOf[patient] = value
                span.bind(1, Int64(patient))
                span.bind(2, catalogID)
                span.bind(3, Int64(value.validFrom))
                span.bind(4, Int64(value.validUntil))
                try span.run()
            }
            let course = try SQLiteStatement(db, """
                INSERT OR REPLACE INTO course_results
                    (patient_id, catalog_id, valid_from, valid_until, modality, start_instant, site_id, window_end, detail)
                VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
                """)
            var detail: [UInt8] = []
            for record in records {
                guard let value = spanOf[record.course.patient] else { continue }
                detail.removeAll(keepingCapacity: true)
                CourseRecordCoding.encode(record, into: &detail)
                course.bind(1, Int64(record.course.patient))
                course.bind(2, catalogID)
                course.bind(3, Int64(value.validFrom))
                course.bind(4, Int64(value.validUntil))
                course.bind(5, Int64(record.course.modality))
                course.bind(6, record.course.startInstant)
                course.bind(7, Int64(record.course.site))
                course.bind(8, Int64(record.course.windowEnd.ordinal))
                course.bind(9, blob: detail)
                try course.run()
            }
            if covered {
                try db.execute(sql: "INSERT OR IGNORE INTO result_coverage (catalog_id, cut) VALUES (?, ?)", arguments: [catalogID, cut.ordinal])
                // Back if a first report was stopped before it built the index again.
                try db.execute(sql: OutcomeStore.cellIndex)
            }
            return true
        }
    }

    /// The catalogue id course results for `catalog` are kept under, when
    /// every patient has records for `cut` (and no file stored a row since).
    func coveredResults(catalog: Catalog, cut: Day) throws -> Int64? {
        try read { db in
            try Int64.fetchOne(db, sql: """
                SELECT c.id FROM result_catalogs c JOIN result_coverage v ON v.catalog_id = c.id WHERE c.sha256 = ? AND v.cut = ?
                """, arguments: [OutcomeStore.resultFingerprint(catalog), cut.ordinal])
        }
    }

    /// `outcomes doctor --deep`: recomputes every kept record of `catalog`
    /// cold from the rows and compares, span by span (each patient's records
    /// as of the first cut their span holds, and the span itself). Records
    /// kept under other catalogues cannot be recomputed without theirs, and
    /// are counted.
    public func verifyCourseResults(catalog: Catalog) throws -> CourseResultCheck {
        let fingerprint = OutcomeStore.resultFingerprint(catalog)
        let (catalogID, others, spans) = try read { db -> (Int64?, Int, [(patient: Int32, span: ResultSpan)]) in
            let id = try Int64.fetchOne(db, sql: "SELECT id FROM result_catalogs WHERE sha256 = ?", arguments: [fingerprint])
            let others = try Int.fetchOne(db, sql: "SELECT count(*) FROM patient_results WHERE catalog_id IS NOT ?", arguments: [id]) ?? 0
            guard let id else { return (nil, others, []) }
            let spans = try Row.fetchAll(db, sql: """
                SELECT patient_id, valid_from, valid_until FROM patient_results WHERE catalog_id = ? ORDER BY patient_id, valid_from
                """, arguments: [id]).map { row -> (Int32, ResultSpan) in
                guard let patient = Int32(exactly: row[0] as Int64), let from = Int32(exactly: row[1] as Int64),
                      let until = Int32(exactly: row[2] as Int64), from < until else {
                    throw StoreError.inconsistent("a kept span is out of range or empty")
                }
                return (patient, ResultSpan(validFrom: from, validUntil: until))
            }
            return (id, others, spans)
        }
        var check = CourseResultCheck(spans: spans.count, otherCatalogues: others)
        guard let catalogID else { return check }
        // The cut each span is checked at: its first day (any day for an open start).
        func cut(of span: ResultSpan) -> Day {
            Day(ordinal: span.validFrom != .min ? span.validFrom : span.validUntil != .max ? span.validUntil - 1 : 0)
        }
        let byCut = Dictionary(grouping: spans) { cut(of: $0.span) }
        for day in byCut.keys.sorted() {
            let group = byCut[day]!.sorted { $0.patient < $1.patient }
            let (records, recomputedSpans) = try computeRecords(of: group.map(\.patient), catalog: catalog, cut: day)
            let recomputed = Dictionary(grouping: records, by: \.course.patient)
            for ((patient, span), (_, fresh)) in zip(group, recomputedSpans) {
                check.records += 1
                let kept = try storedRecords(catalogID: catalogID, patient: patient, validFrom: span.validFrom, catalog: catalog)
                if fresh != span {
                    check.problems.append("patient key \(patient): span \(span.validFrom)..<\(span.validUntil) kept, \(fresh.validFrom)..<\(fresh.validUntil) from the rows")
                } else if kept != recomputed[patient] ?? [] {
                    check.problems.append("patient key \(patient): \(kept.count) courses kept as of \(day), \((recomputed[patient] ?? []).count) recomputed, and they differ")
                }
            }
        }
        return check
    }

    /// One patient's kept records of one span, in key order.
    private func storedRecords(catalogID: Int64, patient: Int32, validFrom: Int32, catalog: Catalog) throws -> [CourseRecord] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT modality, site_id, window_end, detail FROM course_results
                WHERE patient_id = ? AND catalog_id = ? AND valid_from = ? ORDER BY modality, start_instant
                """, arguments: [patient, catalogID, validFrom]).map { row in
                guard let site = Int32(exactly: row[1] as Int64), let windowEnd = Int32(exactly: row[2] as Int64) else {
                    throw StoreError.inconsistent("a stored course result has a key out of range")
                }
                let detail: Data = row[3]
                return try detail.withUnsafeBytes { bytes in
                    try CourseRecordCoding.decode(bytes, patient: patient, modality: row[0], site: site,
                                                  windowEnd: Day(ordinal: windowEnd), catalog: catalog)
                }
            }
        }
    }

    /// The site names by store id, and the store's first session day when it
    /// is on or before `cut` (the `all` window's start).
    public func siteNamesAndFirstSessionDay(asOf cut: Day) throws -> (siteNames: [String], firstSessionDay: Day?) {
        try read { db in
            (try siteNameTable(db),
             try Int32.fetchOne(db, sql: "SELECT min(first_day) FROM files WHERE kind = 'sessions'")
                .map(Day.init(ordinal:)).flatMap { $0 <= cut ? $0 : nil })
        }
    }

    /// Site names by store id ("" where an id is unused).
    func siteNameTable(_ db: Database) throws -> [String] {
        var siteNames: [String] = []
        for row in try Row.fetchAll(db, sql: "SELECT id, name FROM sites ORDER BY id") {
            let id: Int = row[0]
            guard id >= 0, id < 100_000_000 else { throw StoreError.inconsistent("a site has the id \(id), out of range") }
            if id >= siteNames.count { siteNames.append(contentsOf: repeatElement("", count: id - siteNames.count + 1)) }
            siteNames[id] = row[1]
        }
        return siteNames
    }
}

extension IngestWriter {
    /// DATA-CONTRACT-independent bookkeeping for course results: a row of
    /// patient P dated d changes P's records for every cut ≥ d, so each span
    /// of P's is cut short at d (the cuts before d keep their records) and
    /// spans that start at or after d are deleted; the coverage of every cut
    /// on or after the earliest day stored is dropped (with its report rows).
    /// A cut before it stays covered: its patients' spans still hold it, and
    /// a patient new to the store has no row dated on or before it, so no
    /// course as of it.
    static func invalidateResults(_ db: Database, earliestStoredDay: [Int64: Int32]) throws {
        guard let earliest = earliestStoredDay.values.min() else { return }
        try db.execute(sql: "DELETE FROM result_coverage WHERE cut >= ?", arguments: [earliest])
        // Set-based, through a temporary table of (patient, day): four statements
        // per file rather than four per patient (0.3 s for 22,000 patients).
        // `OR FAIL`: an UPDATE that may abort keeps a statement journal of every
        // page it changes, and these touch pages all over the table (held in
        // memory, it took 75 MB more for a late file at 10M rows). A failure
        // rolls the whole file back anyway.
        try db.execute(sql: "CREATE TEMP TABLE IF NOT EXISTS touched_patients (patient_id INTEGER PRIMARY KEY, day INTEGER NOT NULL)")
        try db.execute(sql: "DELETE FROM touched_patients")
        let insert = try SQLiteStatement(db, "INSERT INTO touched_patients (patient_id, day) VALUES (?1, ?2)")
        for (patient, day) in earliestStoredDay {
            insert.bind(1, patient)
            insert.bind(2, Int64(day))
            try insert.run()
        }
        for table in ["patient_results", "course_results"] {
            try db.execute(sql: """
                DELETE FROM \(table) WHERE patient_id IN (SELECT patient_id FROM touched_patients)
                    AND valid_from >= (SELECT day FROM touched_patients t WHERE t.patient_id = \(table).patient_id);
                UPDATE OR FAIL \(table) SET valid_until = (SELECT day FROM touched_patients t WHERE t.patient_id = \(table).patient_id)
                WHERE patient_id IN (SELECT patient_id FROM touched_patients)
                    AND valid_until > (SELECT day FROM touched_patients t WHERE t.patient_id = \(table).patient_id);
                """)
        }
        try db.execute(sql: "DELETE FROM touched_patients")
    }
}
