import Foundation

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
    /// FHIR lines of another resource type or an unfinished status: skipped, not rejected (§11).
    public var skipped = 0
}

/// What happened to one file given to `ingest`.
public struct FileIngestReport: Sendable, Equatable {
    public enum Outcome: Sendable, Equatable {
        /// Stored whole, in one transaction.
        case loaded(FileSummary)
        /// Its bytes were ingested before (as `previousName`); nothing done.
        case skipped(sha256: String, previousName: String)
        /// Nothing stored, for the reason given.
        case refused(IngestError)
        /// Read whole but not stored: more of its records were rejected than
        /// the pipeline's data-quality gate allows.
        case heldBack(FileSummary, limit: Double)
    }

    public let path: InputPath
    public let outcome: Outcome

    /// The file's base name, as the store and `rejects.csv` name it.
    public var name: String { path.baseName }

    public var isRefused: Bool { if case .refused = outcome { return true } else { return false } }
    public var isHeldBack: Bool { if case .heldBack = outcome { return true } else { return false } }

    /// One line for the terminal or a cron log.
    public var line: String {
        switch outcome {
        case .loaded(let summary):
            var text = "\(name): loaded \(summary.loaded) \(summary.kind.rawValue), \(summary.duplicates) duplicate\(summary.duplicates == 1 ? "" : "s"), \(summary.rejected) rejected"
            if summary.rejected > 0 {
                let reasons = summary.rejects.sorted { $0.key < $1.key }.map { "\($0.key.rawValue) \($0.value)" }
                text += " (" + reasons.joined(separator: ", ") + ")"
            }
            if summary.skipped > 0 { text += ", \(summary.skipped) skipped (other resources, or not final)" }
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

/// DATA-CONTRACT §1–2: loads session and score exports into the store. Each
/// file is judged alone and loads whole or not at all. This stage reads and
/// checks; the store persists (FileLoad, IngestWriter).
public final class Ingestor {
    public let store: OutcomeStore
    public let catalog: Catalog
    /// Called now and then while a file is read.
    public var onProgress: ((IngestProgress) -> Void)?
    /// The data-quality gate: a file with a larger share of rejected records is
    /// rolled back and reported as held back (nil: no gate).
    public var maxRejectRate: Double?
    /// Test hook: called after the writer took each batch (stored it, or
    /// holds it for its window) with its last record number, inside the
    /// transaction.
    var afterBatch: ((Int) throws -> Void)?

    public init(store: OutcomeStore, catalog: Catalog) {
        self.store = store
        self.catalog = catalog
    }

    /// Ingests the files in the order given, calling `each` with every file's
    /// report as soon as it is done, then folds the write-ahead log into the
    /// store. Throws only when the store itself fails (disk full, corrupt,
    /// busy past the timeout); a bad file is a refusal in its report, and the
    /// next file is read. This is the one loop over files that every command uses.
    @discardableResult
    public func ingest(_ paths: [InputPath], each: (FileIngestReport) -> Void = { _ in }) throws -> [FileIngestReport] {
        try ingest(paths.map { ($0, nil) }, each: each)
    }

    /// The same, each file with the source mapping it is read with (nil: this project's layout).
    @discardableResult
    public func ingest(_ files: [(path: InputPath, mapping: SourceMapping?)], each: (FileIngestReport) -> Void = { _ in }) throws
        -> [FileIngestReport] {
        var reports: [FileIngestReport] = []
        try store.firstLoad {
            for (path, mapping) in files {
                let report = try ingest(path: path, mapping: mapping)
                each(report)
                reports.append(report)
            }
        }
        try store.checkpoint()
        return reports
    }

    /// The same, for paths given as text.
    @discardableResult
    public func ingest(_ paths: [String], each: (FileIngestReport) -> Void = { _ in }) throws -> [FileIngestReport] {
        try ingest(paths.map { InputPath($0) }, each: each)
    }

    /// Ingests one file: refused, skipped or loaded whole.
    func ingest(path: InputPath, mapping: SourceMapping? = nil) throws -> FileIngestReport {
        do {
            let identity = try FileDigest.quickIdentity(path)
            // Only a file that may have been seen needs its full hash before reading.
            let knownSHA256 = try store.mayHaveFile(identity) ? try FileDigest.sha256(path) : nil
            if let knownSHA256, let previous = try store.storedFileName(sha256: knownSHA256) {
                return FileIngestReport(path: path, outcome: .skipped(sha256: knownSHA256, previousName: previous))
            }
            return try load(path, mapping: mapping, identity: identity, knownSHA256: knownSHA256)
        } catch let refusal as IngestError {
            return FileIngestReport(path: path, outcome: .refused(refusal))
        } catch let hold as QualityGateHold {
            return FileIngestReport(path: path, outcome: .heldBack(hold.summary, limit: hold.limit))
        } catch let seen as AlreadyIngested {
            return FileIngestReport(path: path, outcome: .skipped(sha256: seen.sha256, previousName: seen.previousName))
        }
    }

    /// Loads one file in its own transaction, and checks that what was read
    /// is the file that was identified: same size, same first bytes, and the
    /// same hash when it was taken first.
    private func load(_ path: InputPath, mapping: SourceMapping?, identity: FileIdentity, knownSHA256: String?) throws -> FileIngestReport {
        try store.loadFile(name: path.baseName, headSHA256: identity.headSHA256) { file in
            let read = try loadRecords(path, mapping: mapping, into: file)
            guard read.identity == identity, knownSHA256 == nil || knownSHA256 == read.summary.sha256 else {
                throw IngestError.changedWhileRead
            }
            let summary = read.summary
            if let previous = try file.previouslyIngested(sha256: summary.sha256) {
                // Stored by another ingest meanwhile, or before head hashes were kept.
                throw AlreadyIngested(sha256: summary.sha256, previousName: previous)   // rolls the file back
            }
            if let limit = maxRejectRate, summary.records > 0, Double(summary.rejected) > limit * Double(summary.records) {
                throw QualityGateHold(summary: summary, limit: limit)   // rolls the file back
            }
            try file.finish(summary)
            return FileIngestReport(path: path, outcome: .loaded(summary))
        }
    }

    /// Streams the records into the store. Any throw rolls the whole file back.
    ///
    /// Two threads share the work: a reader thread parses and checks records
    /// (IngestProducer) while this one stores them, batch by batch, through
    /// a bounded channel, so memory stays flat and both cores are used.
    private func loadRecords(_ path: InputPath, mapping: SourceMapping?, into file: FileLoad) throws
        -> (summary: FileSummary, identity: FileIdentity) {
        // Room for a whole window of batches and two more, so the reader reads
        // the next window while the writer stores the one it holds.
        let channel = BoundedChannel<IngestProducer.Message>(capacity: IngestWriter.batchesPerWindow + 2)
        let producer = IngestProducer(path: path, catalog: catalog, mapping: mapping, channel: channel)
        producer.start()
        defer {
            channel.cancel()
            producer.waitUntilDone()
        }

        var writer: IngestWriter?
        var layout: FileLayout?
        var counts = BatchCounts()
        var bytesTotal = 0
        while true {
            switch channel.receive() {
            case .layout(let fileLayout, let size):
                layout = fileLayout
                bytesTotal = size
                writer = try file.writer(for: fileLayout, catalog: catalog)
            case .batch(let batch, let lastRecord):
                counts.add(try writer!.add(batch, moreWaiting: !channel.isEmpty))
                onProgress?(IngestProgress(file: path.baseName, bytesRead: batch.bytesRead, bytesTotal: bytesTotal))
                try afterBatch?(lastRecord)
                if let point = Failpoint.ingestRecord, lastRecord >= point { Failpoint.hit("ingest.after-record:\(point)") }
            case .finished(let records, let identity, let sha256, let skipped):
                guard let layout, let writer else { throw IngestError.empty }
                counts.add(try writer.finish())
                var summary = FileSummary(kind: layout.kind, sha256: sha256, bytes: identity.bytes, records: records,
                                          loaded: counts.loaded, duplicates: counts.duplicates, rejects: counts.rejects)
                summary.skipped = skipped
                return (summary, identity)
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

    /// Bytes the head hash covers.
    static let headBytes = 1 << 16
}

/// SHA-256 of a file's bytes, streamed.
enum FileDigest {
    /// Size and head hash, reading at most 64 KiB.
    static func quickIdentity(_ path: InputPath) throws(IngestError) -> FileIdentity {
        let file = try InputFile(path)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: FileIdentity.headBytes, alignment: 16)
        defer { buffer.deallocate() }
        var filled = 0
        while filled < buffer.count {
            let count = try file.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[filled...]))
            if count == 0 { break }
            filled += count
        }
        return FileIdentity(bytes: file.size, headSHA256: Digest.hex(SHA256Hasher.hash(UnsafeRawBufferPointer(rebasing: buffer[0..<filled]))))
    }

    static func sha256(_ path: InputPath) throws(IngestError) -> String {
        let file = try InputFile(path)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer { buffer.deallocate() }
        let hasher = SHA256Hasher()
        var total = 0
        while true {
            let count = try file.read(into: buffer)
            if count == 0 { break }
            hasher.update(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
            total += count
        }
        try file.confirmUnchanged(bytesRead: total)
        return Digest.hex(hasher.finalize())
    }
}
