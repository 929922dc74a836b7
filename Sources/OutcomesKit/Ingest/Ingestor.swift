import Crypto
import Foundation
import GRDB

/// Counts for one loaded file.
public struct FileSummary: Sendable, Equatable, Codable {
    public let kind: FileKind
    public let sha256: String
    public let bytes: Int
    /// Data records (the header not counted).
    public let records: Int
    public let loaded: Int
    public let duplicates: Int
    /// Rejects per reason.
    public let rejects: [RejectReason: Int]

    public var rejected: Int { rejects.values.reduce(0, +) }
}

/// What happened to one file given to `ingest`.
public struct FileIngestReport: Sendable, Equatable {
    public enum Outcome: Sendable, Equatable {
        /// Stored whole, in one transaction.
        case loaded(FileSummary)
        /// Its bytes were ingested before (as `previousName`); nothing done.
        case skipped(sha256: String, previousName: String)
        /// Nothing stored, for the reason given.
        case refused(String)
        /// Read whole but not stored: more of its records were rejected than
        /// the pipeline's data-quality gate allows.
        case heldBack(FileSummary, limit: Double)
    }

    public let path: String
    public let outcome: Outcome

    /// The file's base name, as the store and `rejects.csv` name it.
    public var name: String { (path as NSString).lastPathComponent }

    /// One line for the terminal or a cron log.
    public var line: String {
        switch outcome {
        case .loaded(let summary):
            var text = "\(name): loaded \(summary.loaded) \(summary.kind.rawValue), \(summary.duplicates) duplicate\(summary.duplicates == 1 ? "" : "s"), \(summary.rejected) rejected"
            if summary.rejected > 0 {
                let reasons = summary.rejects.sorted { $0.key < $1.key }.map { "\($0.key.rawValue) \($0.value)" }
                text += " (" + reasons.joined(separator: ", ") + ")"
            }
            return text
        case .skipped(_, let previousName):
            return "\(name): skipped, same bytes already ingested" + (previousName == name ? "" : " as \(previousName)")
        case .refused(let reason):
            return "\(name): refused, \(reason)"
        case .heldBack(let summary, let limit):
            let rate = NumberFormat.fixed(100 * Double(summary.rejected) / Double(max(summary.records, 1)), decimals: 1)
            return "\(name): held back, \(summary.rejected) of \(summary.records) records rejected (\(rate) %), above the pipeline's max_reject_rate of \(NumberFormat.fixed(limit * 100, decimals: 1)) %; nothing stored"
        }
    }
}

/// Progress of a long ingest, for a progress bar.
public struct IngestProgress: Sendable {
    public let file: String
    public let bytesRead: Int
    public let bytesTotal: Int
}

/// SPEC §1–2: loads session and score exports into the store. Each file is
/// judged alone and loads whole or not at all.
public final class Ingestor {
    public let store: OutcomeStore
    public let catalog: Catalog
    /// Patients seen by this ingest, across its files.
    private let patients = PatientCache()
    /// Called now and then while a file is read.
    public var onProgress: ((IngestProgress) -> Void)?
    /// The data-quality gate: a file with a larger share of rejected records is
    /// rolled back and reported as held back (nil: no gate).
    public var maxRejectRate: Double?
    /// Test hook: called after each stored batch with its last record number,
    /// inside the transaction.
    var afterBatch: ((Int) throws -> Void)?

    public init(store: OutcomeStore, catalog: Catalog) {
        self.store = store
        self.catalog = catalog
    }

    /// Ingests the files in the order given. Throws only when the store
    /// itself fails (disk full, corrupt, busy past the timeout); a bad file is
    /// a refusal in its report, and the next file is read.
    public func ingest(_ paths: [String]) throws -> [FileIngestReport] {
        let reports = try paths.map { try ingest(path: $0) }
        try store.checkpoint()
        return reports
    }

    /// Ingests one file: refused, skipped or loaded whole.
    public func ingest(path: String) throws -> FileIngestReport {
        let report: FileIngestReport
        do {
            let sha256 = try FileDigest.sha256(path: path)
            report = try load(path: path, sha256: sha256)
        } catch let refusal as FileRefusal {
            report = FileIngestReport(path: path, outcome: .refused(refusal.description))
        } catch let error as CSVReadError {
            report = FileIngestReport(path: path, outcome: .refused(error.description))
        } catch let hold as QualityGateHold {
            report = FileIngestReport(path: path, outcome: .heldBack(hold.summary, limit: hold.limit))
        }
        return report
    }

    private func load(path: String, sha256: String) throws -> FileIngestReport {
        let name = (path as NSString).lastPathComponent
        do {
            return try transaction(path: path, name: name, sha256: sha256)
        } catch {
            // The file was rolled back: patients it added are gone from the store.
            patients.keys.removeAll()
            throw error
        }
    }

    private func transaction(path: String, name: String, sha256: String) throws -> FileIngestReport {
        try store.writeTransaction { db -> FileIngestReport in
            if let previous = try String.fetchOne(db, sql: "SELECT name FROM files WHERE sha256 = ?", arguments: [sha256]) {
                return FileIngestReport(path: path, outcome: .skipped(sha256: sha256, previousName: previous))
            }
            try db.execute(sql: """
                INSERT INTO files (name, sha256, kind, bytes, records, loaded, duplicates, rejected, ingested_at)
                VALUES (?, ?, 'sessions', 0, 0, 0, 0, 0, ?)
                """, arguments: [name, sha256, Date().ISO8601Format()])
            let fileID = db.lastInsertedRowID
            let summary = try loadRecords(path: path, sha256: sha256, db: db, fileID: fileID)
            if let limit = maxRejectRate, summary.records > 0, Double(summary.rejected) > limit * Double(summary.records) {
                throw QualityGateHold(summary: summary, limit: limit)   // rolls the file back
            }
            try db.execute(sql: """
                UPDATE files SET kind = ?, bytes = ?, records = ?, loaded = ?, duplicates = ?, rejected = ? WHERE id = ?
                """, arguments: [summary.kind.rawValue, summary.bytes, summary.records, summary.loaded,
                                 summary.duplicates, summary.rejected, fileID])
            return FileIngestReport(path: path, outcome: .loaded(summary))
        }
    }

    /// Streams the records into the store. Any throw rolls the whole file back.
    ///
    /// Two threads share the work: a reader thread parses and checks records
    /// (IngestProducer) while this one stores them, batch by batch, through
    /// a bounded channel, so memory stays flat and both cores are used.
    private func loadRecords(path: String, sha256: String, db: Database, fileID: Int64) throws -> FileSummary {
        let name = (path as NSString).lastPathComponent
        let bytesTotal = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        let channel = BoundedChannel<IngestProducer.Message>(capacity: 2)
        let producer = IngestProducer(path: path, catalog: catalog, channel: channel)
        producer.start()
        defer {
            channel.cancel()
            producer.waitUntilDone()
        }

        var writer: IngestWriter?
        var layout: FileLayout?
        var counts = BatchCounts()
        while true {
            switch channel.receive() {
            case .layout(let fileLayout):
                layout = fileLayout
                writer = try IngestWriter(db, fileID: fileID, layout: fileLayout, catalog: catalog, patients: patients)
            case .batch(let batch, let lastRecord):
                let stored = try writer!.store(batch)
                counts.loaded += stored.loaded
                counts.duplicates += stored.duplicates
                counts.rejects.merge(stored.rejects, uniquingKeysWith: +)
                onProgress?(IngestProgress(file: name, bytesRead: batch.bytesRead, bytesTotal: bytesTotal))
                try afterBatch?(lastRecord)
                if let point = Failpoint.ingestRecord, lastRecord >= point { Failpoint.hit("ingest.after-record:\(point)") }
            case .finished(let records, let bytes, let digest):
                guard let layout else { throw FileRefusal("the file is empty") }
                guard digest == sha256 else { throw FileRefusal("the file changed while it was being read; try again") }
                return FileSummary(kind: layout.kind, sha256: sha256, bytes: bytes, records: records, loaded: counts.loaded,
                                   duplicates: counts.duplicates, rejects: counts.rejects)
            case .failed(let error):
                throw error
            }
        }
    }
}

/// Thrown inside a file's transaction to roll it back when it fails the gate.
struct QualityGateHold: Error {
    let summary: FileSummary
    let limit: Double
}

/// SHA-256 of a file's bytes, streamed.
public enum FileDigest {
    public static func sha256(path: String) throws -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
                throw CSVReadError.unreadable(isDirectory.boolValue ? "it is a folder" : "permission denied")
            }
            throw CSVReadError.unreadable("no such file")
        }
        defer { try? handle.close() }
        var hasher = SHA256()
        do {
            while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
                hasher.update(data: chunk)
            }
        } catch {
            throw CSVReadError.unreadable(error.localizedDescription)
        }
        return hex(hasher.finalize())
    }

    static func hex(_ digest: SHA256.Digest) -> String {
        digest.map { byte in
            let text = String(byte, radix: 16)
            return byte < 16 ? "0" + text : text
        }.joined()
    }
}
