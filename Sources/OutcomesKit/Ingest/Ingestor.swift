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
            let identity = try FileDigest.quickIdentity(path: path)
            // Only a file that may have been seen needs its full hash before reading.
            let sha256 = try store.mayHaveFile(identity) ? FileDigest.sha256(path: path) : nil
            report = try load(path: path, identity: identity, sha256: sha256)
        } catch let refusal as FileRefusal {
            report = FileIngestReport(path: path, outcome: .refused(refusal.description))
        } catch let error as CSVReadError {
            report = FileIngestReport(path: path, outcome: .refused(error.description))
        } catch let hold as QualityGateHold {
            report = FileIngestReport(path: path, outcome: .heldBack(hold.summary, limit: hold.limit))
        } catch let seen as AlreadyIngested {
            report = FileIngestReport(path: path, outcome: .skipped(sha256: seen.sha256, previousName: seen.previousName))
        }
        return report
    }

    private func load(path: String, identity: FileIdentity, sha256: String?) throws -> FileIngestReport {
        let name = (path as NSString).lastPathComponent
        do {
            return try transaction(path: path, name: name, identity: identity, sha256: sha256)
        } catch {
            // The file was rolled back: patients it added are gone from the store.
            patients.keys.removeAll()
            throw error
        }
    }

    /// Loads one file in one IMMEDIATE transaction. `sha256` is known when the
    /// quick identity matched a stored file; otherwise it is computed while
    /// reading, and checked against the store at the end.
    private func transaction(path: String, name: String, identity: FileIdentity, sha256: String?) throws -> FileIngestReport {
        try store.writeTransaction { db -> FileIngestReport in
            if let sha256, let previous = try String.fetchOne(db, sql: "SELECT name FROM files WHERE sha256 = ?", arguments: [sha256]) {
                return FileIngestReport(path: path, outcome: .skipped(sha256: sha256, previousName: previous))
            }
            try db.execute(sql: """
                INSERT INTO files (name, sha256, kind, bytes, records, loaded, duplicates, rejected, ingested_at, head_sha256)
                VALUES (?, ?, 'sessions', 0, 0, 0, 0, 0, ?, ?)
                """, arguments: [name, "reading:" + UUID().uuidString, Date().ISO8601Format(), identity.headSHA256])
            let fileID = db.lastInsertedRowID
            let summary = try loadRecords(path: path, expectedSHA256: sha256, db: db, fileID: fileID)
            if sha256 == nil, let previous = try String.fetchOne(db, sql: "SELECT name FROM files WHERE sha256 = ?",
                                                                 arguments: [summary.sha256]) {
                throw AlreadyIngested(sha256: summary.sha256, previousName: previous)   // rolls the file back
            }
            if let limit = maxRejectRate, summary.records > 0, Double(summary.rejected) > limit * Double(summary.records) {
                throw QualityGateHold(summary: summary, limit: limit)   // rolls the file back
            }
            try db.execute(sql: """
                UPDATE files SET sha256 = ?, kind = ?, bytes = ?, records = ?, loaded = ?, duplicates = ?, rejected = ? WHERE id = ?
                """, arguments: [summary.sha256, summary.kind.rawValue, summary.bytes, summary.records, summary.loaded,
                                 summary.duplicates, summary.rejected, fileID])
            return FileIngestReport(path: path, outcome: .loaded(summary))
        }
    }

    /// Streams the records into the store. Any throw rolls the whole file back.
    ///
    /// Two threads share the work: a reader thread parses and checks records
    /// (IngestProducer) while this one stores them, batch by batch, through
    /// a bounded channel, so memory stays flat and both cores are used.
    private func loadRecords(path: String, expectedSHA256: String?, db: Database, fileID: Int64) throws -> FileSummary {
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
                if let expectedSHA256, digest != expectedSHA256 {
                    throw FileRefusal("the file changed while it was being read; try again")
                }
                return FileSummary(kind: layout.kind, sha256: digest, bytes: bytes, records: records, loaded: counts.loaded,
                                   duplicates: counts.duplicates, rejects: counts.rejects)
            case .failed(let error):
                throw error
            }
        }
    }
}

/// Thrown inside a file's transaction to roll it back: its bytes turned out to
/// have been ingested before (found only once read, for a file whose quick
/// identity matched nothing, such as one stored before that identity existed).
struct AlreadyIngested: Error {
    let sha256: String
    let previousName: String
}

/// Thrown inside a file's transaction to roll it back when it fails the gate.
struct QualityGateHold: Error {
    let summary: FileSummary
    let limit: Double
}

/// A cheap identity of a file: its size and the SHA-256 of its first 64 KiB.
/// Files with different identities cannot have the same bytes.
public struct FileIdentity: Sendable, Equatable {
    public let bytes: Int
    public let headSHA256: String
}

/// SHA-256 of a file's bytes, streamed.
public enum FileDigest {
    /// Size and head hash, reading at most 64 KiB.
    public static func quickIdentity(path: String) throws -> FileIdentity {
        let handle = try openForReading(path)
        defer { try? handle.close() }
        do {
            let head = try handle.read(upToCount: 1 << 16) ?? Data()
            let size = try handle.seekToEnd()
            return FileIdentity(bytes: Int(size), headSHA256: hex(SHA256.hash(data: head)))
        } catch {
            throw CSVReadError.unreadable(error.localizedDescription)
        }
    }

    public static func sha256(path: String) throws -> String {
        let handle = try openForReading(path)
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

    /// Opens a file, or says in words why it cannot be read.
    static func openForReading(_ path: String) throws -> FileHandle {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw CSVReadError.unreadable("no such file")
        }
        // Linux opens a folder for reading; only the read fails, and vaguely.
        if isDirectory.boolValue { throw CSVReadError.unreadable("it is a folder") }
        guard let handle = FileHandle(forReadingAtPath: path) else { throw CSVReadError.unreadable("permission denied") }
        return handle
    }

    static func hex(_ digest: SHA256.Digest) -> String {
        digest.map { byte in
            let text = String(byte, radix: 16)
            return byte < 16 ? "0" + text : text
        }.joined()
    }
}
