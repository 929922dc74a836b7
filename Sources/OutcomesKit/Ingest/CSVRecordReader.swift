import CLibCSV
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One CSV record: its number (the header is record 1; blank lines are not
/// counted) and its fields, already trimmed of spaces and tabs (SPEC §1).
///
/// A record is a view into the reader's buffer, valid only inside the
/// callback that receives it.
public struct CSVRecord {
    /// 1-based record number.
    public let number: Int
    private let base: UnsafePointer<UInt8>
    private let ends: UnsafeBufferPointer<Int>
    private let firstStart: Int

    init(number: Int, base: UnsafePointer<UInt8>, ends: UnsafeBufferPointer<Int>, firstStart: Int) {
        self.number = number
        self.base = base
        self.ends = ends
        self.firstStart = firstStart
    }

    /// Number of fields.
    public var count: Int { ends.count }

    /// The bytes of field `index`.
    public subscript(index: Int) -> UnsafeBufferPointer<UInt8> {
        let start = index == 0 ? firstStart : ends[index - 1]
        return UnsafeBufferPointer(start: base + start, count: ends[index] - start)
    }

    /// Every byte of the record's fields is ASCII: the common case, which
    /// needs no UTF-8 check.
    public var isASCII: Bool {
        let bytes = UnsafeBufferPointer(start: base + firstStart, count: (ends.last ?? firstStart) - firstStart)
        return !bytes.contains { $0 >= 0x80 }
    }

    /// Field `index` as a String (invalid UTF-8 is replaced by U+FFFD).
    public func string(_ index: Int) -> String { String(decoding: self[index], as: UTF8.self) }
}

/// Why a file could not be read as CSV. Each case names the record.
public enum CSVReadError: Error, Equatable, CustomStringConvertible {
    /// The file could not be opened or read.
    case unreadable(String)
    /// The bytes break CSV structure at `record` (a stray quote, text after a
    /// closing quote, or a quote still open at the end of the file).
    case structure(record: Int, byteOffset: Int, problem: String)
    /// A field longer than the reader accepts.
    case fieldTooLong(record: Int, limit: Int)
    /// A record longer than the reader accepts, or with too many fields.
    case recordTooLong(record: Int, problem: String)

    public var description: String {
        switch self {
        case .unreadable(let why): return "cannot be read: \(why)"
        case .structure(let record, let offset, let problem):
            return "breaks CSV structure at record \(record) (byte offset \(offset)): \(problem)"
        case .fieldTooLong(let record, let limit):
            return "record \(record) has a field longer than \(limit) bytes"
        case .recordTooLong(let record, let problem): return "record \(record) \(problem)"
        }
    }
}

/// Limits that keep memory flat whatever a file holds.
public struct CSVReaderLimits: Sendable {
    /// Largest field, in bytes. Also libcsv's buffer limit.
    public static let maxFieldBytes = 1 << 20
    /// Largest record (all fields together), in bytes.
    public var maxRecordBytes = 4 << 20
    /// Most fields in one record.
    public var maxFields = 10_000
    /// Bytes read from the file at a time.
    public var chunkBytes = 1 << 20

    public init() {}
}

/// Streams the records of a CSV file through libcsv with
/// `CSV_STRICT | CSV_STRICT_FINI`, the parsing rules of SPEC §1. A leading
/// UTF-8 BOM is skipped; CR, LF and CRLF end records; blank lines are no
/// records; spaces and tabs around every field are trimmed, inside quotes too.
///
/// Memory stays bounded by the chunk size and the limits, whatever the file
/// size: records are handed to the caller chunk by chunk and then forgotten.
public struct CSVRecordReader {
    public let path: String
    public var limits: CSVReaderLimits

    public init(path: String, limits: CSVReaderLimits = CSVReaderLimits()) {
        self.path = path
        self.limits = limits
    }

    /// Reads the whole file, calling `onChunk` with every raw chunk read (for
    /// hashing the same bytes that are parsed) and `onRecord` with every record
    /// in order. An error thrown by `onRecord` stops reading and is rethrown.
    public func forEachRecord(onChunk: (UnsafeRawBufferPointer) -> Void = { _ in },
                              _ onRecord: (CSVRecord) throws -> Void) throws {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw CSVReadError.unreadable(String(cString: strerror(errno))) }
        defer { close(descriptor) }

        var parser = csv_parser()
        guard csv_init(&parser, UInt8(CSV_STRICT | CSV_STRICT_FINI)) == 0 else {
            throw CSVReadError.unreadable("libcsv could not start")
        }
        defer { csv_free(&parser) }
        csv_set_realloc_func(&parser, limitedRealloc)
        csv_set_blk_size(&parser, 16 * 1024)

        // The sink's state is reached through a raw pointer, not a class
        // property: the per-field callback then pays no dynamic exclusivity check.
        let sink = UnsafeMutablePointer<RecordSink>.allocate(capacity: 1)
        sink.initialize(to: RecordSink(limits: limits))
        defer { sink.deinitialize(count: 1).deallocate() }
        let context = UnsafeMutableRawPointer(sink)
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: limits.chunkBytes, alignment: 16)
        defer { chunk.deallocate() }

        var offset = 0
        var atStart = true
        while true {
            let count = readBytes(descriptor, chunk.baseAddress, chunk.count)
            if count < 0 {
                if errno == EINTR { continue }
                throw CSVReadError.unreadable(String(cString: strerror(errno)))
            }
            if count == 0 { break }
            let bytes = UnsafeRawBufferPointer(rebasing: chunk[0..<count])
            onChunk(bytes)
            var parseFrom = 0
            if atStart {
                // The BOM may in principle straddle two tiny reads; files are read
                // in 1 MiB chunks, so the first read holds it whole.
                if count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { parseFrom = 3 }
                atStart = false
            }
            let toParse = count - parseFrom
            let parsed = csv_parse(&parser, bytes.baseAddress! + parseFrom, toParse, fieldCallback, recordCallback, context)
            if let problem = sink.pointee.problem { throw problem }
            if parsed != toParse {
                throw parseError(csv_error(&parser), record: sink.pointee.nextRecordNumber, byteOffset: offset + parseFrom + parsed)
            }
            offset += count
            try sink.pointee.drain(onRecord)
        }
        if csv_fini(&parser, fieldCallback, recordCallback, context) != 0 {
            throw CSVReadError.structure(record: sink.pointee.nextRecordNumber, byteOffset: offset,
                                         problem: "a quoted field is still open at the end of the file")
        }
        if let problem = sink.pointee.problem { throw problem }
        try sink.pointee.drain(onRecord)
    }

    private func parseError(_ code: Int32, record: Int, byteOffset: Int) -> CSVReadError {
        if code == CSV_ENOMEM || code == CSV_ETOOBIG {
            return .fieldTooLong(record: record, limit: CSVReaderLimits.maxFieldBytes)
        }
        return .structure(record: record, byteOffset: byteOffset,
                          problem: "a quote inside an unquoted field, or text after a closing quote")
    }
}

/// `read(2)`, named apart from the reader's own methods.
private func readBytes(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    read(descriptor, buffer, count)
}

/// libcsv's buffer growth, refused past the field limit so that one huge
/// field cannot take the machine's memory.
private let limitedRealloc: @convention(c) (UnsafeMutableRawPointer?, Int) -> UnsafeMutableRawPointer? = { pointer, size in
    guard size <= CSVReaderLimits.maxFieldBytes + 16 * 1024 else { return nil }
    return realloc(pointer, size)
}

private let fieldCallback: @convention(c) (UnsafeMutableRawPointer?, Int, UnsafeMutableRawPointer?) -> Void = { field, length, context in
    context!.assumingMemoryBound(to: RecordSink.self).pointee.appendField(field, length)
}

private let recordCallback: @convention(c) (Int32, UnsafeMutableRawPointer?) -> Void = { _, context in
    context!.assumingMemoryBound(to: RecordSink.self).pointee.endRecord()
}

/// Collects the fields libcsv hands over during one `csv_parse` call, so that
/// the records can be processed afterwards in Swift, where errors may be thrown.
private struct RecordSink {
    let limits: CSVReaderLimits
    /// Field bytes of the records collected so far, back to back.
    var bytes: [UInt8] = []
    /// End offset in `bytes` of every field.
    var fieldEnds: [Int] = []
    /// End index in `fieldEnds` of every complete record.
    var recordEnds: [Int] = []
    /// Records handed to the caller so far.
    var recordsDone = 0
    var problem: CSVReadError?

    init(limits: CSVReaderLimits) {
        self.limits = limits
        bytes.reserveCapacity(limits.chunkBytes + 4096)
    }

    /// Number of the record being collected (complete records not yet
    /// handed over are counted too).
    var nextRecordNumber: Int { recordsDone + recordEnds.count + 1 }

    /// Start of the record being collected, in `fieldEnds` and in `bytes`.
    private var openRecordFieldStart: Int { recordEnds.last ?? 0 }
    private var openRecordByteStart: Int { openRecordFieldStart == 0 ? 0 : fieldEnds[openRecordFieldStart - 1] }

    mutating func appendField(_ field: UnsafeMutableRawPointer?, _ length: Int) {
        guard problem == nil else { return }
        var start = 0, end = length
        if let field {
            let raw = field.assumingMemoryBound(to: UInt8.self)
            while start < end, raw[start] == 0x20 || raw[start] == 0x09 { start += 1 }
            while end > start, raw[end - 1] == 0x20 || raw[end - 1] == 0x09 { end -= 1 }
            bytes.append(contentsOf: UnsafeBufferPointer(start: raw + start, count: end - start))
        } else {
            end = 0
        }
        fieldEnds.append(bytes.count)
        let record = nextRecordNumber
        if fieldEnds.count - openRecordFieldStart > limits.maxFields {
            problem = .recordTooLong(record: record, problem: "has more than \(limits.maxFields) fields")
        } else if bytes.count - openRecordByteStart > limits.maxRecordBytes {
            problem = .recordTooLong(record: record, problem: "is longer than \(limits.maxRecordBytes) bytes")
        }
    }

    mutating func endRecord() {
        guard problem == nil else { return }
        recordEnds.append(fieldEnds.count)
    }

    /// Hands every complete record to `body`, then keeps only the fields of
    /// the record still open.
    mutating func drain(_ body: (CSVRecord) throws -> Void) throws {
        guard !recordEnds.isEmpty else { return }
        try bytes.withUnsafeBufferPointer { byteBuffer in
            try fieldEnds.withUnsafeBufferPointer { ends in
                var fieldStart = 0
                for recordEnd in recordEnds {
                    let firstStart = fieldStart == 0 ? 0 : ends[fieldStart - 1]
                    recordsDone += 1
                    try body(CSVRecord(number: recordsDone, base: byteBuffer.baseAddress ?? UnsafePointer(bitPattern: 1)!,
                                       ends: UnsafeBufferPointer(rebasing: ends[fieldStart..<recordEnd]),
                                       firstStart: firstStart))
                    fieldStart = recordEnd
                }
            }
        }
        let keptFieldStart = recordEnds.last!
        let keptByteStart = keptFieldStart == 0 ? 0 : fieldEnds[keptFieldStart - 1]
        bytes.removeSubrange(0..<keptByteStart)
        fieldEnds.removeSubrange(0..<keptFieldStart)
        for index in fieldEnds.indices { fieldEnds[index] -= keptByteStart }
        recordEnds.removeAll(keepingCapacity: true)
    }
}
