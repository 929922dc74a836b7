import CLibCSV
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One CSV record: its number (the header is record 1, or `header_row`;
/// blank lines are not counted) and its fields, already trimmed of spaces and
/// tabs (DATA-CONTRACT §1).
///
/// A record is a view into the reader's buffer. It exists only inside the
/// closure `CSVRecordReader.forEachRecord` calls, and is internal to the
/// module: nothing can keep it past that call (as swift-nio's
/// `withUnsafeReadableBytes` scopes its pointer).
struct CSVRecord {
    /// 1-based record number.
    let number: Int
    private let base: UnsafePointer<UInt8>
    private let ends: UnsafeBufferPointer<Int>
    private let firstStart: Int

    fileprivate init(number: Int, base: UnsafePointer<UInt8>, ends: UnsafeBufferPointer<Int>, firstStart: Int) {
        self.number = number
        self.base = base
        self.ends = ends
        self.firstStart = firstStart
    }

    /// Number of fields.
    var count: Int { ends.count }

    /// The bytes of field `index`.
    subscript(index: Int) -> UnsafeBufferPointer<UInt8> {
        let start = index == 0 ? firstStart : ends[index - 1]
        return UnsafeBufferPointer(start: base + start, count: ends[index] - start)
    }

    /// Every byte of the record's fields is ASCII: the common case, which
    /// needs no UTF-8 check.
    var isASCII: Bool {
        let bytes = UnsafeBufferPointer(start: base + firstStart, count: (ends.last ?? firstStart) - firstStart)
        return !bytes.contains { $0 >= 0x80 }
    }

    /// Field `index` as a String (invalid UTF-8 is replaced by U+FFFD).
    func string(_ index: Int) -> String { String(decoding: self[index], as: UTF8.self) }

    /// A record made of `fields` (a header written by a converter), valid inside `body` only.
    static func withFields(_ fields: [[UInt8]], number: Int, _ body: (CSVRecord) throws -> Void) rethrows {
        var record = BuiltRecords()
        for field in fields {
            record.append(field)
            record.endField()
        }
        record.endRecord(number: number)
        try record.forEach(body)
    }
}

/// Records built field by field (converted FHIR lines), many at a time, in
/// storage reused from block to block so that converting a line allocates
/// nothing.
struct BuiltRecords {
    private var bytes: [UInt8] = []
    /// Where each field ends in `bytes`.
    private var ends: [Int] = []
    /// Each record's number and where its fields end in `ends`.
    private var records: [(number: Int, fieldsEnd: Int)] = []

    /// Records ended so far.
    var count: Int { records.count }

    /// Forgets every record, keeping the storage.
    mutating func removeAll() {
        bytes.removeAll(keepingCapacity: true)
        ends.removeAll(keepingCapacity: true)
        records.removeAll(keepingCapacity: true)
    }

    /// Appends bytes to the field being built.
    mutating func append<Bytes: Sequence>(_ field: Bytes) where Bytes.Element == UInt8 { bytes.append(contentsOf: field) }
    mutating func append(_ byte: UInt8) { bytes.append(byte) }

    /// Appends a non-negative number below 100 as two digits.
    mutating func appendTwoDigits(_ value: Int) {
        bytes.append(UInt8(48 + value / 10))
        bytes.append(UInt8(48 + value % 10))
    }

    /// Appends an integer in decimal (a small string: no allocation).
    mutating func appendDecimal(_ value: Int64) { bytes.append(contentsOf: String(value).utf8) }

    /// Ends the field being built; the next bytes start the next one.
    mutating func endField() { ends.append(bytes.count) }

    /// Ends the record being built: the fields since the last record are its own.
    mutating func endRecord(number: Int) { records.append((number, ends.count)) }

    /// Calls `body` with each record in order; a record is valid inside the call only.
    func forEach(_ body: (CSVRecord) throws -> Void) rethrows {
        // A valid base address even when every field is empty.
        let storage = bytes.isEmpty ? [0] : bytes
        try storage.withUnsafeBufferPointer { base in
            try ends.withUnsafeBufferPointer { ends in
                var fieldsStart = 0
                for record in records {
                    let firstStart = fieldsStart == 0 ? 0 : ends[fieldsStart - 1]
                    try body(CSVRecord(number: record.number, base: base.baseAddress!,
                                       ends: UnsafeBufferPointer(rebasing: ends[fieldsStart..<record.fieldsEnd]), firstStart: firstStart))
                    fieldsStart = record.fieldsEnd
                }
            }
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

/// The text encoding of an export (DATA-CONTRACT §11 `csv.encoding`).
public enum TextEncoding: String, Sendable, Equatable, CaseIterable {
    case utf8 = "utf-8"
    /// Transcoded to UTF-8 while streaming; the five bytes Windows-1252
    /// leaves undefined are kept as they are, so their rows are `bad_encoding`.
    case windows1252 = "windows-1252"
}

/// How a CSV export is written (DATA-CONTRACT §1, and §11 `csv:` for mapped sources).
public struct CSVDialect: Sendable, Equatable {
    /// `,` `;` tab or `|`.
    public var delimiter: UInt8
    public var encoding: TextEncoding
    /// The physical line holding the header; the lines above it are skipped,
    /// each counting as one record.
    public var headerRow: Int

    public init(delimiter: UInt8 = UInt8(ascii: ","), encoding: TextEncoding = .utf8, headerRow: Int = 1) {
        self.delimiter = delimiter
        self.encoding = encoding
        self.headerRow = headerRow
    }

    /// This project's own layout: comma, UTF-8, header on line 1.
    public static let standard = CSVDialect()
    /// The delimiters a source may use.
    public static let delimiters: [UInt8] = [UInt8(ascii: ","), UInt8(ascii: ";"), 0x09, UInt8(ascii: "|")]
}

/// What reading a whole file found.
struct CSVReadSummary {
    /// Bytes read from the file (all of them: the hash covers the same bytes).
    let bytes: Int
}

/// Streams the records of a CSV file through libcsv with
/// `CSV_STRICT | CSV_STRICT_FINI`, the parsing rules of DATA-CONTRACT §1. A
/// leading UTF-8 BOM is skipped; CR, LF and CRLF end records; blank lines are
/// no records; spaces and tabs around every field are trimmed, inside quotes
/// too.
///
/// Memory stays bounded by the chunk size and the limits, whatever the file
/// size: records are handed to the caller chunk by chunk and then forgotten.
struct CSVRecordReader {
    let path: InputPath
    var dialect: CSVDialect
    var limits: CSVReaderLimits

    init(path: InputPath, dialect: CSVDialect = .standard, limits: CSVReaderLimits = CSVReaderLimits()) {
        self.path = path
        self.dialect = dialect
        self.limits = limits
    }

    /// Reads the whole file, calling `onChunk` with every raw chunk read (for
    /// hashing exactly the bytes that are parsed) and `onRecord` with every
    /// record in order. An error thrown by `onRecord` stops reading and is
    /// rethrown. A file that changes while it is read is refused. `onOpen`
    /// gets the file's size once it is open (for progress).
    @discardableResult
    func forEachRecord(onOpen: (_ size: Int) -> Void = { _ in },
                       onChunk: (UnsafeRawBufferPointer) -> Void = { _ in },
                       _ onRecord: (CSVRecord) throws -> Void) throws -> CSVReadSummary {
        let file = try InputFile(path)
        onOpen(file.size)

        var parser = csv_parser()
        guard csv_init(&parser, UInt8(CSV_STRICT | CSV_STRICT_FINI)) == 0 else {
            throw IngestError.unreadable("libcsv could not start")
        }
        defer { csv_free(&parser) }
        csv_set_realloc_func(&parser, limitedRealloc)
        csv_set_blk_size(&parser, 16 * 1024)
        csv_set_delim(&parser, dialect.delimiter)
        // libcsv skips spaces and tabs around fields; with a tab delimiter a
        // tab must end the field instead.
        csv_set_space_func(&parser, dialect.delimiter == 0x09 ? spaceOnly : spaceOrTab)

        // The sink's state is reached through a raw pointer, not a class
        // property: the per-field callback then pays no dynamic exclusivity check.
        let sink = UnsafeMutablePointer<RecordSink>.allocate(capacity: 1)
        sink.initialize(to: RecordSink(limits: limits, firstNumber: dialect.headerRow))
        defer { sink.deinitialize(count: 1).deallocate() }
        let context = UnsafeMutableRawPointer(sink)
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: limits.chunkBytes, alignment: 16)
        defer { chunk.deallocate() }
        var decoder = ByteDecoder(dialect: dialect)

        var offset = 0
        while true {
            let count = try file.read(into: chunk)
            if count == 0 { break }
            let raw = UnsafeRawBufferPointer(rebasing: chunk[0..<count])
            onChunk(raw)
            try decoder.decode(raw) { bytes, consumedBefore in
                let parsed = csv_parse(&parser, bytes.baseAddress, bytes.count, fieldCallback, recordCallback, context)
                if let problem = sink.pointee.problem { throw problem }
                if parsed != bytes.count {
                    throw parseError(csv_error(&parser), record: sink.pointee.nextRecordNumber,
                                     byteOffset: offset + consumedBefore + parsed)
                }
            }
            offset += count
            try sink.pointee.drain(onRecord)
        }
        if csv_fini(&parser, fieldCallback, recordCallback, context) != 0 {
            throw IngestError.csvStructure(record: sink.pointee.nextRecordNumber, byteOffset: offset, problem: .quoteOpenAtEnd)
        }
        if let problem = sink.pointee.problem { throw problem }
        try sink.pointee.drain(onRecord)
        try file.confirmUnchanged(bytesRead: offset)
        return CSVReadSummary(bytes: offset)
    }

    private func parseError(_ code: Int32, record: Int, byteOffset: Int) -> IngestError {
        if code == CSV_ENOMEM || code == CSV_ETOOBIG {
            return .fieldTooLong(record: record, limit: CSVReaderLimits.maxFieldBytes)
        }
        return .csvStructure(record: record, byteOffset: byteOffset, problem: .strayQuote)
    }
}

/// Turns the file's raw chunks into the UTF-8 bytes libcsv parses: skips a
/// leading BOM and the physical lines above the header row, and transcodes
/// Windows-1252.
private struct ByteDecoder {
    let encoding: TextEncoding
    /// Physical lines still to skip before the header.
    var linesToSkip: Int
    var atStart = true
    /// The last skipped line ended with CR: an LF right after it belongs to it.
    var afterCR = false
    /// Transcoding output, reused across chunks.
    var transcoded: [UInt8] = []

    init(dialect: CSVDialect) {
        encoding = dialect.encoding
        linesToSkip = max(0, dialect.headerRow - 1)
    }

    /// Calls `parse` with the bytes of `raw` to parse, and how many raw bytes
    /// of the chunk came before them (for error offsets).
    mutating func decode(_ raw: UnsafeRawBufferPointer,
                         _ parse: (UnsafeRawBufferPointer, Int) throws -> Void) rethrows {
        var start = 0
        if atStart {
            // The BOM may in principle straddle two tiny reads; files are read
            // in 1 MiB chunks, so the first read holds it whole.
            if encoding == .utf8, raw.count >= 3, raw[0] == 0xEF, raw[1] == 0xBB, raw[2] == 0xBF { start = 3 }
            atStart = false
        }
        while linesToSkip > 0 || afterCR, start < raw.count {
            let byte = raw[start]
            if afterCR {
                afterCR = false
                if byte == 0x0A { start += 1; continue }
            }
            guard linesToSkip > 0 else { break }
            start += 1
            if byte == 0x0A { linesToSkip -= 1 } else if byte == 0x0D { linesToSkip -= 1; afterCR = true }
        }
        guard start < raw.count else { return }
        let rest = UnsafeRawBufferPointer(rebasing: raw[start...])
        switch encoding {
        case .utf8:
            try parse(rest, start)
        case .windows1252:
            transcoded.removeAll(keepingCapacity: true)
            WindowsCodePage1252.appendUTF8(of: rest, to: &transcoded)
            try transcoded.withUnsafeBytes { try parse($0, start) }
        }
    }
}

/// Windows-1252 to UTF-8.
enum WindowsCodePage1252 {
    /// Code points of bytes 0x80–0x9F; 0 where Windows-1252 defines none.
    static let high: [UInt32] = [
        0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
        0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
    ]

    static func appendUTF8(of bytes: UnsafeRawBufferPointer, to output: inout [UInt8]) {
        output.reserveCapacity(output.count + bytes.count + bytes.count / 8)
        for byte in bytes {
            if byte < 0x80 { output.append(byte); continue }
            let scalar: UInt32 = byte < 0xA0 ? high[Int(byte - 0x80)] : UInt32(byte)
            if scalar == 0 { output.append(byte); continue }   // undefined: left invalid, so the row is bad_encoding
            if scalar < 0x800 {
                output.append(UInt8(0xC0 | (scalar >> 6)))
                output.append(UInt8(0x80 | (scalar & 0x3F)))
            } else {
                output.append(UInt8(0xE0 | (scalar >> 12)))
                output.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
                output.append(UInt8(0x80 | (scalar & 0x3F)))
            }
        }
    }
}

/// libcsv's buffer growth, refused past the field limit so that one huge
/// field cannot take the machine's memory.
private let limitedRealloc: @convention(c) (UnsafeMutableRawPointer?, Int) -> UnsafeMutableRawPointer? = { pointer, size in
    guard size <= CSVReaderLimits.maxFieldBytes + 16 * 1024 else { return nil }
    return realloc(pointer, size)
}

private let spaceOrTab: @convention(c) (UInt8) -> Int32 = { $0 == 0x20 || $0 == 0x09 ? 1 : 0 }
private let spaceOnly: @convention(c) (UInt8) -> Int32 = { $0 == 0x20 ? 1 : 0 }

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
    /// Records handed to the caller so far, plus the skipped lines above the header.
    var recordsDone: Int
    var problem: IngestError?

    init(limits: CSVReaderLimits, firstNumber: Int) {
        self.limits = limits
        recordsDone = max(0, firstNumber - 1)
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
            problem = .tooManyFields(record: record, limit: limits.maxFields)
        } else if bytes.count - openRecordByteStart > limits.maxRecordBytes {
            problem = .recordTooLong(record: record, limit: limits.maxRecordBytes)
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
