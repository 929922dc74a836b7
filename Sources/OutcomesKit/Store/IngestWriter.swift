import Foundation
import GRDB

/// Patient pseudonyms → store row ids, kept across the files of one ingest
/// (monthly exports hold mostly the same patients). The store empties it
/// when a file is rolled back, since that file's new patients are gone.
final class PatientCache {
    var keys = ByteInterner()
}

/// What storing one batch did (DATA-CONTRACT §2).
struct BatchCounts {
    var loaded = 0
    /// Key already stored with the same values: counted, not stored again.
    var duplicates = 0
    var rejects: [RejectReason: Int] = [:]

    mutating func add(_ other: BatchCounts) {
        loaded += other.loaded
        duplicates += other.duplicates
        rejects.merge(other.rejects, uniquingKeysWith: +)
    }
}

/// Writes one file's batches inside its transaction.
///
/// Batches are held until they make a window (`batchesPerWindow` batches), whose
/// rows are inserted by patient (`inPatientOrder`), in file order within a
/// patient. Rows go in 64 at a time through one multi-row
/// `INSERT OR FAIL … ON CONFLICT DO NOTHING`, which costs far less per row
/// than one statement each. `OR FAIL`: a statement that may abort keeps a
/// copy of every page it changes (a statement journal), and 64 rows in random
/// patient order change pages all over the tables; any failure rolls the
/// whole file back anyway (2m-messy: 5.5 s of CPU before, 4.9 s after).
///
/// Duplicate keys are caught by the tables' own unique keys, within the file
/// and across files. When a statement stores fewer rows than
/// it was given, its rows are looked up in order until the ones it skipped
/// are found: stored by this very record, a duplicate (same values), or a
/// conflicting duplicate (the first stays).
final class IngestWriter {
    static let rowsPerStatement = 64

    private let fileID: Int64
    private let layout: FileLayout
    private let catalog: Catalog
    private let db: Database
    /// Canonical modality (sessions) or instrument (scores) ids by catalogue
    /// position, as C strings that live as long as the writer.
    private let subjectIDs: [UnsafeMutablePointer<CChar>]
    private var inserts: [Int: SQLiteStatement] = [:]
    private let insertReject: SQLiteStatement
    private let findPatient: SQLiteStatement
    private let insertPatient: SQLiteStatement
    private let findSite: SQLiteStatement
    private let insertSite: SQLiteStatement
    private let storedRow: SQLiteStatement
    private let fileName: SQLiteStatement

    /// Patient pseudonym bytes → row id, shared by the files of one ingest.
    private let patients: PatientCache
    private var sites = SpellingCache<Int64>()
    /// The earliest day among the rows this file stored (not its duplicates of other files' rows).
    private(set) var firstStoredDay: Int32?
    /// The latest day among the rows this file stored.
    private(set) var lastStoredDay: Int32?

    /// Whether the store keeps course results (then each patient's earliest
    /// stored day is tracked, to invalidate theirs).
    private let tracksResults: Bool
    /// Each patient's earliest day among the rows this file stored.
    private(set) var earliestStoredDay: [Int64: Int32] = [:]

    private func noteStored(_ row: WindowRow) {
        if firstStoredDay.map({ row.day < $0 }) ?? true { firstStoredDay = row.day }
        if lastStoredDay.map({ row.day > $0 }) ?? true { lastStoredDay = row.day }
        if tracksResults, earliestStoredDay[row.patient].map({ row.day < $0 }) ?? true { earliestStoredDay[row.patient] = row.day }
    }

    init(_ db: Database, fileID: Int64, layout: FileLayout, catalog: Catalog, patients: PatientCache) throws {
        self.patients = patients
        self.db = db
        self.fileID = fileID
        self.layout = layout
        self.catalog = catalog
        // Coverage alone counts: a report of a store without patients marks its cut covered.
        tracksResults = try Bool.fetchOne(db, sql: """
            SELECT EXISTS (SELECT 1 FROM patient_results) OR EXISTS (SELECT 1 FROM result_coverage)
            """) ?? false
        subjectIDs = (layout.kind == .sessions ? catalog.modalities.map(\.id) : catalog.instruments.map(\.id)).map { strdup($0)! }
        insertReject = try SQLiteStatement(db, """
            INSERT INTO rejects (file_id, record, reason, column_name, detail, raw) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
            """)
        findPatient = try SQLiteStatement(db, "SELECT id FROM patients WHERE pseudonym = ?1")
        insertPatient = try SQLiteStatement(db, "INSERT INTO patients (pseudonym) VALUES (?1)")
        findSite = try SQLiteStatement(db, "SELECT id FROM sites WHERE name = ?1")
        insertSite = try SQLiteStatement(db, "INSERT INTO sites (name) VALUES (?1)")
        fileName = try SQLiteStatement(db, "SELECT name FROM files WHERE id = ?1")
        switch (layout.kind, layout.sessionID != nil) {
        case (.sessions, true):
            // `session_id <> ''` lets the planner use the partial index on (patient, session_id).
            storedRow = try SQLiteStatement(db, """
                SELECT file_id, record, day, modality, site_id, time FROM sessions
                WHERE patient_id = ?1 AND session_id = ?2 AND session_id <> ''
                """)
        case (.sessions, false):
            storedRow = try SQLiteStatement(db, """
                SELECT file_id, record, day, modality, site_id FROM sessions
                WHERE patient_id = ?1 AND day = ?2 AND time = ?4 AND modality = ?3 AND session_id = ''
                """)
        case (.scores, _):
            storedRow = try SQLiteStatement(db, """
                SELECT file_id, record, score FROM scores WHERE patient_id = ?1 AND instrument = ?2 AND day = ?3 AND time = ?4
                """)
        }
    }

    deinit { subjectIDs.forEach { free($0) } }

    /// Batches held before their rows are stored, sorted by patient (up to
    /// 16,384 rows): enough that consecutive inserts of a file in random
    /// patient order land near each other in the tables. SQLite alone
    /// inserting the 2m-messy rows took 1.76–1.93 s in file order, 1.50–1.72 s
    /// sorted 8,192 rows at a time and 1.41–1.56 s 65,536 at a time; our whole
    /// ingest of them (6 runs each, in turn) 2.48 s at 8,192 rows, 2.36 s at
    /// 16,384 and 2.32 s at 32,768, where a larger window costs memory (the
    /// batches it holds, and the channel's room for the next window) and the
    /// reader waits longer at the start. Counted in batches, not rows, so
    /// that batches cut short by their bytes (fields of a mebibyte) cannot
    /// pile up: a window holds at most `batchesPerWindow` × 8 MiB.
    static let batchesPerWindow = 2

    /// Batches received and not yet stored, in file order.
    private var pending: [IngestBatch] = []

    /// Takes a batch; stores the batches held so far once they fill a window,
    /// or at once when no other batch is waiting (`moreWaiting` false): then
    /// waiting for one would leave this thread idle (the start of each file,
    /// or a reader slower than the writer; a cold run of 48 monthly files
    /// lost about half a second to that). What they stored is returned then;
    /// `finish()` stores the rest.
    func add(_ batch: IngestBatch, moreWaiting: Bool) throws -> BatchCounts {
        pending.append(batch)
        return pending.count >= Self.batchesPerWindow || !moreWaiting ? try storePending() : BatchCounts()
    }

    /// Stores the batches still held (the end of the file).
    func finish() throws -> BatchCounts { try storePending() }

    /// One row of the window: the values its insert binds, with its patient
    /// and site interned, and where it came from. Compact, so that reading
    /// the window in patient order stays in the CPU's caches (reading the
    /// batches' rows in that order cost more than SQLite gained).
    private struct WindowRow {
        var patient: Int64
        /// The site's id (sessions) or the score (scores).
        var siteOrScore: Int64
        var record: Int
        var day: Int32
        var time: Int32
        var subject: Int32
        var item9: Int8
        /// Its batch and its row there, for the bytes of its session_id and
        /// of the record as read.
        var batch: Int32
        var row: Int32
    }

    /// Stores the held batches' rows and rejects.
    private func storePending() throws -> BatchCounts {
        let batches = pending
        pending = []
        var window: [WindowRow] = []
        window.reserveCapacity(batches.reduce(0) { $0 + $1.rows.count })
        // Interned in file order, so patients and sites get the same ids whatever the window.
        for (batchIndex, batch) in batches.enumerated() {
            for (rowIndex, row) in batch.rows.enumerated() {
                let patient = try batch.bytes(row.patient) { try patientKey($0) }
                let siteOrScore = layout.kind == .sessions ? try batch.bytes(row.site) { try siteKey($0) } : Int64(row.score)
                window.append(WindowRow(patient: patient, siteOrScore: siteOrScore, record: row.record, day: row.day,
                                        time: row.time, subject: Int32(row.subject), item9: row.item9,
                                        batch: Int32(batchIndex), row: Int32(rowIndex)))
            }
        }
        window = Self.inPatientOrder(window) { $0.patient }

        var counts = BatchCounts()
        var conflicts: [StagedReject] = []
        var start = 0
        while start < window.count {
            let count = min(IngestWriter.rowsPerStatement, window.count - start)
            let rows = window[start..<(start + count)]
            let statement = try insertStatement(rows: count)
            for (offset, row) in rows.enumerated() {
                bind(row, batches: batches, to: statement, base: Int32(offset) * parametersPerRow)
            }
            try statement.run()
            if statement.changes == count {
                counts.loaded += count
                for row in rows { noteStored(row) }
            } else {
                // The statement skipped `notStored` rows; once that many are
                // found, the rest of its rows were stored (on average half the
                // lookups of checking every row).
                var notStored = count - statement.changes
                for row in rows {
                    guard notStored > 0 else {
                        counts.loaded += 1
                        noteStored(row)
                        continue
                    }
                    let batch = batches[Int(row.batch)], staged = batch.rows[Int(row.row)]
                    switch try outcome(of: staged, patient: row.patient, site: row.siteOrScore, batch: batch) {
                    case .stored:
                        counts.loaded += 1
                        noteStored(row)
                    case .duplicate:
                        counts.duplicates += 1
                        notStored -= 1
                    case .conflict(let reject):
                        let raw = batch.bytes(staged.raw) { Array($0) }
                        conflicts.append(StagedReject(record: row.record, reject: reject, raw: raw))
                        notStored -= 1
                    }
                }
            }
            start += count
        }

        // Rejects are read back by file and record, so the order they are stored in does not matter.
        for reject in batches.flatMap(\.rejects) + conflicts {
            counts.rejects[reject.reject.reason, default: 0] += 1
            try store(reject)
        }
        return counts
    }

    /// The order to insert a window's rows in: by patient, and in file order
    /// within a patient. Rows of different patients never share a key (nor a
    /// session_id, which is unique per patient), so which of two rows stays,
    /// the first in the file, is unchanged; and rows in patient order land on
    /// neighbouring pages of the tables, which are clustered by patient,
    /// instead of all over them when a file is in random patient order.
    ///
    /// A stable radix sort on the patient id, 11 bits a pass (two passes for
    /// up to two million patients): a comparison sort of a window cost a
    /// tenth of the writer's time.
    static func inPatientOrder<Row>(_ rows: [Row], patient: (Row) -> Int64) -> [Row] {
        if zip(rows, rows.dropFirst()).allSatisfy({ patient($0) <= patient($1) }) { return rows }
        let digitBits = 11, digits = 1 << 11
        let largest = UInt64(rows.lazy.map(patient).max() ?? 0)
        var current = rows, next = rows
        var shift = 0
        while shift < 64 && largest >> UInt64(shift) > 0 {
            var starts = [Int](repeating: 0, count: digits + 1)
            for row in current { starts[Int(UInt64(patient(row)) >> UInt64(shift)) & (digits - 1) + 1] += 1 }
            for digit in 0..<digits { starts[digit + 1] += starts[digit] }
            for row in current {
                let digit = Int(UInt64(patient(row)) >> UInt64(shift)) & (digits - 1)
                next[starts[digit]] = row
                starts[digit] += 1
            }
            swap(&current, &next)
            shift += digitBits
        }
        return current
    }

    private enum RowOutcome {
        case stored, duplicate
        case conflict(RejectedRecord)
    }

    /// Values bound per row: the file id is written into the statement, and so
    /// is the empty session_id of a sessions file without such a column.
    private var parametersPerRow: Int32 { layout.kind == .sessions && layout.sessionID == nil ? 6 : 7 }

    /// Binds one row's values at parameters `base + 1 …`.
    private func bind(_ row: WindowRow, batches: [IngestBatch], to statement: SQLiteStatement, base: Int32) {
        statement.bind(base + 1, row.patient)
        statement.bind(base + 2, staticText: subjectIDs[Int(row.subject)])
        statement.bind(base + 3, Int64(row.day))
        statement.bind(base + 4, Int64(row.time))
        statement.bind(base + 6, row.record)
        statement.bind(base + 5, row.siteOrScore)
        switch layout.kind {
        case .sessions:
            if layout.sessionID != nil {
                let batch = batches[Int(row.batch)]
                batch.bytes(batch.rows[Int(row.row)].sessionID) { statement.bind(base + 7, copying: $0) }
            }
        case .scores:
            if row.item9 >= 0 { statement.bind(base + 7, Int(row.item9)) } else { statement.bindNull(base + 7) }
        }
    }

    /// After a statement stored fewer rows than it was given: what became of this one.
    private func outcome(of row: StagedRow, patient: Int64, site: Int64, batch: IngestBatch) throws -> RowOutcome {
        storedRow.bind(1, patient)
        switch (layout.kind, row.sessionID.isNone) {
        case (.sessions, false):
            batch.bytes(row.sessionID) { storedRow.bind(2, copying: $0) }
        case (.sessions, true):
            storedRow.bind(2, Int64(row.day))
            storedRow.bind(3, staticText: subjectIDs[row.subject])
            storedRow.bind(4, Int64(row.time))
        case (.scores, _):
            storedRow.bind(2, staticText: subjectIDs[row.subject])
            storedRow.bind(3, Int64(row.day))
            storedRow.bind(4, Int64(row.time))
        }
        defer { storedRow.reset() }
        guard try storedRow.step() else { throw StoreError.inconsistent("a row was neither stored nor found under its key") }
        let storedFile = storedRow.int64(0), storedRecord = storedRow.int(1)
        if storedFile == fileID && storedRecord == row.record { return .stored }
        let origin = "\(try name(ofFile: storedFile)) record \(storedRecord)"
        let subject = String(cString: subjectIDs[row.subject])
        switch layout.kind {
        case .sessions:
            if row.sessionID.isNone {
                if storedRow.int64(4) == site { return .duplicate }
                return .conflict(RejectedRecord(.conflictingDuplicate, column: "site",
                    "a \(subject) session of this patient at this date is already stored with another site (\(origin))"))
            }
            if storedRow.int64(2) == Int64(row.day), storedRow.int64(5) == Int64(row.time), storedRow.text(3) == subject,
               storedRow.int64(4) == site { return .duplicate }
            return .conflict(RejectedRecord(.conflictingDuplicate, column: "session_id",
                "this patient's session_id is already stored with another date, modality or site (\(origin))"))
        case .scores:
            let stored = storedRow.int(2)
            if stored == Int(row.score) { return .duplicate }
            let name = catalog.instruments[row.subject].name
            return .conflict(RejectedRecord(.conflictingDuplicate, column: "score",
                "this patient's \(name) at this date is already stored as \(stored) (\(origin)); this record says \(row.score)"))
        }
    }

    private func store(_ reject: StagedReject) throws {
        insertReject.bind(1, fileID)
        insertReject.bind(2, reject.record)
        insertReject.bind(3, reject.reject.reason.rawValue)
        if let column = reject.reject.column { insertReject.bind(4, column) } else { insertReject.bindNull(4) }
        insertReject.bind(5, reject.reject.detail)
        insertReject.bind(6, blob: reject.raw)
        try insertReject.run()
    }

    /// The multi-row INSERT for `rows` rows, prepared once per size.
    private func insertStatement(rows: Int) throws -> SQLiteStatement {
        if let statement = inserts[rows] { return statement }
        let table: String
        let columns: (Int) -> String
        switch (layout.kind, layout.sessionID != nil) {
        case (.sessions, true):
            table = "sessions (patient_id, modality, day, time, site_id, record, session_id, file_id)"
            columns = { b in "(?\(b + 1), ?\(b + 2), ?\(b + 3), ?\(b + 4), ?\(b + 5), ?\(b + 6), ?\(b + 7), \(self.fileID))" }
        case (.sessions, false):
            table = "sessions (patient_id, modality, day, time, site_id, record, session_id, file_id)"
            columns = { b in "(?\(b + 1), ?\(b + 2), ?\(b + 3), ?\(b + 4), ?\(b + 5), ?\(b + 6), '', \(self.fileID))" }
        case (.scores, _):
            table = "scores (patient_id, instrument, day, time, score, record, item9, file_id)"
            columns = { b in "(?\(b + 1), ?\(b + 2), ?\(b + 3), ?\(b + 4), ?\(b + 5), ?\(b + 6), ?\(b + 7), \(self.fileID))" }
        }
        let perRow = Int(parametersPerRow)
        let values = (0..<rows).map { columns($0 * perRow) }.joined(separator: ", ")
        let statement = try SQLiteStatement(db, "INSERT OR FAIL INTO \(table) VALUES \(values) ON CONFLICT DO NOTHING")
        inserts[rows] = statement
        return statement
    }

    private func name(ofFile id: Int64) throws -> String {
        fileName.bind(1, id)
        defer { fileName.reset() }
        return try fileName.step() ? fileName.text(0) : "an earlier file"
    }

    private func patientKey(_ bytes: UnsafeBufferPointer<UInt8>) throws -> Int64 {
        if let key = patients.keys.value(for: bytes) { return key }
        let key = try intern(bytes, find: findPatient, insert: insertPatient)
        patients.keys.insert(bytes, value: key)
        return key
    }

    private func siteKey(_ bytes: UnsafeBufferPointer<UInt8>) throws -> Int64 {
        var failure: Error?
        let key = sites.value(for: bytes) { _ in
            do { return try intern(bytes, find: findSite, insert: insertSite) } catch {
                failure = error
                return -1
            }
        }
        if let failure { throw failure }
        return key
    }

    private func intern(_ bytes: UnsafeBufferPointer<UInt8>, find: SQLiteStatement, insert: SQLiteStatement) throws -> Int64 {
        find.bind(1, copying: bytes)
        defer { find.reset() }
        if try find.step() { return find.int64(0) }
        insert.bind(1, copying: bytes)
        try insert.run()
        return insert.lastInsertRowID
    }
}
