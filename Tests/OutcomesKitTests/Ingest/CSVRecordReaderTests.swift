import Testing
@testable import OutcomesKit

/// DATA-CONTRACT §1 CSV rules, as libcsv with CSV_STRICT | CSV_STRICT_FINI applies them.
@Suite struct CSVRecordReaderTests {
    struct Read: Equatable {
        var numbers: [Int] = []
        var fields: [[String]] = []
    }

    func read(_ bytes: [UInt8], limits: CSVReaderLimits = CSVReaderLimits()) throws -> Read {
        let folder = TemporaryFolder()
        let path = folder.write("f.csv", bytes: bytes)
        var result = Read()
        try CSVRecordReader(path: InputPath(path), limits: limits).forEachRecord { record in
            result.numbers.append(record.number)
            result.fields.append((0..<record.count).map(record.string))
        }
        return result
    }

    func read(_ text: String) throws -> Read { try read(Array(text.utf8)) }

    @Test func crLfAndCrAllEndRecords() throws {
        let result = try read("a,b\r\nc,d\re,f\ng,h")
        #expect(result.fields == [["a", "b"], ["c", "d"], ["e", "f"], ["g", "h"]])
        #expect(result.numbers == [1, 2, 3, 4])
    }

    @Test func blankAndWhitespaceLinesAreNoRecordsAndAreNotNumbered() throws {
        let result = try read("h1,h2\n\n  \t \r\nx,y\n\n")
        #expect(result.fields == [["h1", "h2"], ["x", "y"]])
        #expect(result.numbers == [1, 2])
    }

    @Test func leadingBOMIsSkipped() throws {
        let result = try read([0xEF, 0xBB, 0xBF] + Array("patient_id,x\n".utf8))
        #expect(result.fields == [["patient_id", "x"]])
    }

    @Test func spacesAndTabsAreTrimmedInsideQuotesToo() throws {
        let result = try read("  a \t, \" b \" ,\"\tc\"\n")
        #expect(result.fields == [["a", "b", "c"]])
    }

    @Test func quotedFieldsKeepCommasQuotesAndLineBreaks() throws {
        let result = try read("\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\"\n")
        #expect(result.fields == [["a,b", "say \"hi\"", "two\nlines"]])
    }

    @Test func emptyFieldsAreKept() throws {
        #expect(try read("a,,c,\n").fields == [["a", "", "c", ""]])
    }

    @Test func aQuoteInsideAnUnquotedFieldBreaksStructureAtItsRecord() throws {
        #expect(throws: IngestError.csvStructure(record: 3, byteOffset: 8, problem: .strayQuote)) {
            _ = try read("h\nok\nbad\"x\n")
        }
    }

    @Test func textAfterAClosingQuoteBreaksStructure() throws {
        do {
            _ = try read("h\n\"a\"b\n")
            Issue.record("expected a structure error")
        } catch let IngestError.csvStructure(record, _, problem) {
            #expect(record == 2)
            #expect(problem == .strayQuote)
        }
    }

    @Test func aQuoteStillOpenAtTheEndBreaksStructure() throws {
        do {
            _ = try read("h\n\"open\n")
            Issue.record("expected a structure error")
        } catch let IngestError.csvStructure(record, _, problem) {
            #expect(record == 2)
            #expect(problem == .quoteOpenAtEnd)
        }
    }

    @Test func aFieldLongerThanTheLimitIsAClearError() throws {
        let big = [UInt8](repeating: UInt8(ascii: "x"), count: CSVReaderLimits.maxFieldBytes + 100_000)
        #expect(throws: IngestError.fieldTooLong(record: 2, limit: CSVReaderLimits.maxFieldBytes)) {
            _ = try read(Array("h\n".utf8) + big + [0x0A])
        }
    }

    @Test func tooManyFieldsIsAClearError() throws {
        var limits = CSVReaderLimits()
        limits.maxFields = 5
        #expect(throws: IngestError.tooManyFields(record: 1, limit: 5)) {
            _ = try read(Array("a,b,c,d,e,f\n".utf8), limits: limits)
        }
    }

    @Test func recordsSpanningChunksArriveWhole() throws {
        var limits = CSVReaderLimits()
        limits.chunkBytes = 7
        let text = (1...50).map { "row\($0),\"quoted, \($0)\",z" }.joined(separator: "\r\n")
        let result = try read(Array(text.utf8), limits: limits)
        #expect(result.fields.count == 50)
        #expect(result.fields[41] == ["row42", "quoted, 42", "z"])
        #expect(result.numbers == Array(1...50))
    }

    @Test func missingFileIsNoSuchFile() {
        #expect(throws: IngestError.noSuchFile) {
            try CSVRecordReader(path: "/nonexistent/file.csv").forEachRecord { _ in }
        }
    }

    @Test func aRecordOverFourMebibytesIsAClearError() throws {
        // Five fields of 1,000,000 bytes: each within the field limit, together over the record limit.
        let field = String(repeating: "x", count: 1_000_000)
        let record = Array(([field, field, field, field, field].joined(separator: ",") + "\n").utf8)
        #expect(throws: IngestError.recordTooLong(record: 2, limit: 4 << 20)) {
            _ = try read(Array("h\n".utf8) + record)
        }
    }
}
