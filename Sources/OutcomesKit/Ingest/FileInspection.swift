import CJSONC
import Foundation

/// `outcomes inspect`: what an export appears to be, before a mapping is
/// written (as OHDSI's WhiteRabbit does): its dialect, each column's shape and
/// fill rate, columns that look like identifiers, and a proposed `sources:`
/// entry. It never prints a value that could identify a patient: shapes
/// (`9/99/9999`), counts and ranges, and values only for low-cardinality code
/// columns (treatments, scales, sites).
public struct FileInspection: Sendable {
    /// What one column holds.
    public struct Column: Sendable {
        public let header: String
        public var filled = 0
        /// The first date form every non-empty value matches, if any.
        public var dateForm: String?
        /// A time-of-day form every non-empty value matches (`%I:%M %p`), if any.
        public var timeForm: String?
        public var integers: ClosedRange<Int>?
        /// Non-empty values that are whole numbers.
        public var integerCount = 0
        /// Most values are whole numbers (a few bad ones are what rejects are for).
        public var isInteger: Bool { filled > 0 && integerCount * 4 >= filled * 3 }
        /// Distinct values, kept while there are few of them.
        public var codes: [String: Int] = [:]
        public var manyValues = false
        public var looksLikeIdentifier = false
    }

    public let path: String
    public let format: SourceMapping.Format
    public var dialect = CSVDialect.standard
    public var records = 0
    public var columns: [Column] = []
    /// FHIR: resource type → lines.
    public var resourceTypes: [String: Int] = [:]
    /// FHIR: the codes of `code.coding`, with how many resources carry each (codes name treatments and scales).
    public var codes: [String: Int] = [:]

    static let codeLimit = 30
    static let candidateDates = ["%Y-%m-%d", "%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S",
                                 "%m/%d/%Y", "%m/%d/%Y %I:%M %p", "%m/%d/%Y %H:%M", "%d.%m.%Y", "%d.%m.%Y %H:%M"]
    static let candidateTimes = ["%I:%M %p", "%I:%M:%S %p", "%H:%M", "%H:%M:%S"]

    /// Reads the whole file once (streaming) and describes it.
    public static func inspect(_ path: String) throws -> FileInspection {
        let head = try headBytes(path)
        let firstLine = head.split(separator: 0x0A, maxSplits: 1).first.map(Array.init) ?? []
        if firstLine.first(where: { $0 != 0x20 && $0 != 0xEF && $0 != 0xBB && $0 != 0xBF }) == UInt8(ascii: "{") {
            return try inspectFHIR(path)
        }
        var inspection = FileInspection(path: path, format: .csv)
        inspection.dialect = sniffDialect(head)
        let dates = candidateDates.compactMap(DateForm.init)
        // A time column is checked by prefixing a date to each value.
        let times = candidateTimes.compactMap { form in DateForm("%Y-%m-%d " + form).map { (form, $0) } }
        // Per column, how many values each candidate form reads: the best wins if it reads most of them.
        var dateMatches: [[Int]] = [], timeMatches: [[Int]] = []
        try CSVRecordReader(path: InputPath(path), dialect: inspection.dialect).forEachRecord { record in
            if inspection.columns.isEmpty {
                inspection.columns = (0..<record.count).map { Column(header: record.string($0).trimmingWhitespace()) }
                dateMatches = Array(repeating: Array(repeating: 0, count: dates.count), count: record.count)
                timeMatches = Array(repeating: Array(repeating: 0, count: times.count), count: record.count)
                return
            }
            inspection.records += 1
            for index in 0..<min(record.count, inspection.columns.count) where !record[index].isEmpty {
                let field = record[index]
                inspection.columns[index].filled += 1
                for (form, date) in dates.enumerated() where date.parse(field) != nil { dateMatches[index][form] += 1 }
                let prefixed = Array("2000-01-01 ".utf8) + Array(field)
                for (form, time) in times.enumerated() where time.1.parse(prefixed) != nil { timeMatches[index][form] += 1 }
                if let number = FieldRules.integer(field) {
                    let range = inspection.columns[index].integers
                    inspection.columns[index].integers = min(range?.lowerBound ?? number, number)...max(range?.upperBound ?? number, number)
                    inspection.columns[index].integerCount += 1
                }
                if !inspection.columns[index].manyValues {
                    inspection.columns[index].codes[record.string(index).trimmingWhitespace(), default: 0] += 1
                    if inspection.columns[index].codes.count > codeLimit {
                        inspection.columns[index].manyValues = true
                        inspection.columns[index].codes = [:]
                    }
                }
            }
        }
        for index in inspection.columns.indices {
            let header = inspection.columns[index].header.lowercased()
            let filled = inspection.columns[index].filled
            func best(_ counts: [Int]) -> Int? {
                guard let top = counts.indices.max(by: { (counts[$0], -$0) < (counts[$1], -$1) }), counts[top] * 10 >= filled * 8, filled > 0
                else { return nil }
                return top
            }
            inspection.columns[index].dateForm = best(dateMatches[index]).map { dates[$0].description }
            inspection.columns[index].timeForm = inspection.columns[index].dateForm == nil ? best(timeMatches[index]).map { times[$0].0 } : nil
            if !inspection.columns[index].isInteger { inspection.columns[index].integers = nil }
            let squeezed = String(decoding: header.utf8.filter { ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) }, as: UTF8.self)
            inspection.columns[index].looksLikeIdentifier = FileLayout.directIdentifiers.contains(squeezed)
        }
        return inspection
    }

    /// The first 64 KiB.
    static func headBytes(_ path: String) throws -> [UInt8] {
        let file = try InputFile(InputPath(path))
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 16)
        defer { buffer.deallocate() }
        let count = try file.read(into: buffer)
        return Array(buffer[0..<count])
    }

    /// Delimiter, encoding and header row from the first lines: the
    /// delimiter that splits the most lines into the same number of fields
    /// (more than one); the header is the first line with that many.
    static func sniffDialect(_ head: [UInt8]) -> CSVDialect {
        var dialect = CSVDialect.standard
        dialect.encoding = String(validating: Array(head.dropLast(utf8Tail(head))), as: UTF8.self) == nil ? .windows1252 : .utf8
        let lines = head.split(separator: 0x0A, omittingEmptySubsequences: false).dropLast().prefix(50)
        var best: (delimiter: UInt8, fields: Int, lines: Int) = (UInt8(ascii: ","), 1, 0)
        for delimiter in CSVDialect.delimiters {
            let counts = lines.map { $0.count { $0 == delimiter } + 1 }
            let modal = Dictionary(grouping: counts.filter { $0 > 1 }, by: { $0 }).max { ($0.value.count, $0.key) < ($1.value.count, $1.key) }
            if let modal, modal.value.count > best.lines { best = (delimiter, modal.key, modal.value.count) }
        }
        dialect.delimiter = best.delimiter
        let counts = lines.map { $0.count { $0 == best.delimiter } + 1 }
        dialect.headerRow = (counts.firstIndex(of: best.fields) ?? 0) + 1
        return dialect
    }

    /// Bytes at the end of `head` that may be a UTF-8 sequence cut by the 64 KiB boundary.
    static func utf8Tail(_ head: [UInt8]) -> Int {
        var count = 0
        for byte in head.reversed().prefix(3) {
            count += 1
            if byte & 0xC0 != 0x80 { return byte >= 0xC0 ? count : 0 }
        }
        return 0
    }

    static func inspectFHIR(_ path: String) throws -> FileInspection {
        var inspection = FileInspection(path: path, format: .fhirNDJSON)
        let file = try InputFile(InputPath(path))
        // The same line reader and JSON parser as the ingest, so inspect reads what ingest will.
        guard let tokener = json_tokener_new() else { throw IngestError.unreadable("json-c could not start") }
        defer { json_tokener_free(tokener) }
        try LineReader.forEachLine(in: file) { line, _ in
            guard line.contains(where: { $0 > 0x20 }) else { return }
            inspection.records += 1
            guard let resource = FHIRRecordReader.object(line, with: tokener) else {
                inspection.resourceTypes["(not JSON)", default: 0] += 1
                return
            }
            defer { json_object_put(resource) }
            inspection.resourceTypes[FHIRRecordReader.string(resource, .resourceType) ?? "(no resourceType)", default: 0] += 1
            for code in FHIRRecordReader.codes(resource) where inspection.codes.count < codeLimit || inspection.codes[code] != nil {
                inspection.codes[code, default: 0] += 1
            }
        }
        return inspection
    }
}
