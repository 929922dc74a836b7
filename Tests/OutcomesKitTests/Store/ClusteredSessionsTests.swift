import Foundation
import GRDB
import Testing
@testable import OutcomesKit

/// Schema v7: sessions clustered by patient on DATA-CONTRACT §2's key. The
/// upgrade keeps every row, both kinds of key keep their meaning, and a
/// report computed a small chunk of patients at a time equals one computed
/// in a single chunk.
@Suite struct ClusteredSessionsTests {
    /// A store of schema v6 with sessions keyed both ways, upgraded: the same
    /// sessions, and the keys still find duplicates and conflicts.
    @Test func theUpgradeKeepsEverySessionAndItsKey() throws {
        let folder = TemporaryFolder("outcomes-v7-upgrade")
        let path = folder.file("store.sqlite")
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in try db.execute(sql: "PRAGMA application_id = \(StoreSchema.applicationID)") }
        try StoreSchema.migrator.migrate(queue, upTo: "v6: a covered cut's report rows")
        try queue.write { db in
            try db.execute(sql: """
                INSERT INTO files (id, name, sha256, kind, bytes, records, loaded, duplicates, rejected, ingested_at, first_day)
                    VALUES (1, 'old.csv', 'x', 'sessions', 1, 3, 3, 0, 0, '2026-11-01T00:00:00Z', 20000);
                INSERT INTO patients (id, pseudonym) VALUES (1, 'P1');
                INSERT INTO sites (id, name) VALUES (1, 'North');
                INSERT INTO sessions (patient_id, day, time, modality, site_id, session_id, file_id, record) VALUES
                    (1, \(day("2026-10-01").ordinal), -1, 'tms', 1, NULL, 1, 2),
                    (1, \(day("2026-10-01").ordinal), 36000, 'tms', 1, NULL, 1, 3),
                    (1, \(day("2026-10-02").ordinal), -1, 'tms', 1, 's9', 1, 4);
                """)
        }
        let view = "SELECT patient_id, session_date, modality, site, session_id, file, record FROM session_view ORDER BY record"
        let before = try queue.read { db in try Row.fetchAll(db, sql: view).map(\.description) }
        try queue.close()

        let store = try OutcomeStore(path: path, mode: .create)
        #expect(try store.read { db in try Row.fetchAll(db, sql: view).map(\.description) } == before)
        let reports = try Ingestor(store: store, catalog: .standard).ingest([
            InputPath(folder.write("plain.csv", """
                patient_id,session_date,modality,site
                P1,2026-10-01,tms,North
                P1,2026-10-01T10:00,tms,South
                P1,2026-10-03,tms,North

                """)),
            InputPath(folder.write("keyed.csv", """
                patient_id,session_id,session_date,modality,site
                P1,s9,2026-10-02,tms,North
                P1,s9,2026-10-05,tms,North
                P1,s1,2026-10-01,tms,North

                """)),
        ])
        let summaries = reports.map { report -> FileSummary? in if case .loaded(let s) = report.outcome { s } else { nil } }
        #expect(summaries[0]?.loaded == 1 && summaries[0]?.duplicates == 1 && summaries[0]?.rejects == [.conflictingDuplicate: 1])
        // s1 shares the instant of an untimed session stored without an id: the two key spaces are apart.
        #expect(summaries[1]?.loaded == 1 && summaries[1]?.duplicates == 1 && summaries[1]?.rejects == [.conflictingDuplicate: 1])
        #expect(try store.read { db in try String.fetchAll(db, sql: "SELECT ifnull(session_id, '-') FROM session_view ORDER BY session_date, session_id") }
                == ["-", "s1", "-", "s9", "-"])
    }

    /// The records computed one patient per chunk, a sparse set of patients
    /// read one by one, or most of a range read in one pass, equal those
    /// computed in one chunk.
    @Test func chunksOfAnySizeGiveTheSameRecords() throws {
        let test = try TestStore.synthetic(SyntheticOptions(patients: 150, seed: 11, from: day("2025-05-01"), to: day("2026-10-31"),
                                                            messyRate: 0.02, split: 3))
        let store = test.store
        let cut = cutDate(of: YearMonth("2026-10")!)
        let patients = try store.read { db in try Int32.fetchAll(db, sql: "SELECT id FROM patients ORDER BY id") }
        func records(of patients: [Int32], sessionsPerChunk: Int) throws -> ([CourseRecord], [Int32: ResultSpan], Int) {
            var records: [CourseRecord] = [], spans: [Int32: ResultSpan] = [:], lastChunks = 0
            try store.computeRecords(of: patients, catalog: .standard, cut: cut, sessionsPerChunk: sessionsPerChunk) { chunk, chunkSpans, isLast in
                records += chunk
                for (patient, span) in chunkSpans { spans[patient] = span }
                if isLast { lastChunks += 1 }
            }
            return (records, spans, lastChunks)
        }
        let whole = try records(of: patients, sessionsPerChunk: 1 << 30)
        #expect(!whole.0.isEmpty && whole.1.count == patients.count && whole.2 == 1)
        let small = try records(of: patients, sessionsPerChunk: 1)
        #expect(small.0 == whole.0 && small.1 == whole.1 && small.2 == 1)
        let sparse = patients.enumerated().filter { $0.offset % 3 == 1 }.map(\.element)
        let some = try records(of: sparse, sessionsPerChunk: 1 << 30)
        #expect(some.0 == whole.0.filter { sparse.contains($0.course.patient) })
        #expect(some.1 == whole.1.filter { sparse.contains($0.key) })
        // Most of a range wanted: one pass of the range, the others left out.
        let most = patients.enumerated().filter { $0.offset % 4 != 0 }.map(\.element)
        let many = try records(of: most, sessionsPerChunk: 1 << 30)
        #expect(many.0 == whole.0.filter { most.contains($0.course.patient) })
        #expect(many.1 == whole.1.filter { most.contains($0.key) })
        #expect(try records(of: [], sessionsPerChunk: 1).2 == 1, "no patient: one last, empty chunk")
    }
}
