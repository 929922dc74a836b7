import CJSONC
import Foundation

/// FHIR R4 Bulk Data export (NDJSON: one JSON resource per line) read as
/// this project's rows (DATA-CONTRACT §11 `format: fhir-ndjson`): scores from
/// `Observation`s, sessions from `Procedure`s. Each line becomes one record
/// in this project's own columns (record number = line number), so that it
/// goes through §2's checks like any other row. Lines of other resource types,
/// or with a status that is not a finished result, are skipped and counted.
///
/// The file is read in chunks and split into lines as it streams, so memory
/// does not grow with its size (a block of lines at a time); each line is
/// parsed by json-c.
struct FHIRRecordReader {
    let path: InputPath
    let mapping: SourceMapping
    /// The zone offsets are converted to (the pipeline's `timezone`).
    let timeZone: TimeZone
    var limits = CSVReaderLimits()

    /// The columns each converted line has, as a header record.
    var header: [String] {
        mapping.kind == .scores ? ["patient_id", "assessment_date", "instrument", "score"]
                                : ["patient_id", "session_date", "modality", "site"]
    }

    /// What reading found besides the records.
    struct Summary {
        var bytes = 0
        /// Lines of another resource type, or with a status that is not a result.
        var skipped = 0
    }

    /// Calls `onRecord` with a header record, then one record per non-empty
    /// line. `onChunk` sees every byte read, for hashing.
    func forEachRecord(onOpen: (_ size: Int) -> Void = { _ in },
                       onChunk: (UnsafeRawBufferPointer) -> Void = { _ in },
                       _ onRecord: (CSVRecord) throws -> Void) throws -> Summary {
        let file = try InputFile(path)
        onOpen(file.size)
        // Only a file of no bytes is empty; one whose lines are all skipped loads with no rows.
        guard file.size > 0 else { throw IngestError.empty }
        var summary = Summary()
        try CSVRecord.withFields(header.map { Array($0.utf8) }, number: 0, onRecord)
        // Lines are gathered into blocks. Each block is converted (parsing
        // JSON is most of the work) on other threads, shared between
        // `partsPerBlock` workers, while this one checks the records of the
        // block before and reads the lines of the next. Two sets of workers
        // take turns, and blocks are handed on in line order.
        let sets = try (0..<2).map { _ in try (0..<Self.partsPerBlock).map { _ in try BlockWorker(mapping: mapping, timeZone: timeZone) } }
        let converting = DispatchQueue(label: "outcomes.ingest.fhir-convert", attributes: .concurrent)
        var block = LineBlock(), blocksStarted = 0
        var inFlight: (workers: [BlockWorker], done: DispatchGroup)?
        func handOn(_ converted: (workers: [BlockWorker], done: DispatchGroup)) throws {
            converted.done.wait()
            for worker in converted.workers {
                summary.skipped += worker.skipped
                try worker.records.forEach(onRecord)
            }
        }
        func convertBlock() throws {
            guard !block.isEmpty else { return }
            let workers = sets[blocksStarted % 2], lines = block, done = DispatchGroup()
            blocksStarted += 1
            let share = (lines.count + workers.count - 1) / workers.count
            for (part, worker) in workers.enumerated() {
                converting.async(group: done) { worker.convert(lines, range: min(part * share, lines.count)..<min((part + 1) * share, lines.count)) }
            }
            block.removeAll()
            let previous = inFlight
            inFlight = (workers, done)
            if let previous { try handOn(previous) }
        }
        // A stop (an error handing on) waits for the conversion under way, which uses the workers.
        defer { inFlight?.done.wait() }
        summary.bytes = try LineReader.forEachLine(in: file, chunkBytes: limits.chunkBytes, maxLineBytes: limits.maxRecordBytes,
                                                   onChunk: onChunk) { line, number in
            guard line.contains(where: { $0 != 0x20 && $0 != 0x09 }) else { return }
            block.append(line, number: number)
            if block.isFull { try convertBlock() }
        }
        try convertBlock()
        if let last = inFlight { try handOn(last) }
        inFlight = nil
        try file.confirmUnchanged(bytesRead: summary.bytes)
        return summary
    }

    /// Workers sharing the conversion of one block: the machine's cores, at most four.
    static let partsPerBlock = max(1, min(ProcessInfo.processInfo.activeProcessorCount, 4))

    /// Lines copied out of the file's chunks, converted together.
    struct LineBlock {
        private(set) var bytes: [UInt8] = []
        /// Each line's number and where it ends in `bytes`.
        private(set) var lines: [(number: Int, end: Int)] = []
        /// Enough to be worth handing to another thread; a long line may overshoot the bytes once.
        static let maxBytes = 1 << 20, maxLines = 4096

        var count: Int { lines.count }
        var isEmpty: Bool { lines.isEmpty }
        var isFull: Bool { bytes.count >= Self.maxBytes || lines.count >= Self.maxLines }

        mutating func append(_ line: UnsafeBufferPointer<UInt8>, number: Int) {
            bytes.append(contentsOf: line)
            lines.append((number, bytes.count))
        }

        mutating func removeAll() {
            bytes.removeAll(keepingCapacity: true)
            lines.removeAll(keepingCapacity: true)
        }

        /// Calls `body` with each line of `range` and its number.
        func forEach(in range: Range<Int>, _ body: (UnsafeBufferPointer<UInt8>, Int) -> Void) {
            bytes.withUnsafeBufferPointer { bytes in
                for index in range {
                    let start = index == 0 ? 0 : lines[index - 1].end
                    body(UnsafeBufferPointer(rebasing: bytes[start..<lines[index].end]), lines[index].number)
                }
            }
        }
    }

    /// Converts lines of a block with its own parser and converter, keeping
    /// the records until its next block. Used by one thread at a time.
    final class BlockWorker: @unchecked Sendable {
        private let tokener: UnsafeMutablePointer<json_tokener>
        private let converter: FHIRLineConverter
        private(set) var records = BuiltRecords()
        private(set) var skipped = 0

        init(mapping: SourceMapping, timeZone: TimeZone) throws {
            guard let tokener = json_tokener_new() else { throw IngestError.unreadable("json-c could not start") }
            self.tokener = tokener
            converter = FHIRLineConverter(mapping: mapping, timeZone: timeZone)
        }

        deinit { json_tokener_free(tokener) }

        /// Converts lines `range` of `block`, replacing the records of the last block.
        func convert(_ block: LineBlock, range: Range<Int>) {
            records.removeAll()
            skipped = 0
            block.forEach(in: range) { line, number in
                switch converter.convert(line, with: tokener, into: &records) {
                case .skipped: skipped += 1
                case .converted: records.endRecord(number: number)
                }
            }
        }
    }

    /// One line parsed by json-c as a JSON object (the caller releases it with
    /// `json_object_put`), or nil when it is not one object. json-c (Debian's
    /// libjson-c) is a plain C parser: with Foundation's `JSONDecoder` a FHIR
    /// ingest of 431,757 Observations took 6.6 s, with json-c 3.4 s; reading
    /// bytes rather than Strings and converting blocks on other threads, 1.2 s
    /// (the same rows as CSV: 0.45–0.5 s; bench stage `layouts`). `tokener`
    /// is reused line to line.
    static func object(_ line: UnsafeBufferPointer<UInt8>, with tokener: UnsafeMutablePointer<json_tokener>) -> OpaquePointer? {
        json_tokener_reset(tokener)
        let parsed: OpaquePointer? = line.withMemoryRebound(to: CChar.self) { json_tokener_parse_ex(tokener, $0.baseAddress, Int32($0.count)) }
        // Anything but blanks after the value would make the line more than one JSON value.
        let end = Int(json_tokener_get_parse_end(tokener))
        guard let root = parsed, json_tokener_get_error(tokener) == json_tokener_success, json_object_is_type(root, json_type_object) != 0,
              end >= line.count || UnsafeBufferPointer(rebasing: line[end...]).allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) else {
            if let parsed { json_object_put(parsed) }
            return nil
        }
        return root
    }

    /// The codes of a resource's `code.coding`, in order.
    static func codes(_ resource: OpaquePointer) -> [String] {
        guard let coding = member(member(resource, .code), .coding), json_object_is_type(coding, json_type_array) != 0 else { return [] }
        return (0..<json_object_array_length(coding)).compactMap { string(json_object_array_get_idx(coding, $0), .code) }
    }

    /// Member `key` of a JSON object (nil when absent, null, or not an object).
    static func member(_ object: OpaquePointer?, _ key: JSONKey) -> OpaquePointer? {
        guard let object, json_object_is_type(object, json_type_object) != 0 else { return nil }
        var value: OpaquePointer?
        let found = key.cString.withUnsafeBufferPointer { json_object_object_get_ex(object, $0.baseAddress, &value) }
        guard found != 0, let value, json_object_is_type(value, json_type_null) == 0 else { return nil }
        return value
    }

    /// Member `key` when it is a JSON string.
    static func string(_ object: OpaquePointer?, _ key: JSONKey) -> String? {
        guard let value = member(object, key), json_object_is_type(value, json_type_string) != 0,
              let text = json_object_get_string(value) else { return nil }
        return String(cString: text)
    }
}

/// A member name of a FHIR resource, kept as a C string so that looking it
/// up allocates nothing (a Swift String is copied into a new C string on
/// every call to C).
struct JSONKey: Sendable {
    let cString: [CChar]
    private init(_ name: String) { cString = Array(name.utf8CString) }

    static let resourceType = JSONKey("resourceType"), status = JSONKey("status")
    static let subject = JSONKey("subject"), reference = JSONKey("reference")
    static let effectiveDateTime = JSONKey("effectiveDateTime"), effectivePeriod = JSONKey("effectivePeriod")
    static let performedDateTime = JSONKey("performedDateTime"), performedPeriod = JSONKey("performedPeriod")
    static let start = JSONKey("start"), code = JSONKey("code"), coding = JSONKey("coding")
    static let valueInteger = JSONKey("valueInteger"), valueQuantity = JSONKey("valueQuantity"), value = JSONKey("value")
    static let location = JSONKey("location"), display = JSONKey("display")
}
