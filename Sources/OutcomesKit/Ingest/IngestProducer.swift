import Foundation

/// The reading half of an ingest: on its own thread, parses a file with
/// libcsv, hashes the bytes it parses, checks every record and hands batches
/// of staged rows to the writer through a bounded channel.
final class IngestProducer: @unchecked Sendable {
    enum Message {
        /// The header was read: the file's kind and columns, and its size.
        case layout(FileLayout, size: Int)
        /// Consecutive records, ready to store; `lastRecord` is the last one's number.
        case batch(IngestBatch, lastRecord: Int)
        /// The whole file was read: data records, the identity of the bytes
        /// read (size and head hash) and their SHA-256.
        case finished(records: Int, identity: FileIdentity, sha256: String, skipped: Int)
        /// Reading stopped: a refusal (bad header, broken CSV) or an I/O error.
        case failed(Error)
    }

    private let path: InputPath
    private let catalog: Catalog
    /// The source mapping the file is read with (§11), or nil for this project's layout.
    private let mapping: SourceMapping?
    private let channel: BoundedChannel<Message>
    private let done = DispatchSemaphore(value: 0)

    init(path: InputPath, catalog: Catalog, mapping: SourceMapping? = nil, channel: BoundedChannel<Message>) {
        self.mapping = mapping
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
            let hasher = SHA256Hasher()
            let headHasher = SHA256Hasher()
            var bytesRead = 0
            var records = 0
            var validator: RecordValidator?
            var batch = IngestBatch()
            func send(_ message: Message) throws {
                guard channel.send(message) else { throw Cancelled() }
            }
            var size = 0
            var lastRecord = 0
            func onChunk(_ chunk: UnsafeRawBufferPointer) {
                hasher.update(chunk)
                if bytesRead < FileIdentity.headBytes {
                    headHasher.update(UnsafeRawBufferPointer(rebasing: chunk.prefix(FileIdentity.headBytes - bytesRead)))
                }
                bytesRead += chunk.count
            }
            func onRecord(_ record: CSVRecord) throws {
                guard let validator else {
                    // A FHIR file's converted lines have this project's own columns.
                    let layout = try mapping.map { mapping throws(IngestError) in
                        mapping.format == .fhirNDJSON ? try FileLayout(header: record) : try FileLayout(header: record, mapping: mapping)
                    } ?? FileLayout(header: record)
                    validator = RecordValidator(layout: layout, catalog: catalog, mapping: mapping?.format == .csv ? mapping : nil)
                    try send(.layout(layout, size: size))
                    return
                }
                lastRecord = record.number
                records += validator.stage(record, into: &batch)
                if batch.isFull {
                    batch.bytesRead = bytesRead
                    try send(.batch(batch, lastRecord: record.number))
                    batch = IngestBatch()
                }
            }
            var fileBytes = 0, skipped = 0
            if let mapping, mapping.format == .fhirNDJSON {
                let zone = mapping.timeZone.flatMap(TimeZone.init(identifier:)) ?? TimeZone(identifier: "UTC")!
                let read = try FHIRRecordReader(path: path, mapping: mapping, timeZone: zone)
                    .forEachRecord(onOpen: { size = $0 }, onChunk: onChunk, onRecord)
                (fileBytes, skipped) = (read.bytes, read.skipped)
            } else {
                fileBytes = try CSVRecordReader(path: path, dialect: mapping?.dialect ?? .standard)
                    .forEachRecord(onOpen: { size = $0 }, onChunk: onChunk, onRecord).bytes
            }
            if batch.records > 0 {
                batch.bytesRead = bytesRead
                try send(.batch(batch, lastRecord: lastRecord))
            }
            let identity = FileIdentity(bytes: fileBytes, headSHA256: Digest.hex(headHasher.finalize()))
            try send(.finished(records: records, identity: identity, sha256: Digest.hex(hasher.finalize()), skipped: skipped))
        } catch is Cancelled {
            return
        } catch {
            _ = channel.send(.failed(error))
        }
    }
}
