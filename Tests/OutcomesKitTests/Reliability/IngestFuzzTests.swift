import Foundation
import GRDB
import Testing
@testable import OutcomesKit

/// Property test: mutated versions of valid exports never break the ingest's
/// promises. For every mutant:
/// - the file is refused whole (nothing stored from it), or every record is
///   stored, a duplicate or a reject, and the counts add up;
/// - the store holds exactly the rows and rejects the counts say;
/// - the store passes `PRAGMA integrity_check`.
///
/// `make test` runs a few hundred mutants; `make fuzz` runs thousands
/// (`OUTCOMES_FUZZ_ITERATIONS`), with the seed printed for any failure.
@Suite struct IngestFuzzTests {
    static var iterations: Int { Int(ProcessInfo.processInfo.environment["OUTCOMES_FUZZ_ITERATIONS"] ?? "") ?? 150 }
    static var seed: UInt64 { UInt64(ProcessInfo.processInfo.environment["OUTCOMES_FUZZ_SEED"] ?? "") ?? 20_261_126 }

    /// Valid exports to mutate: a small synthetic data set.
    static func originals() throws -> [(name: String, bytes: [UInt8])] {
        let folder = TemporaryFolder()
        let options = SyntheticOptions(patients: 25, seed: 9, from: day("2026-01-01"), to: day("2026-10-31"), messyRate: 0.05, split: 1)
        return try SyntheticExport.write(options, to: folder.path).files.map { name in
            (name, Array(FileManager.default.contents(atPath: folder.file(name))!))
        }
    }

    /// One random change to the bytes of a file.
    static func mutate(_ bytes: inout [UInt8], _ random: inout SyntheticRandom) {
        let hostile: [UInt8] = [0x00, 0xFF, 0xC3, 0xE9, 0x22, 0x2C, 0x0D, 0x0A, 0x09, 0x20, 0xEF, 0xBB, 0xBF, 0x3D]
        guard !bytes.isEmpty else {
            bytes = [random.pick(hostile)]
            return
        }
        let position = random.int(0...(bytes.count - 1))
        switch random.int(0...7) {
        case 0: bytes[position] = random.pick(hostile)
        case 1: bytes[position] = UInt8(truncatingIfNeeded: random.next())
        case 2: bytes.insert(contentsOf: (0..<random.int(1...8)).map { _ in random.pick(hostile) }, at: position)
        case 3: bytes.removeSubrange(position..<min(bytes.count, position + random.int(1...40)))
        case 4: bytes.removeSubrange(position..<bytes.count)   // truncated
        case 5:   // a line repeated
            let lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false)
            let line = lines[random.int(0...(lines.count - 1))]
            bytes.insert(contentsOf: Array(line) + [0x0A], at: position)
        case 6:   // two lines swapped
            var lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false).map(Array.init)
            if lines.count > 2 { lines.swapAt(random.int(1...(lines.count - 1)), random.int(1...(lines.count - 1))) }
            bytes = Array(lines.joined(separator: [0x0A]))
        default:   // a quote somewhere
            bytes.insert(0x22, at: position)
        }
    }

    @Test func mutatedExportsKeepTheIngestsPromises() throws {
        let originals = try Self.originals()
        let store = try TestStore()
        var random = SyntheticRandom(seed: Self.seed)
        var refused = 0, loaded = 0
        for iteration in 0..<Self.iterations {
            let original = random.pick(originals)
            var bytes = original.bytes
            for _ in 0..<random.int(1...4) { Self.mutate(&bytes, &random) }
            let name = "mutant-\(iteration)-\(original.name)"
            let path = store.folder.write(name, bytes: bytes)
            let before = try counts(store)
            let report = try Ingestor(store: store.store, catalog: .standard).ingest(path: InputPath(path))
            let after = try counts(store)
            let context = "seed \(Self.seed), iteration \(iteration) (\(name)): \(report.line)"
            switch report.outcome {
            case .refused:
                refused += 1
                #expect(after == before, "a refused file changed the store; \(context)")
            case .skipped:
                #expect(after == before, "\(context)")
            case .heldBack:
                Issue.record("no gate was set; \(context)")
            case .loaded(let summary):
                loaded += 1
                #expect(summary.records == summary.loaded + summary.duplicates + summary.rejected, "counts do not add up; \(context)")
                let stored = try store.store.read { db in
                    try Row.fetchOne(db, sql: """
                        SELECT (SELECT count(*) FROM sessions WHERE file_id = f.id) + (SELECT count(*) FROM scores WHERE file_id = f.id),
                               (SELECT count(*) FROM rejects WHERE file_id = f.id)
                        FROM files f WHERE f.sha256 = ?
                        """, arguments: [summary.sha256])
                }
                #expect(stored?[0] as Int? == summary.loaded, "rows stored ≠ loaded; \(context)")
                #expect(stored?[1] as Int? == summary.rejected, "rejects stored ≠ rejected; \(context)")
                #expect(after.rows == before.rows + summary.loaded, "\(context)")
            }
        }
        let integrity = try store.store.read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") }
        #expect(integrity == ["ok"])
        #expect(refused > 0 && loaded > 0, "the mutations should produce both refused and loaded files (\(refused) refused, \(loaded) loaded)")
    }

    struct Counts: Equatable { let files, rows, rejects, patients: Int }

    func counts(_ store: TestStore) throws -> Counts {
        try store.store.read { db in
            func count(_ sql: String) throws -> Int { try Int.fetchOne(db, sql: sql) ?? -1 }
            return Counts(files: try count("SELECT count(*) FROM files"),
                          rows: try count("SELECT (SELECT count(*) FROM sessions) + (SELECT count(*) FROM scores)"),
                          rejects: try count("SELECT count(*) FROM rejects"),
                          patients: try count("SELECT count(*) FROM patients"))
        }
    }
}
