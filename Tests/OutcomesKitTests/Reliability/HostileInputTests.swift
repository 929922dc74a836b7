import Foundation
import GRDB
import Testing
@testable import OutcomesKit

/// Hostile files through the real command line: each gets a clear error or
/// per-row rejects, never a crash, a hang or a damaged store.
@Suite struct HostileInputTests {
    static let sessionsHeader = "patient_id,session_date,modality,site\n"

    /// Ingests `bytes` as one file into a store that already holds one good
    /// file, and checks what every hostile input must leave behind.
    func ingest(_ name: String, _ bytes: [UInt8], expectRefusal: Bool, file: String = #filePath, line: Int = #line)
        throws -> (result: CommandLineTool.Result, folder: TemporaryFolder) {
        let folder = TemporaryFolder("outcomes-hostile")
        let store = folder.file("store.sqlite")
        let good = folder.write("good.csv", Self.sessionsHeader + "P1,2026-10-01,tms,North\n")
        #expect(try CommandLineTool.run(["ingest", "--db", store, good]).status == 0)
        let path = folder.write(name, bytes: bytes)
        let result = try CommandLineTool.run(["ingest", "--db", store, path], timeout: 60)
        #expect(!result.killedBySignal, "\(name): crashed or hung")
        #expect(result.status == (expectRefusal ? 3 : 0), "\(name): exit \(result.status): \(result.stderr)")
        if expectRefusal {
            let lines = result.stderr.split(separator: "\n")
            #expect(lines.first?.hasPrefix("error: \(name): refused, ") == true, "\(name): \(result.stderr)")
            #expect(lines.count == 2, "one line for the file, one summary: \(result.stderr)")
        }
        let doctor = try CommandLineTool.run(["doctor", "--db", store])
        #expect(doctor.status == 0, "\(name): the store is not sound after it: \(doctor.stdout)")
        if expectRefusal {
            #expect(try TestStoreProbe.rows(in: store, "SELECT count(*) FROM files") == 1, "\(name): something was stored")
            #expect(try TestStoreProbe.rows(in: store, "SELECT count(*) FROM sessions") == 1)
        }
        return (result, folder)
    }

    @Test func randomBytes() throws {
        var random = SyntheticRandom(seed: 42)
        let bytes = (0..<200_000).map { _ in UInt8(truncatingIfNeeded: random.next()) }
        _ = try ingest("random.bin", bytes, expectRefusal: true)
    }

    @Test func invalidUTF8InsideAFieldIsAReject() throws {
        let bytes = Array(Self.sessionsHeader.utf8) + Array("P2,2026-10-02,tms,Ponte V".utf8) + [0xE9] + Array("dra\n".utf8)
        let (result, _) = try ingest("latin1.csv", bytes, expectRefusal: false)
        #expect(result.stdout.contains("bad_encoding 1"))
    }

    @Test func nulBytes() throws {
        let bytes = Array(Self.sessionsHeader.utf8) + Array("P\u{0}3,2026-10-02,tms,North\n".utf8)
            + Array("P4,2026-10-02,tms,Nor\u{0}th\n".utf8)
        let (result, folder) = try ingest("nul.csv", bytes, expectRefusal: false)
        #expect(result.stdout.contains("loaded 1 sessions"))
        #expect(result.stdout.contains("bad_patient_id 1"))
        // A site holding a NUL is free text: it is kept, and reports stay readable.
        let report = try CommandLineTool.run(["report", "--db", folder.file("store.sqlite"), "--month", "2026-10", "--out", folder.file("out")])
        #expect(report.status == 0)
        let markdown = try String(contentsOfFile: folder.file("out/outcomes.md"), encoding: .utf8)
        #expect(!markdown.contains("\u{0}"), "control characters are not written into the Markdown")
    }

    @Test func unterminatedQuoteAtTheEnd() throws {
        let (result, _) = try ingest("open-quote.csv", Array((Self.sessionsHeader + "P2,2026-10-02,tms,\"North").utf8), expectRefusal: true)
        #expect(result.stderr.contains("record 2"))
        #expect(result.stderr.contains("still open"))
    }

    @Test func aSixtyMegabyteField() throws {
        let bytes = Array((Self.sessionsHeader + "P2,2026-10-02,tms,").utf8) + [UInt8](repeating: UInt8(ascii: "x"), count: 60 << 20) + [0x0A]
        let (result, folder) = try ingest("huge-field.csv", bytes, expectRefusal: true)
        #expect(result.stderr.contains("record 2 has a field longer than 1048576 bytes"))
        // And memory stays flat while reading it.
        let measured = try CommandLineTool.peakResidentKB(["ingest", "--db", folder.file("other.sqlite"), folder.file("huge-field.csv")])
        #expect(measured.kilobytes < 150 * 1024, "peak RSS \(measured.kilobytes) KB")
    }

    @Test func aHeaderOfOneHundredThousandColumns() throws {
        let header = (0..<100_000).map { "c\($0)" }.joined(separator: ",") + ",patient_id,session_date,modality\n"
        let (result, _) = try ingest("wide.csv", Array(header.utf8), expectRefusal: true)
        #expect(result.stderr.contains("record 1 has more than 10000 fields"))
    }

    @Test func headerOnlyLoadsNothing() throws {
        let (result, _) = try ingest("header.csv", Array(Self.sessionsHeader.utf8), expectRefusal: false)
        #expect(result.stdout.contains("loaded 0 sessions"))
    }

    @Test(arguments: [("empty.csv", [UInt8]()), ("bom.csv", [0xEF, 0xBB, 0xBF]), ("blank.csv", Array("\r\n \t\n\n".utf8))])
    func emptyFilesAreRefused(_ file: (name: String, bytes: [UInt8])) throws {
        let (result, _) = try ingest(file.name, file.bytes, expectRefusal: true)
        #expect(result.stderr.contains("the file is empty"))
    }

    @Test func duplicateHeaderNames() throws {
        let (result, _) = try ingest("twice.csv", Array("patient_id,session_date,modality,Modality\nP2,2026-10-02,tms,tms\n".utf8),
                                     expectRefusal: true)
        #expect(result.stderr.contains("named twice"))
    }

    @Test func mixedLineEnds() throws {
        let text = Self.sessionsHeader.replacingOccurrences(of: "\n", with: "\r\n")
            + "P2,2026-10-02,tms,North\rP3,2026-10-02,tms,North\nP4,2026-10-02,tms,North\r\nP5,2026-10-02,tms,North"
        let (result, _) = try ingest("mixed.csv", Array(text.utf8), expectRefusal: false)
        #expect(result.stdout.contains("loaded 4 sessions, 0 duplicates, 0 rejected"))
    }

    @Test func aVeryLongLineWithoutANewline() throws {
        let line = String(repeating: "abcdefgh", count: 1_000_000)   // 8 MB, no comma, no newline
        let (result, _) = try ingest("long-line.csv", Array((Self.sessionsHeader + "P2,2026-10-02,tms," + line).utf8), expectRefusal: true)
        #expect(result.stderr.contains("record 2 has a field longer than"))
        let commas = String(repeating: "a,", count: 3_000_000)   // 6 MB of short fields
        let (wide, _) = try ingest("long-record.csv", Array((Self.sessionsHeader + commas).utf8), expectRefusal: true)
        #expect(wide.stderr.contains("record 2 has more than 10000 fields"))
    }

    @Test func aFolderAndAMissingFile() throws {
        let folder = TemporaryFolder()
        let store = folder.file("store.sqlite")
        try FileManager.default.createDirectory(atPath: folder.file("a-folder.csv"), withIntermediateDirectories: true)
        let result = try CommandLineTool.run(["ingest", "--db", store, folder.file("a-folder.csv"), folder.file("missing.csv")])
        #expect(result.status == 3)
        #expect(result.stderr.contains("a-folder.csv: refused, it is a folder"))
        #expect(result.stderr.contains("missing.csv: refused, no such file"))
    }
}
