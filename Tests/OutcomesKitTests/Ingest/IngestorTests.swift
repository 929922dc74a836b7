import Foundation
import GRDB
import Testing
@testable import OutcomesKit

/// DATA-CONTRACT §2 through a real store: every reject reason, their order,
/// duplicates, the SHA-256 skip and whole-file transactions.
@Suite struct IngestorTests {
    static let sessionsHeader = "patient_id,session_date,modality,site\n"
    static let scoresHeader = "patient_id,assessment_date,instrument,score,item9\n"

    /// Ingests one file and returns (reason, column) of each reject, in order.
    func rejects(_ name: String, _ text: String) throws -> [String] {
        let store = try TestStore()
        let reports = try store.ingest([(name, text)])
        guard case .loaded = reports[0].outcome else {
            Issue.record("not loaded: \(reports[0].line)")
            return []
        }
        return try store.store.rejects().map { "\($0.record):\($0.reason.rawValue)" }
    }

    @Test func everySessionRejectReason() throws {
        let text = Self.sessionsHeader + """
            P1,2026-10-01,tms,North
            P2,2026-10-01,tms
            ,2026-10-01,tms,North
            P3,,tms,North
            P4,2026-10-01,,North
            P 5,2026-10-01,tms,North
            123-45-6789,2026-10-01,tms,North
            \(String(repeating: "x", count: 65)),2026-10-01,tms,North
            P6,2026-02-29,tms,North
            P7,2026/10/01,tms,North
            P8,2026-10-01,reiki,North
            P1,2026-10-01,TMS,South
            """
        #expect(try rejects("sessions.csv", text) == [
            "3:malformed_record", "4:missing_field", "5:missing_field", "6:missing_field",
            "7:bad_patient_id", "8:bad_patient_id", "9:bad_patient_id",
            "10:bad_date", "11:bad_date", "12:unknown_modality", "13:conflicting_duplicate",
        ])
    }

    @Test func everyScoreRejectReason() throws {
        let text = Self.scoresHeader + """
            P1,2026-10-01,phq9,12,
            P1,2026-10-02,phq9,,
            P1,2026-13-01,phq9,5,
            P1,2026-10-03,hads,5,
            P1,2026-10-04,phq9,+5,
            P1,2026-10-05,phq9,5.0,
            P1,2026-10-06,phq9,-,
            P1,2026-10-07,phq9,-1,
            P1,2026-10-08,phq9,28,
            P1,2026-10-09,phq9,99999999999999999999999,
            P1,2026-10-01,PHQ-9,13,
            """
        #expect(try rejects("scores.csv", text) == [
            "3:missing_field", "4:bad_date", "5:unknown_instrument", "6:bad_score", "7:bad_score", "8:bad_score",
            "9:score_out_of_range", "10:score_out_of_range", "11:score_out_of_range", "12:conflicting_duplicate",
        ])
    }

    @Test func badEncodingComesFirst() throws {
        // Bad bytes and a missing field and too few fields: the first reason wins.
        let bytes = Array(Self.sessionsHeader.utf8) + Array("P1,2026-10-01,tms,No".utf8) + [0xC3, 0x28] + [0x0A]
            + Array(",2026-10-01".utf8) + [0xFF] + [0x0A]
        let store = try TestStore()
        let path = store.folder.write("s.csv", bytes: bytes)
        _ = try Ingestor(store: store.store, catalog: .standard).ingest([path])
        let stored = try store.store.rejects()
        #expect(stored.map(\.reason) == [.badEncoding, .badEncoding])
        #expect(stored[0].column == "site")
        #expect(stored.allSatisfy { !$0.detail.contains("P1") }, "details never echo patient ids")
    }

    @Test func reasonsApplyInSpecOrder() throws {
        // Each record breaks two rules; the earlier one in the contract's order is kept.
        let text = Self.scoresHeader + """
            123-45-6789,2026-02-30,phq9,5,
            P1,2026-02-30,hads,5,
            P1,2026-10-01,hads,x,
            P1,2026-10-01,phq9,x,
            """
        #expect(try rejects("scores.csv", text) == ["2:bad_patient_id", "3:bad_date", "4:unknown_instrument", "5:bad_score"])
    }

    @Test func duplicatesAreCountedNotStoredNorRejected() throws {
        let store = try TestStore()
        let reports = try store.ingest([
            ("a.csv", Self.sessionsHeader + "P1,2026-10-01,tms,North\nP1,2026-10-01,rtms,North\n"),
            ("b.csv", Self.sessionsHeader + "P1,2026-10-01,TMS,North\nP1,2026-10-02,tms,North\n"),
        ])
        #expect(store.summary(reports[0])?.loaded == 1)
        #expect(store.summary(reports[0])?.duplicates == 1)
        #expect(store.summary(reports[1])?.duplicates == 1, "across files too")
        #expect(store.summary(reports[1])?.loaded == 1)
        #expect(try store.count("sessions") == 2)
        #expect(try store.count("rejects") == 0)
    }

    /// Rows go in `IngestWriter.rowsPerStatement` at a time; a statement that
    /// skipped some is looked into only until those are found. Every row
    /// before and after them must still be counted and stored as itself.
    @Test func aStatementThatSkipsRowsStoresAndCountsTheRest() throws {
        let perStatement = IngestWriter.rowsPerStatement
        // Record r (2…) is a session of patient P(r) on day r: all distinct.
        // Each skipped row repeats the patient of the row before it, so the
        // file stays in patient order and its rows are inserted as they come.
        var lines = (0..<(3 * perStatement)).map { index in
            "P\(index),\(Day(ordinal: 20_000 + Int32(index))),tms,North"
        }
        // In the first statement: a duplicate of the row before, as its last row.
        lines[perStatement - 1] = lines[perStatement - 2]
        // In the second: a conflict (another site) and a duplicate, both early.
        lines[perStatement] = "P\(perStatement - 2),\(Day(ordinal: 20_000 + Int32(perStatement - 2))),tms,South"
        lines[perStatement + 1] = lines[perStatement - 2]
        // In the third: a duplicate early, so the file's last row is known stored without a lookup.
        lines[2 * perStatement + 1] = lines[2 * perStatement]
        let skipped = [perStatement - 1, perStatement, perStatement + 1, 2 * perStatement + 1]
        let store = try TestStore()
        let reports = try store.ingest([("s.csv", Self.sessionsHeader + lines.joined(separator: "\n") + "\n")])
        let summary = try #require(store.summary(reports[0]))
        #expect(summary.duplicates == 3)
        #expect(summary.rejects == [.conflictingDuplicate: 1])
        #expect(summary.loaded == 3 * perStatement - 4)
        // Each stored row under its own record number (record = line + 2).
        let stored = try store.store.read { db in
            try Row.fetchAll(db, sql: "SELECT p.pseudonym, s.record FROM sessions s JOIN patients p ON p.id = s.patient_id")
        }
        let expected = Set(lines.indices.filter { !skipped.contains($0) }
            .map { "\(lines[$0].split(separator: ",")[0]) \($0 + 2)" })
        #expect(Set(stored.map { "\($0[0] as String) \($0[1] as Int)" }) == expected)
        let days = try store.store.read { db in try Row.fetchOne(db, sql: "SELECT first_day, last_day FROM files") }
        #expect(days?[0] as Int? == 20_000)
        #expect(days?[1] as Int? == 20_000 + 3 * perStatement - 1, "the last row's day, after the skipped ones")
        #expect(try store.store.rejects().map(\.record) == [perStatement + 2])
    }

    @Test func conflictingDuplicatesAcrossFilesKeepTheFirst() throws {
        let store = try TestStore()
        _ = try store.ingest([
            ("a.csv", Self.scoresHeader + "P1,2026-10-01,phq9,12,\n"),
            ("b.csv", Self.scoresHeader + "P1,2026-10-01,phq9,14,\n"),
        ])
        let kept = try store.store.read { db in try Int.fetchOne(db, sql: "SELECT score FROM scores") }
        #expect(kept == 12)
        #expect(try store.store.rejects().map(\.reason) == [.conflictingDuplicate])
        #expect(try store.store.rejects().first?.file == "b.csv")
    }

    @Test func sessionIDKeysSessions() throws {
        let header = "patient_id,session_id,session_date,modality,site\n"
        let store = try TestStore()
        let reports = try store.ingest([("s.csv", header + """
            P1,s1,2026-10-01,ketamine,North
            P1,s2,2026-10-01,ketamine,North
            P1,s1,2026-10-01,ketamine,North
            P1,s2,2026-10-02,ketamine,North
            P1,,2026-10-03,ketamine,North
            """)])
        let summary = store.summary(reports[0])
        #expect(summary?.loaded == 2, "two sessions the same day, told apart by session_id")
        #expect(summary?.duplicates == 1)
        #expect(summary?.rejects == [.conflictingDuplicate: 1, .missingField: 1])
    }

    @Test func sameBytesAreSkippedEvenUnderAnotherName() throws {
        let store = try TestStore()
        let text = Self.sessionsHeader + "P1,2026-10-01,tms,North\n"
        let reports = try store.ingest([("a.csv", text), ("copy.csv", text)])
        #expect(reports[1].outcome == .skipped(sha256: store.summary(reports[0])!.sha256, previousName: "a.csv"))
        #expect(reports[1].line == "copy.csv: skipped, same bytes already ingested as a.csv")
        #expect(try store.count("files") == 1)
    }

    @Test func sha256IsOfTheFileBytes() throws {
        let folder = TemporaryFolder()
        let path = folder.write("a.csv", "abc")
        #expect(try FileDigest.sha256(InputPath(path)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test func refusedFilesStoreNothing() throws {
        let store = try TestStore()
        let reports = try store.ingest([
            ("phi.csv", "patient_id,patient_name,session_date,modality\nK9,Jane Roe,2026-10-01,tms\n"),
            ("broken.csv", Self.sessionsHeader + "P1,2026-10-01,tms,North\nP2,2026-10-01,tms,No\"rth\n"),
            ("empty.csv", ""),
            ("blank.csv", "\n \n"),
        ])
        for report in reports {
            guard case .refused = report.outcome else {
                Issue.record("\(report.name) should be refused: \(report.line)")
                continue
            }
        }
        #expect(reports[1].line.contains("record 3"))
        #expect(reports[2].line == "empty.csv: refused, the file is empty")
        for table in ["files", "sessions", "patients", "rejects"] { #expect(try store.count(table) == 0, "\(table)") }
    }

    @Test func headerOnlyLoadsNothing() throws {
        let store = try TestStore()
        let reports = try store.ingest([("h.csv", Self.sessionsHeader)])
        #expect(store.summary(reports[0])?.records == 0)
        #expect(try store.count("files") == 1)
    }

    @Test func aFailureMidFileLeavesTheStoreAsItWas() throws {
        let store = try TestStore()
        _ = try store.ingest([("first.csv", Self.sessionsHeader + "P0,2026-09-01,tms,North\n")])
        let rows = (1...200).map { "P\($0),2026-10-01,tms,North" }.joined(separator: "\n")
        let path = store.folder.write("big.csv", Self.sessionsHeader + rows + "\nbad,2026-99-01,tms,North\n")

        struct Crash: Error {}
        let ingestor = Ingestor(store: store.store, catalog: .standard)
        ingestor.afterBatch = { lastRecord in if lastRecord >= 150 { throw Crash() } }
        #expect(throws: Crash.self) { _ = try ingestor.ingest(path: InputPath(path)) }
        #expect(try store.count("sessions") == 1)
        #expect(try store.count("files") == 1)
        #expect(try store.count("patients") == 1)

        ingestor.afterBatch = nil
        let retry = try ingestor.ingest(path: InputPath(path))
        #expect(store.summary(retry)?.loaded == 200, "the same file ingests fully afterwards")
        #expect(store.summary(retry)?.rejected == 1)
    }

    @Test func item9IsKeptForPHQ9AndOtherwiseMissing() throws {
        let store = try TestStore()
        _ = try store.ingest([("s.csv", Self.scoresHeader + """
            P1,2026-10-01,phq9,12,2
            P1,2026-10-02,phq9,12,7
            P1,2026-10-03,phq9,12,yes
            P1,2026-10-04,gad7,12,3
            """)])
        let item9 = try store.store.read { db in
            try Int?.fetchAll(db, sql: "SELECT item9 FROM scores ORDER BY instrument, day")
        }
        #expect(item9 == [nil, 2, nil, nil])
    }

    @Test func unknownNamesSuggestTheClosestId() throws {
        let store = try TestStore()
        _ = try store.ingest([("s.csv", Self.sessionsHeader + "P1,2026-10-01,ketamin,North\n")])
        #expect(try store.store.rejects().first?.detail.contains("did you mean ketamine") == true)
    }

    @Test func filesAlikeInSizeAndHeadAreToldApartByTheirFullHash() throws {
        let store = try TestStore()
        // Same size, same first 64 KiB, different last record.
        let head = Self.sessionsHeader + (1...3000).map { "P\($0),2026-10-01,tms,North" }.joined(separator: "\n") + "\n"
        let reports = try store.ingest([("a.csv", head + "Z1,2026-10-02,tms,North\n"), ("b.csv", head + "Z2,2026-10-02,tms,North\n")])
        #expect(store.summary(reports[1])?.loaded == 1)
        #expect(store.summary(reports[1])?.duplicates == 3000)
        #expect(try store.count("files") == 2)
    }

    @Test func aFileStoredBeforeHeadHashesIsStillSkipped() throws {
        let store = try TestStore()
        let text = Self.sessionsHeader + "P1,2026-10-01,tms,North\n"
        _ = try store.ingest([("a.csv", text)])
        try store.store.writeTransaction { db in try db.execute(sql: "UPDATE files SET head_sha256 = NULL") }
        let again = try store.ingest([("copy.csv", text)])
        guard case .skipped(_, let previous) = again[0].outcome else {
            Issue.record("expected a skip: \(again[0].line)")
            return
        }
        #expect(previous == "a.csv")
        #expect(try store.count("sessions") == 1)
    }

    @Test func scoresThatDifferOnlyInItem9AreDuplicates() throws {
        // The contract calls a score conflict "another score"; item 9 alone does not make one (DATA-CONTRACT §12).
        let store = try TestStore()
        let reports = try store.ingest([("s.csv", Self.scoresHeader + "P1,2026-10-01,phq9,12,0\nP1,2026-10-01,phq9,12,2\n")])
        #expect(store.summary(reports[0])?.loaded == 1)
        #expect(store.summary(reports[0])?.duplicates == 1)
        #expect(store.summary(reports[0])?.rejected == 0)
        let item9 = try store.store.read { db in try Int.fetchOne(db, sql: "SELECT item9 FROM scores") }
        #expect(item9 == 0, "the first row stays")
    }

    @Test func aSessionsFileWithoutSiteLoadsWithAnEmptySite() throws {
        let store = try TestStore()
        let reports = try store.ingest([("s.csv", "patient_id,session_date,modality\nP1,2026-10-01,tms\nP1,2026-10-02,tms\n")])
        #expect(store.summary(reports[0])?.loaded == 2)
        let sites = try store.store.read { db in try String.fetchAll(db, sql: "SELECT name FROM sites") }
        #expect(sites == [""])
    }

    @Test func rejectDetailsQuoteOnlyShortCodes() throws {
        // DATA-CONTRACT §12: a value is quoted back only when it is plainly a code of at most 20 letters.
        let store = try TestStore()
        _ = try store.ingest([("s.csv", Self.scoresHeader
            + "P1,2026-10-01,\(String(repeating: "x", count: 20)),12,\nP1,2026-10-02,\(String(repeating: "x", count: 21)),12,\n")])
        let details = try store.store.rejects().map(\.detail)
        #expect(details[0] == "instrument \"\(String(repeating: "x", count: 20))\" is not in the catalogue")
        #expect(details[1] == "instrument (21 characters, not shown) is not in the catalogue")
    }
}
