import Foundation

/// A slice of a batch's byte arena.
struct ByteRange: Sendable {
    var offset: Int
    var length: Int

    static let none = ByteRange(offset: 0, length: -1)
    var isNone: Bool { length < 0 }
}

/// A valid record waiting to be stored: everything checked but the
/// duplicate key, which needs the store.
struct StagedRow: Sendable {
    var record: Int
    var patient: ByteRange
    var day: Int32
    /// Seconds since midnight, or -1 when no time was written.
    var time: Int32
    /// Position of the modality (sessions) or instrument (scores) in the catalogue.
    var subject: Int
    var site: ByteRange
    var sessionID: ByteRange
    var score: Int32
    /// PHQ-9 item 9, or -1.
    var item9: Int8
    /// The record as read, for the rejects table should it turn out a conflicting duplicate.
    var raw: ByteRange
}

/// A record that failed a check, with its raw fields.
struct StagedReject: Sendable {
    let record: Int
    let reject: RejectedRecord
    let raw: [UInt8]
}

/// A run of consecutive records of one file, checked and ready to store, in
/// file order. Its byte fields live in one arena, so a batch of thousands of
/// rows costs a handful of allocations. A value type: the reader fills it,
/// then hands it over whole.
///
/// A batch is full at `maxRecords` records or `maxBytes` of arena and
/// rejects, whichever comes first: records of legal 1 MiB fields must not
/// pile gigabytes into one batch.
struct IngestBatch: Sendable {
    /// Records per batch: large enough to amortize the hand-over.
    static let maxRecords = 8192
    /// Bytes per batch (arena plus raw rejects): memory stays flat.
    static let maxBytes = 8 << 20

    var rows: [StagedRow] = []
    var rejects: [StagedReject] = []
    var arena: [UInt8] = []
    /// Raw bytes held by `rejects`.
    private(set) var rejectBytes = 0
    /// Data records in this batch (rows and rejects).
    var records: Int { rows.count + rejects.count }
    /// Bytes of the file read when the batch was handed over (for progress).
    var bytesRead = 0

    init() {
        rows.reserveCapacity(Self.maxRecords)
        arena.reserveCapacity(Self.maxRecords * 48)
    }

    var isFull: Bool { records >= Self.maxRecords || arena.count + rejectBytes >= Self.maxBytes }

    mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) -> ByteRange {
        let range = ByteRange(offset: arena.count, length: bytes.count)
        arena.append(contentsOf: bytes)
        return range
    }

    mutating func appendReject(_ reject: StagedReject) {
        rejects.append(reject)
        rejectBytes += reject.raw.count
    }

    func bytes<T>(_ range: ByteRange, _ body: (UnsafeBufferPointer<UInt8>) throws -> T) rethrows -> T {
        try arena.withUnsafeBufferPointer { arena in
            try body(UnsafeBufferPointer(rebasing: arena[range.offset..<(range.offset + max(range.length, 0))]))
        }
    }
}

extension IngestBatch {
    /// Appends the record's raw fields (as one CSV line) to the arena.
    mutating func appendRaw(of record: CSVRecord) -> ByteRange {
        let start = arena.count
        RecordValidator.appendRaw(of: record, to: &arena)
        return ByteRange(offset: start, length: arena.count - start)
    }
}
