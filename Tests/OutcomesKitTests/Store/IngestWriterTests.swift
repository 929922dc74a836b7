import Foundation
import GRDB
import Testing
@testable import OutcomesKit

/// The writer inserts a window of rows in patient order: the same rows,
/// duplicates and conflicts as inserting them in file order.
@Suite struct IngestWriterTests {
    @Test(arguments: [(patients: 50, seed: 1), (patients: 5_000, seed: 2), (patients: 1 << 30, seed: 3)])
    func patientOrderIsAStableSortByPatient(patients: Int, seed: UInt64) {
        var random = SyntheticRandom(seed: seed)
        // (patient, position in the file): one, two or three radix passes.
        let rows = (0..<3_000).map { (patient: Int64(random.int(1...patients)), position: $0) }
        let sorted = IngestWriter.inPatientOrder(rows) { $0.patient }
        let expected = rows.sorted { ($0.patient, $0.position) < ($1.patient, $1.position) }
        #expect(sorted.map(\.position) == expected.map(\.position))
    }

    @Test func rowsAlreadyInPatientOrderAreKeptAsTheyCome() {
        let rows = [(patient: Int64(1), position: 0), (2, 1), (2, 2), (7, 3)].map { (patient: $0.0, position: $0.1) }
        #expect(IngestWriter.inPatientOrder(rows) { $0.patient }.map(\.position) == [0, 1, 2, 3])
    }

    /// Three windows and more of scores in random patient order, with keys
    /// repeated within a batch, across batches of one window and across
    /// windows: the first row of each key in the file is stored, a later one
    /// with the same score is a duplicate, with another score a conflict.
    @Test func aFileInRandomPatientOrderKeepsTheFirstRowOfEachKey() throws {
        var random = SyntheticRandom(seed: 15)
        let records = 3 * IngestWriter.batchesPerWindow * IngestBatch.maxRecords + 700
        var first: [String: (record: Int, score: Int)] = [:]
        var expectedDuplicates = 0
        var expectedConflicts: [Int] = []
        var lines: [String] = []
        for index in 0..<records {
            let record = index + 2
            let patient = "P\(random.int(0...399))", day = Day(ordinal: 20_000 + Int32(random.int(0...299)))
            let score = random.int(0...2)
            let key = "\(patient) \(day)"
            if let kept = first[key] {
                if kept.score == score { expectedDuplicates += 1 } else { expectedConflicts.append(record) }
            } else {
                first[key] = (record, score)
            }
            lines.append("\(patient),\(day),phq9,\(score),")
        }
        let store = try TestStore()
        let path = store.folder.write("scores.csv", IngestorTests.scoresHeader + lines.joined(separator: "\n") + "\n")
        let ingestor = Ingestor(store: store.store, catalog: .standard)
        // A writer slower than the reader, so the next batch is waiting and
        // batches are stored two at a time (a faster writer stores each at once).
        ingestor.afterBatch = { _ in Thread.sleep(forTimeInterval: 0.1) }
        let summary = try #require(store.summary(try ingestor.ingest(path: InputPath(path))))
        #expect(expectedDuplicates > 100 && expectedConflicts.count > 100, "the data repeat keys often enough")
        #expect(summary.loaded == first.count)
        #expect(summary.duplicates == expectedDuplicates)
        #expect(summary.rejects == [.conflictingDuplicate: expectedConflicts.count])
        #expect(try store.store.rejects().map(\.record) == expectedConflicts)
        let stored = try store.store.read { db in
            try Row.fetchAll(db, sql: "SELECT p.pseudonym, s.day, s.record, s.score FROM scores s JOIN patients p ON p.id = s.patient_id")
        }
        let storedByKey = Dictionary(uniqueKeysWithValues: stored.map { row in
            ("\(row[0] as String) \(Day(ordinal: row[1]))", (record: row[2] as Int, score: row[3] as Int))
        })
        #expect(storedByKey.count == first.count)
        #expect(storedByKey.allSatisfy { key, value in first[key].map { $0 == value } ?? false })
    }
}
