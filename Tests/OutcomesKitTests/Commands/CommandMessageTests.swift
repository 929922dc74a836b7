import Foundation
import Testing
@testable import OutcomesKit

/// What a person sees when they mistype or ask for help: each message names
/// the problem and the way out, and every help text fits 80 columns with
/// examples that can be copied whole.
@Suite struct CommandMessageTests {
    static let commands = ["", "run", "ingest", "report", "query", "explain", "status", "doctor", "catalog", "inspect", "sql", "synth"]

    @Test func helpFitsEightyColumnsAndExamplesCopyWhole() throws {
        for command in Self.commands {
            let help = try CommandLineTool.run((command.isEmpty ? [] : [command]) + ["--help"])
            #expect(help.status == 0, "\(command): \(help.stderr)")
            let lines = help.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            for line in lines where !line.hasPrefix("USAGE:") {
                #expect(line.count <= 80, "outcomes \(command) --help: \(line.count) characters: \(line)")
            }
            // In the examples, a line is a comment, a command, or the continuation of a command ending in "\".
            guard let start = lines.firstIndex(of: "Examples:") else { continue }
            var previous = ""
            for line in lines[(start + 1)...].prefix(while: { !$0.isEmpty }) {
                let isContinuation = line.hasPrefix("      ") && previous.hasSuffix("\\")
                #expect(line.hasPrefix("  outcomes ") || line.hasPrefix("  # ") || isContinuation,
                        "outcomes \(command) --help: a broken example line: \(line)")
                previous = line
            }
        }
    }

    @Test func anUnknownCommandIsNamedWithTheClosestOne() throws {
        let typo = try CommandLineTool.run(["repot", "--db", "x.sqlite"])
        #expect(typo.status == 64)
        #expect(typo.stderr.contains("unknown command 'repot' (did you mean 'report'?)"), "\(typo.stderr)")
        let far = try CommandLineTool.run(["ect"])
        #expect(far.status == 64)
        #expect(far.stderr.contains("unknown command 'ect'; the commands are run, ingest, report"), "\(far.stderr)")
        #expect(far.stderr.contains("inspect"))
    }

    @Test func aBadMonthNamesTheValidForm() throws {
        let result = try CommandLineTool.run(["report", "--db", "x.sqlite", "--month", "2026-13", "--out", "r"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("a month is YYYY-MM, with MM from 01 to 12"), "\(result.stderr)")
    }

    @Test func anUnknownModalityGetsASuggestionOnlyWhenOneIsClose() throws {
        let folder = TemporaryFolder()
        let store = folder.file("store.sqlite")
        _ = try CommandLineTool.run(["ingest", "--db", store, folder.write("s.csv", CommandTests.sessions)])
        let far = try CommandLineTool.run(["query", "--db", store, "--month", "2026-10", "--modality", "ECT"])
        #expect(far.status == 64)
        #expect(far.stderr.contains("unknown modality \"ECT\"; known: ait, bhrt"), "\(far.stderr)")
        let swapped = try CommandLineTool.run(["query", "--db", store, "--month", "2026-10", "--modality", "tsm"])
        #expect(swapped.stderr.contains("(did you mean tms?)"), "\(swapped.stderr)")
    }

    @Test func explainNamesTheTreatmentsAPatientHas() throws {
        let folder = TemporaryFolder()
        let store = folder.file("store.sqlite")
        _ = try CommandLineTool.run(["ingest", "--db", store, folder.write("s.csv", CommandTests.sessions)])
        let result = try CommandLineTool.run(["explain", "--db", store, "--patient", "P2", "--modality", "tms", "--month", "2026-10"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("patient P2 has no TMS sessions; their sessions are of Ketamine infusion"), "\(result.stderr)")
    }

    @Test func explainKeepsALongScaleNameApartFromItsValue() throws {
        let folder = TemporaryFolder()
        let store = folder.file("store.sqlite")
        let pipeline = folder.write("p.yaml", """
            store: store.sqlite
            inputs: [s.csv, c.csv]
            reports: r
            catalog:
              instruments:
                hads: { name: Hospital Anxiety and Depression Scale, floor: 0, max: 42, min_baseline: 8, response: 50%, remission: 7 }
              modalities:
                tms: { instruments: [phq9, hads] }
            """)
        folder.write("s.csv", CommandTests.sessions)
        folder.write("c.csv", "patient_id,assessment_date,instrument,score\nP1,2026-10-01,hads,20\n")
        // Run from the pipeline's folder with relative paths: `reports: r`, a one-letter folder, once crashed Foundation.
        let run = try CommandLineTool.run(["run", "p.yaml", "--month", "2026-10"], in: folder.path)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(FileManager.default.fileExists(atPath: folder.file("r/2026-10/outcomes.html")))
        let result = try CommandLineTool.run(["explain", "--db", store, "--patient", "P1", "--month", "2026-10", "--pipeline", pipeline])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        let name = lines.firstIndex(of: "  Hospital Anxiety and Depression Scale")
        #expect(name.map { lines[$0 + 1] } == "             baseline 20 on 2026-10-01", "\(result.stdout)")
    }

    @Test func aFirstRunSaysInOneLineWhatItRejected() throws {
        let folder = TemporaryFolder()
        folder.write("s.csv", CommandTests.sessions + "P3,2026-13-01,tms,North\n")
        folder.write("c.csv", CommandTests.scores)
        folder.write("p.yaml", "store: store.sqlite\ninputs: [s.csv, c.csv]\nreports: r\nquality: { max_reject_rate: 0.5 }\n")
        let first = try CommandLineTool.run(["run", "p.yaml", "--month", "2026-10"], in: folder.path)
        #expect(first.status == 0, "\(first.stderr)")
        let lines = first.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "ingested 2 new files: 3 rows loaded, 2 rejected (bad_date 1, conflicting_duplicate 1; every one in rejects.csv)",
                "\(first.stdout)")
        // Nothing new, nothing to summarise; and --quiet says nothing of it.
        let again = try CommandLineTool.run(["run", "p.yaml", "--month", "2026-10"], in: folder.path)
        #expect(!again.stdout.contains("ingested"), "\(again.stdout)")
    }
}
