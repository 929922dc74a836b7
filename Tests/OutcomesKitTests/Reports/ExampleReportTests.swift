import Foundation
import Testing
@testable import OutcomesKit

/// The worked example in `reports/`: what the committed pipelines make from
/// `sample-data/`. Regenerated here from scratch; any difference fails, so the
/// example never drifts from the code (after a deliberate change, run
/// `make example` and commit the result).
/// When the worked example's files were ingested: `make example` fixes it
/// with SOURCE_DATE_EPOCH, so that the "data through" line is reproducible.
let exampleIngestTime = Date(timeIntervalSince1970: 1_793_600_100)  // 2026-11-02T06:15:00Z

@Suite(.serialized) struct ExampleReportTests {
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Every file under `folder`, relative path → bytes.
    static func tree(_ folder: String) -> [String: Data] {
        var files: [String: Data] = [:]
        let enumerator = FileManager.default.enumerator(atPath: folder)
        while let relative = enumerator?.nextObject() as? String {
            var isDirectory: ObjCBool = false
            let path = (folder as NSString).appendingPathComponent(relative)
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue {
                files[relative] = FileManager.default.contents(atPath: path)
            }
        }
        return files
    }

    /// The committed files of `folder` (relative to the repository), as the
    /// last commit holds them: `make run` rewrites the example with the day it
    /// ran, so the working tree is not the committed example after the quick
    /// start. Outside a git checkout, the working tree's files.
    static func committedTree(_ folder: String, in scratch: TemporaryFolder) -> [String: Data] {
        let archive = Process()
        archive.executableURL = URL(fileURLWithPath: "/bin/sh")
        archive.arguments = ["-c", "git -C \"$0\" archive --format=tar HEAD -- \"$1\" | tar -x -C \"$2\"",
                             repository.path, folder, scratch.path]
        archive.standardError = FileHandle.nullDevice
        if (try? archive.run()) != nil {
            archive.waitUntilExit()
            let extracted = (scratch.path as NSString).appendingPathComponent(folder)
            if archive.terminationStatus == 0, FileManager.default.fileExists(atPath: extracted) { return tree(extracted) }
        }
        return tree(repository.appendingPathComponent(folder).path)
    }

    /// Runs a committed pipeline with its store and reports moved to a temporary folder.
    static func regenerate(_ pipelineFile: String, in folder: TemporaryFolder) throws -> String {
        var pipeline = try PipelineDefinition.load(path: repository.appendingPathComponent(pipelineFile).path)
        pipeline.store = folder.file("store.sqlite")
        pipeline.reportsRoot = folder.file("reports")
        let runner = PipelineRunner(pipeline: pipeline)
        runner.clock = { exampleIngestTime }
        let outcome = try runner.run(month: YearMonth("2026-10")!)
        return try #require(outcome.reportFolder)
    }

    @Test(arguments: [("pipelines/monthly.yaml", "reports/2026-10"), ("pipelines/monthly-public.yaml", "reports/public/2026-10")])
    func committedExampleMatchesARegeneration(_ example: (pipeline: String, report: String)) throws {
        let folder = TemporaryFolder()
        let fresh = Self.tree(try Self.regenerate(example.pipeline, in: folder))
        let committed = Self.committedTree(example.report, in: TemporaryFolder())
        #expect(fresh.keys.sorted() == committed.keys.sorted())
        for (name, bytes) in fresh { #expect(committed[name] == bytes, "\(example.report)/\(name) differs from a regeneration") }
    }

    @Test func publicProfileShowsNoCountFromOneToTen() throws {
        let folder = TemporaryFolder()
        let report = try Self.regenerate("pipelines/monthly-public.yaml", in: folder)
        let countColumns = ["courses", "no_baseline", "below_threshold", "itt_n", "evaluable_n", "completers_n", "responders",
                            "remitters", "recovered", "completer_responders", "completer_remitters", "improved", "deteriorated",
                            "early_responders", "evaluable", "retained", "rejected", "itt_timed", "n"]
        var checked = 0
        for file in ["outcomes.csv", "retention.csv", "timepoints.csv", "rejects.csv"] {
            let lines = try String(contentsOfFile: "\(report)/\(file)", encoding: .utf8).split(separator: "\n")
            let header = lines[0].split(separator: ",").map(String.init)
            for line in lines.dropFirst() {
                let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
                for (name, value) in zip(header, fields) where countColumns.contains(name) {
                    checked += 1
                    if let count = Int(value) { #expect(count == 0 || count >= 11, "\(file): \(name) = \(count)") }
                    else { #expect(value == "<11" || value == "", "\(file): \(name) = \(value)") }
                }
            }
        }
        #expect(checked > 500, "the public files hold hundreds of counts")
        // Every table cell of the Markdown that is a bare whole number is a count.
        let markdown = try String(contentsOfFile: "\(report)/outcomes.md", encoding: .utf8)
        for line in markdown.split(separator: "\n") where line.hasPrefix("|") {
            for cell in line.split(separator: "|").map({ $0.trimmingCharacters(in: .whitespaces) }) {
                if let count = Int(cell) { #expect(count == 0 || count >= 11, "outcomes.md cell \(count) in: \(line)") }
            }
        }
        // And counts in sentences: "of 5 courses", "(ITT, 7)".
        let sentenceCounts = try NSRegularExpression(pattern: "(?:[Oo]f|ITT,|In [A-Z][a-z]+ \\d{4},) (\\d+)\\b")
        let range = NSRange(markdown.startIndex..., in: markdown)
        for match in sentenceCounts.matches(in: markdown, range: range) {
            let count = Int(markdown[Range(match.range(at: 1), in: markdown)!])!
            #expect(count == 0 || count >= 11, "outcomes.md sentence count \(count)")
        }
    }

    @Test func theReadmeQuotesTheCommittedReport() throws {
        let readme = try String(contentsOf: Self.repository.appendingPathComponent("README.md"), encoding: .utf8)
        let report = try String(contentsOf: Self.repository.appendingPathComponent("reports/2026-10/outcomes.md"), encoding: .utf8)
        let quoted = readme.split(separator: "\n").filter { $0.hasPrefix("> - ") }.map { String($0.dropFirst(2)) }
        #expect(!quoted.isEmpty)
        for line in quoted { #expect(report.contains(line), "README quotes a line the report does not hold: \(line)") }
    }

    @Test func sampleDataIsWhatTheReadmeSaysMadeIt() throws {
        let folder = TemporaryFolder()
        let options = SyntheticOptions(patients: 600, seed: 2026, from: SyntheticOptions.defaultFrom, to: SyntheticOptions.defaultTo,
                                       messyRate: 0.01, split: 24)
        _ = try SyntheticExport.write(options, to: folder.path)
        #expect(Self.tree(folder.path) == Self.tree(Self.repository.appendingPathComponent("sample-data").path))
        let readme = try String(contentsOf: Self.repository.appendingPathComponent("README.md"), encoding: .utf8)
        #expect(readme.contains("outcomes synth --patients 600 --seed 2026 --out sample-data --messy 0.01 --split 24"))
    }
}
