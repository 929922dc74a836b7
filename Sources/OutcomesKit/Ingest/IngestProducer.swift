import Crypto
import Foundation

/// The reading half of an ingest: on its own thread, parses a file with
/// libcsv, hashes the bytes it parses, checks every record and hands batches
/// of staged rows to the writer through a bounded channel.
final class IngestProducer: @unchecked Sendable {
    enum Message {
        /// The header was read: the file's kind and columns.
        case layout(FileLayout)
        /// Consecutive records, ready to store; `lastRecord` is the last one's number.
        case batch(IngestBatch, lastRecord: Int)
        /// The whole file was read: data records, bytes, and the SHA-256 of those bytes.
        case finished(records: Int, bytes: Int, sha256: String)
        /// Reading stopped: a refusal (bad header, broken CSV) or an I/O error.
        case failed(Error)
    }

    /// Records per batch: large enough to amortize the hand-over, small
    /// enough to keep memory flat (a few hundred KB per batch).
    static let batchRecords = 8192

    private let path: String
    private let catalog: Catalog
    private let channel: BoundedChannel<Message>
    private let done = DispatchSemaphore(value: 0)

    init(path: String, catalog: Catalog, channel: BoundedChannel<Message>) {
        self.path = path
        self.catalog = catalog
        self.channel = channel
    }

    func start() {
        let thread = Thread { [self] in
            run()
            done.signal()
        }
        thread.name = "outcomes.ingest.reader"
        thread.start()
    }

    func waitUntilDone() { done.wait() }

    /// The consumer cancelled: stop reading.
    private struct Cancelled: Error {}

    private func run() {
        do {
            var hasher = SHA256()
            var bytesRead = 0
            var records = 0
            var validator: RecordValidator?
            var batch = IngestBatch(capacity: Self.batchRecords)
            func send(_ message: Message) throws {
                guard channel.send(message) else { throw Cancelled() }
            }
            try CSVRecordReader(path: path).forEachRecord(onChunk: { chunk in
                hasher.update(bufferPointer: chunk)
                bytesRead += chunk.count
            }) { record in
                guard let validator else {
                    let layout = try FileLayout(header: record)
                    validator = RecordValidator(layout: layout, catalog: catalog)
                    try send(.layout(layout))
                    return
                }
                records += 1
                validator.stage(record, into: &batch)
                if batch.records >= Self.batchRecords {
                    batch.bytesRead = bytesRead
                    try send(.batch(batch, lastRecord: record.number))
                    batch = IngestBatch(capacity: Self.batchRecords)
                }
            }
            if batch.records > 0 {
                batch.bytesRead = bytesRead
                try send(.batch(batch, lastRecord: records + 1))
            }
            try send(.finished(records: records, bytes: bytesRead, sha256: FileDigest.hex(hasher.finalize())))
        } catch is Cancelled {
            return
        } catch {
            _ = channel.send(.failed(error))
        }
    }
}
