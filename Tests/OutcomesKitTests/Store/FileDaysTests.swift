import Foundation
import GRDB
import Testing
@testable import OutcomesKit

/// Each sessions file keeps the first day it stored (`files.first_day`), so a
/// query or explanation of one patient or modality knows where the all-time
/// window starts without scanning every session; each file keeps the last
/// (`files.last_day`, schema v8), so a report says how recent the data are
/// without scanning every row.
@Suite struct FileDaysTests {
    func firstDays(_ store: TestStore) throws -> [String: Int32?] {
        try store.store.read { db in
            Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT name, first_day FROM files").map { row in
                (row["name"] as String, row["first_day"] as Int32?)
            })
        }
    }

    /// "name last_day" of every file, by name.
    func lastDays(_ store: OutcomeStore) throws -> [String] {
        try store.read { db in
            try Row.fetchAll(db, sql: "SELECT name, last_day FROM files ORDER BY name").map { "\($0[0] as String) \($0[1] as Int32)" }
        }
    }

    @Test func aFileKeepsTheFirstDayItStoredNotItsDuplicates() throws {
        let store = try TestStore()
        _ = try store.ingest([
            ("a.csv", "patient_id,session_date,modality,site\nP1,2026-10-05,tms,North\nP2,2026-09-30T08:00,tms,South\n"),
            // Its earlier row repeats a.csv's (a duplicate, stored there) and one conflicts with it: neither is its own.
            ("b.csv", "patient_id,session_date,modality,site\nP2,2026-09-30T08:00,tms,South\nP1,2026-10-05,tms,Elsewhere\nP3,2026-10-07,tms,North\n"),
            ("s.csv", "patient_id,assessment_date,instrument,score\nP1,2026-01-01,phq9,20\n"),
        ])
        #expect(try firstDays(store) == ["a.csv": day("2026-09-30").ordinal, "b.csv": day("2026-10-07").ordinal, "s.csv": nil])
    }

    @Test func theUpgradeFillsItInForFilesStoredBefore() throws {
        let store = try TestStore()
        _ = try store.ingest([("a.csv", "patient_id,session_date,modality,site\nP1,2026-10-05,tms,North\nP2,2026-09-30,tms,South\n")])
        // As a store of schema v3 was: no column, no migration recorded.
        try store.store.writeTransaction { db in
            try db.execute(sql: """
                ALTER TABLE files DROP COLUMN first_day;
                DELETE FROM grdb_migrations WHERE identifier LIKE 'v4:%';
                """)
        }
        let path = store.folder.file("store.sqlite")
        let upgraded = try OutcomeStore(path: path, mode: .create)
        _ = try Ingestor(store: upgraded, catalog: .standard).ingest([store.folder.write("b.csv", "patient_id,session_date,modality,site\nP3,2026-11-01,tms,North\n")])
        let days = try upgraded.read { db in try Row.fetchAll(db, sql: "SELECT name, first_day FROM files ORDER BY id").map { "\($0["name"] as String) \($0["first_day"] as Int32)" } }
        #expect(days == ["a.csv \(day("2026-09-30").ordinal)", "b.csv \(day("2026-11-01").ordinal)"])
    }

    /// The narrowed reads (one modality, one patient) start the all-time window where the full report does.
    @Test func narrowedReadsStartTheAllTimeWindowWhereTheReportDoes() throws {
        let store = try TestStore()
        _ = try store.ingest([("a.csv", """
            patient_id,session_date,modality,site
            P1,2026-10-05,tms,North
            P2,2025-03-30,ketamine,South
            P3,2026-12-01,tms,North

            """)])
        let full = try store.store.outcomeInput(catalog: .standard, asOf: day("2026-10-31"))
        let tms = try store.store.outcomeInput(catalog: .standard, asOf: day("2026-10-31"), modalities: ["tms"])
        let patient = try store.store.outcomeInput(catalog: .standard, asOf: day("2026-10-31"), modalities: nil,
                                                   patient: try store.store.patientKey(pseudonym: "P1"))
        #expect(full.firstSessionDay == day("2025-03-30"))
        #expect(tms.firstSessionDay == full.firstSessionDay && patient.firstSessionDay == full.firstSessionDay)
        #expect(patient.sessions.count == 1)
        // Before the store's first session there is none.
        let early = try store.store.outcomeInput(catalog: .standard, asOf: day("2025-01-31"), modalities: ["tms"])
        #expect(early.firstSessionDay == nil)
    }

    @Test func aFileKeepsTheLastDayItStoredNotItsDuplicates() throws {
        let store = try TestStore()
        _ = try store.ingest([
            ("a.csv", "patient_id,session_date,modality,site\nP1,2026-10-05,tms,North\nP2,2026-09-30T08:00,tms,South\n"),
            // Its later row repeats a.csv's (stored there), and one is rejected.
            ("b.csv", "patient_id,session_date,modality,site\nP1,2026-10-05,tms,North\nP3,2026-10-01,tms,North\nP4,2026-13-01,tms,North\n"),
            ("s.csv", "patient_id,assessment_date,instrument,score\nP1,2026-01-01,phq9,20\nP1,2025-12-01T09:30,phq9,22\n"),
        ])
        #expect(try lastDays(store.store) == ["a.csv \(day("2026-10-05").ordinal)", "b.csv \(day("2026-10-01").ordinal)", "s.csv \(day("2026-01-01").ordinal)"])
        let input = try store.store.reportInput(catalog: .standard, asOf: day("2026-10-31"))
        #expect(input.latestSessionDay == day("2026-10-05") && input.latestScoreDay == day("2026-01-01"))
    }

    @Test func theV8UpgradeFillsInLastDaysFromTheRows() throws {
        let store = try TestStore()
        _ = try store.ingest([
            ("a.csv", "patient_id,session_date,modality,site\nP1,2026-10-05,tms,North\nP2,2026-09-30,tms,South\n"),
            ("s.csv", "patient_id,assessment_date,instrument,score\nP1,2026-01-01,phq9,20\n"),
        ])
        try store.store.writeTransaction { db in
            try db.execute(sql: """
                ALTER TABLE files DROP COLUMN last_day;
                DELETE FROM grdb_migrations WHERE identifier LIKE 'v8:%';
                """)
        }
        let upgraded = try OutcomeStore(path: store.folder.file("store.sqlite"), mode: .create)
        #expect(try lastDays(upgraded) == ["a.csv \(day("2026-10-05").ordinal)", "s.csv \(day("2026-01-01").ordinal)"])
    }

    @Test func doctorChecksEachFileDayAgainstItsRows() throws {
        let store = try TestStore()
        _ = try store.ingest([("a.csv", "patient_id,session_date,modality,site\nP1,2026-10-05,tms,North\nP2,2026-09-30,tms,South\n"),
                              ("s.csv", "patient_id,assessment_date,instrument,score\nP1,2026-01-01,phq9,20\n")])
        let path = store.folder.file("store.sqlite")
        #expect(StoreDoctor.examine(path: path).contains { $0.check == "file days" && $0.severity == .ok })
        try store.store.writeTransaction { db in try db.execute(sql: "UPDATE files SET first_day = first_day + 3 WHERE kind = 'sessions'") }
        var finding = try #require(StoreDoctor.examine(path: path).first { $0.check == "file days" })
        #expect(finding.severity == .problem
                && finding.detail == "a.csv: recorded first 2026-10-03 (rows: 2026-09-30), last 2026-10-05 (rows: 2026-10-05)", "\(finding)")
        try store.store.writeTransaction { db in
            try db.execute(sql: "UPDATE files SET first_day = first_day - 3 WHERE kind = 'sessions'; UPDATE files SET last_day = NULL WHERE kind = 'scores'")
        }
        finding = try #require(StoreDoctor.examine(path: path).first { $0.check == "file days" })
        #expect(finding.severity == .problem && finding.detail == "s.csv: recorded last none (rows: 2026-01-01)", "\(finding)")
    }
}
