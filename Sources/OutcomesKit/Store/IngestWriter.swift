import GRDB

/// What storing one valid record did (SPEC §2).
enum StoreOutcome {
    /// A new row.
    case stored
    /// The key is already stored with the same values: counted, not stored again.
    case duplicate
    /// Rejected: by a validation rule, or as a conflicting duplicate (the
    /// first row stays).
    case rejected(RejectedRecord)
}

/// Writes one file's rows inside its transaction, through statements
/// prepared once per file. Duplicate keys are found by the unique keys of
/// `sessions` and `scores` themselves (`ON CONFLICT DO NOTHING`), so the
/// check costs nothing for a new row and holds across files.
final class IngestWriter {
    private let fileID: Int64
    private let insertSession: SQLiteStatement
    private let insertScore: SQLiteStatement
    private let insertReject: SQLiteStatement
    private let findPatient: SQLiteStatement
    private let insertPatient: SQLiteStatement
    private let findSite: SQLiteStatement
    private let insertSite: SQLiteStatement
    private let sessionByID: SQLiteStatement
    private let sessionByDay: SQLiteStatement
    private let scoreByKey: SQLiteStatement

    /// Patient pseudonym → row id, for this transaction only (a rollback
    /// would leave a longer-lived cache pointing at rows that are gone).
    /// Bounded, so memory stays flat whatever the number of patients: when
    /// full it is emptied (exports are grouped by patient or by date, so a
    /// recent-patients cache keeps nearly all its hits).
    private var patients: [String: Int64] = [:]
    private static let patientCacheLimit = 1 << 16
    private var sites = SpellingCache<Int64>()

    init(_ db: Database, fileID: Int64) throws {
        self.fileID = fileID
        insertSession = try SQLiteStatement(db, """
            INSERT INTO sessions (patient_id, day, modality, site_id, session_id, file_id, record)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT DO NOTHING
            """)
        insertScore = try SQLiteStatement(db, """
            INSERT INTO scores (patient_id, instrument, day, score, item9, file_id, record)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT DO NOTHING
            """)
        insertReject = try SQLiteStatement(db, """
            INSERT INTO rejects (file_id, record, reason, column_name, detail, raw) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
            """)
        findPatient = try SQLiteStatement(db, "SELECT id FROM patients WHERE pseudonym = ?1")
        insertPatient = try SQLiteStatement(db, "INSERT INTO patients (pseudonym) VALUES (?1)")
        findSite = try SQLiteStatement(db, "SELECT id FROM sites WHERE name = ?1")
        insertSite = try SQLiteStatement(db, "INSERT INTO sites (name) VALUES (?1)")
        sessionByID = try SQLiteStatement(db, """
            SELECT s.day, s.modality, s.site_id, f.name, s.record FROM sessions s JOIN files f ON f.id = s.file_id
            WHERE s.patient_id = ?1 AND s.session_id = ?2
            """)
        sessionByDay = try SQLiteStatement(db, """
            SELECT s.site_id, f.name, s.record FROM sessions s JOIN files f ON f.id = s.file_id
            WHERE s.patient_id = ?1 AND s.day = ?2 AND s.modality = ?3 AND s.session_id IS NULL
            """)
        scoreByKey = try SQLiteStatement(db, """
            SELECT s.score, f.name, s.record FROM scores s JOIN files f ON f.id = s.file_id
            WHERE s.patient_id = ?1 AND s.instrument = ?2 AND s.day = ?3
            """)
    }

    func storeSession(patientID: UnsafeBufferPointer<UInt8>, day: Day, modality: String,
                      site: UnsafeBufferPointer<UInt8>, sessionID: UnsafeBufferPointer<UInt8>?, record: Int) throws -> StoreOutcome {
        let patient = try patientKey(patientID)
        let siteKey = try self.siteKey(site)
        insertSession.bind(1, patient)
        insertSession.bind(2, Int64(day.ordinal))
        insertSession.bind(3, modality)
        insertSession.bind(4, siteKey)
        if let sessionID { insertSession.bind(5, text: sessionID) } else { insertSession.bindNull(5) }
        insertSession.bind(6, fileID)
        insertSession.bind(7, record)
        try insertSession.run()
        if insertSession.changes == 1 { return .stored }

        if let sessionID {
            sessionByID.bind(1, patient)
            sessionByID.bind(2, text: sessionID)
            defer { sessionByID.reset() }
            guard try sessionByID.step() else { throw StoreError("a session key conflicted but no stored row was found") }
            if sessionByID.int64(0) == Int64(day.ordinal), sessionByID.text(1) == modality, sessionByID.int64(2) == siteKey {
                return .duplicate
            }
            return .rejected(RejectedRecord(.conflictingDuplicate, column: "session_id",
                "this patient's session_id is already stored with another date, modality or site (\(sessionByID.text(3)) record \(sessionByID.int(4)))"))
        }
        sessionByDay.bind(1, patient)
        sessionByDay.bind(2, Int64(day.ordinal))
        sessionByDay.bind(3, modality)
        defer { sessionByDay.reset() }
        guard try sessionByDay.step() else { throw StoreError("a session key conflicted but no stored row was found") }
        if sessionByDay.int64(0) == siteKey { return .duplicate }
        return .rejected(RejectedRecord(.conflictingDuplicate, column: "site",
            "a \(modality) session of this patient on this date is already stored with another site (\(sessionByDay.text(1)) record \(sessionByDay.int(2)))"))
    }

    func storeScore(patientID: UnsafeBufferPointer<UInt8>, day: Day, instrument: Instrument, score: Int,
                    item9: Int8, record: Int) throws -> StoreOutcome {
        let patient = try patientKey(patientID)
        insertScore.bind(1, patient)
        insertScore.bind(2, instrument.id)
        insertScore.bind(3, Int64(day.ordinal))
        insertScore.bind(4, score)
        if item9 >= 0 { insertScore.bind(5, Int(item9)) } else { insertScore.bindNull(5) }
        insertScore.bind(6, fileID)
        insertScore.bind(7, record)
        try insertScore.run()
        if insertScore.changes == 1 { return .stored }

        scoreByKey.bind(1, patient)
        scoreByKey.bind(2, instrument.id)
        scoreByKey.bind(3, Int64(day.ordinal))
        defer { scoreByKey.reset() }
        guard try scoreByKey.step() else { throw StoreError("a score key conflicted but no stored row was found") }
        let stored = scoreByKey.int(0)
        if stored == score { return .duplicate }
        return .rejected(RejectedRecord(.conflictingDuplicate, column: "score",
            "this patient's \(instrument.name) on this date is already stored as \(stored) (\(scoreByKey.text(1)) record \(scoreByKey.int(2))); this record says \(score)"))
    }

    func storeReject(_ reject: RejectedRecord, record: CSVRecord) throws {
        insertReject.bind(1, fileID)
        insertReject.bind(2, record.number)
        insertReject.bind(3, reject.reason.rawValue)
        if let column = reject.column { insertReject.bind(4, column) } else { insertReject.bindNull(4) }
        insertReject.bind(5, reject.detail)
        insertReject.bind(6, blob: IngestWriter.rawBytes(of: record))
        try insertReject.run()
    }

    /// The record's fields as one CSV line, byte for byte (invalid UTF-8 kept).
    static func rawBytes(of record: CSVRecord) -> [UInt8] {
        var bytes: [UInt8] = []
        for index in 0..<record.count {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            let field = record[index]
            let needsQuotes = field.contains(where: IngestWriter.needsQuoting)
            if needsQuotes { bytes.append(UInt8(ascii: "\"")) }
            for byte in field {
                if byte == UInt8(ascii: "\"") { bytes.append(byte) }
                bytes.append(byte)
            }
            if needsQuotes { bytes.append(UInt8(ascii: "\"")) }
        }
        return bytes
    }

    private static func needsQuoting(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: ",") || byte == UInt8(ascii: "\"") || byte == 0x0A || byte == 0x0D
    }

    private func patientKey(_ bytes: UnsafeBufferPointer<UInt8>) throws -> Int64 {
        let pseudonym = String(decoding: bytes, as: UTF8.self)
        if let key = patients[pseudonym] { return key }
        let key = try intern(bytes, find: findPatient, insert: insertPatient)
        if patients.count >= IngestWriter.patientCacheLimit { patients.removeAll(keepingCapacity: true) }
        patients[pseudonym] = key
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
        find.bind(1, text: bytes)
        defer { find.reset() }
        if try find.step() { return find.int64(0) }
        insert.bind(1, text: bytes)
        try insert.run()
        return insert.lastInsertRowID
    }
}
