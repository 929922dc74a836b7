import Foundation
import Testing
@testable import OutcomesKit

/// DATA-CONTRACT §11 source mappings: real export layouts read into the same
/// rows as this project's own, through the same checks.
@Suite(.serialized) struct SourceMappingTests {
    static let month = YearMonth("2026-10")!
    /// This project's CSVs of 300 synthetic patients, and each real-export layout of them
    /// (`outcomes synth --layout`) in its own folder, with its `sources.yaml`.
    static func exports(in folder: TemporaryFolder) throws -> (canonical: [String], layouts: [SyntheticLayout: String]) {
        let data = folder.file("canonical")
        _ = try SyntheticExport.write(SyntheticOptions(patients: 300, seed: 5, from: SyntheticOptions.defaultFrom,
                                                       to: SyntheticOptions.defaultTo, messyRate: 0, split: 0), to: data)
        // A course around midnight and noon, so that 12-hour layouts write 12:xx AM and 12:xx PM.
        let sessions = try FileHandle(forWritingTo: URL(fileURLWithPath: "\(data)/sessions.csv"))
        sessions.seekToEndOfFile()
        sessions.write(Data((["2026-09-14T00:10", "2026-09-16T12:40", "2026-09-18T12:00", "2026-09-21T00:00", "2026-09-23T23:59",
                              "2026-09-25T11:59"].map { "PMIDNITE,\($0),ketamine,North\n" }.joined()).utf8))
        sessions.closeFile()
        let scores = try FileHandle(forWritingTo: URL(fileURLWithPath: "\(data)/scores.csv"))
        scores.seekToEndOfFile()
        scores.write(Data("PMIDNITE,2026-09-14T00:05,phq9,21,1\nPMIDNITE,2026-09-14T12:30,phq9,15,0\nPMIDNITE,2026-10-05T00:45,phq9,6,0\n".utf8))
        scores.closeFile()
        var layouts: [SyntheticLayout: String] = [:]
        for layout in SyntheticLayout.allCases {
            layouts[layout] = folder.file(layout.rawValue)
            try SyntheticLayouts.write(layout, canonical: data, to: layouts[layout]!)
        }
        return (["\(data)/sessions.csv", "\(data)/scores.csv"], layouts)
    }

    /// A store holding one layout's files, read through its `sources.yaml`.
    static func ingest(_ layout: SyntheticLayout, in folder: String) throws -> OutcomeStore {
        let pipeline = (folder as NSString).appendingPathComponent("p.yaml")
        try ("store: layout.sqlite\nreports: reports\n" + layout.sourcesYAML).write(toFile: pipeline, atomically: true, encoding: .utf8)
        let definition = try PipelineDefinition.load(path: pipeline)
        let store = try OutcomeStore(path: definition.store, mode: .create)
        for report in try Ingestor(store: store, catalog: .standard).ingest(definition.mappedInputFiles()) {
            guard case .loaded(let summary) = report.outcome else { Issue.record(Comment(rawValue: "\(layout): \(report.line)")); continue }
            #expect(summary.rejected == 0 && summary.skipped == 0, "\(layout): \(report.line)")
        }
        return store
    }

    @Test func everyRealLayoutGivesTheSameOutcomesAsTheProjectsOwn() throws {
        let folder = TemporaryFolder()
        let (canonical, layouts) = try Self.exports(in: folder)
        let plain = try OutcomeStore(path: folder.file("plain.sqlite"), mode: .create)
        let plainReports = try Ingestor(store: plain, catalog: .standard).ingest(canonical)
        #expect(plainReports.allSatisfy { if case .loaded(let summary) = $0.outcome { summary.rejected == 0 } else { false } })
        // The layouts hold what the test is about: 12-hour times at 12:xx AM and PM, and both New York offsets.
        let pm = try String(contentsOfFile: layouts[.pm]! + "/sessions.txt", encoding: .utf8)
        #expect(pm.contains("|12:10 am|") && pm.contains("|12:40 PM|") && pm.contains("|12:00 am|") && pm.contains("|11:59 PM|"))
        let epic = try String(decoding: Data(contentsOf: URL(fileURLWithPath: layouts[.epic]! + "/flowsheets.csv")), as: UTF8.self)
        #expect(epic.contains(";12:05 am;") && epic.contains(";12:30 PM;"))
        let fhir = try String(contentsOfFile: layouts[.fhir]! + "/Observation.ndjson", encoding: .utf8)
        #expect(fhir.contains("-04:00\"") && fhir.contains("-05:00\""), "the export spans a daylight-saving change")
        let settings = ReportSettings(month: Self.month)
        let expected = try ReportBuilder.build(store: plain, settings: settings).files
        for layout in SyntheticLayout.allCases {
            let actual = try ReportBuilder.build(store: try Self.ingest(layout, in: layouts[layout]!), settings: settings).files
            for name in ["outcomes.csv", "timepoints.csv", "retention.csv", "survival.csv", "dropout.csv", "by_sessions.csv"] {
                let want = expected.files.first { $0.name == name }!.contents, got = actual.files.first { $0.name == name }!.contents
                #expect(want == got, "\(layout): \(name) differs")
                #expect(want.split(separator: "\n").count > 3, "\(name) holds rows")
            }
        }
    }

    @Test func aMappedHeaderTheFileLacksRefusesItNamingBoth() throws {
        let folder = TemporaryFolder()
        let mapping = SourceMapping(name: "pm", kind: .sessions, columns: ["patient_id": "Patient Key", "session_date": "Date",
                                                                            "modality": "Code"])
        let path = folder.write("s.csv", "Patient Key,Service Date,Code\nP1,2026-10-01,tms\n")
        let store = try OutcomeStore(path: folder.file("s.sqlite"), mode: .create)
        let report = try Ingestor(store: store, catalog: .standard).ingest([(InputPath(path), mapping)])[0]
        #expect(report.line.contains("source \"pm\" reads session_date from column \"date\", which this file's header does not have"),
                "\(report.line)")
        // An identifier column refuses a mapped file too.
        let withName = folder.write("n.csv", "Patient Key,Date,Code,Patient Name\nP1,2026-10-01,tms,x\n")
        let refused = try Ingestor(store: store, catalog: .standard).ingest([(InputPath(withName), mapping)])[0]
        #expect(refused.isRefused && refused.line.contains("direct identifier"), "\(refused.line)")
    }

    @Test func unmappedValuesFallThroughToAliasesAndBadDatesNameTheForms() throws {
        let folder = TemporaryFolder()
        let mapping = SourceMapping(name: "scores", kind: .scores, columns: ["assessment_date": "Taken"],
                                    dates: [DateForm("%m/%d/%Y")!], values: ["instrument": ["PHQ-9 Total Score": "phq9"]])
        let path = folder.write("c.csv", """
            patient_id,Taken,instrument,score
            P1,10/1/2026,phq-9 total score,20
            P1,10/8/2026,GAD-7,12
            P1,2026-10-15,phq9,9
            P1,10/22/2026,HADS,9
            """)
        let store = try OutcomeStore(path: folder.file("s.sqlite"), mode: .create)
        let report = try Ingestor(store: store, catalog: .standard).ingest([(InputPath(path), mapping)])[0]
        guard case .loaded(let summary) = report.outcome else { Issue.record(Comment(rawValue: report.line)); return }
        #expect(summary.loaded == 2)
        #expect(summary.rejects[.badDate] == 1 && summary.rejects[.unknownInstrument] == 1, "\(report.line)")
        let rejects = try store.rejects()
        #expect(rejects.contains { $0.detail == "taken is no real date in the source's date forms" },
                "\(rejects.map(\.detail))")
    }

    @Test func pipelineSourcesAreCheckedLikeTheRest() throws {
        let folder = TemporaryFolder()
        func error(_ yaml: String) -> String {
            do { _ = try PipelineDefinition.load(path: folder.write("p.yaml", "store: s.sqlite\nreports: r\n" + yaml)); return "no error" }
            catch { return "\(error)" }
        }
        #expect(error("sources:\n  - { files: [a.csv], kind: scores, columns: { scor: Value } }\n").contains("scor is not a column of a scores file (did you mean score?)"))
        #expect(error("sources:\n  - { files: [a.csv], kind: visits }\n").contains("kind is sessions or scores"))
        #expect(error("sources:\n  - { files: [a.csv], kind: scores, dates: [\"%d/%m/%y\"] }\n").contains("a date form uses"))
        #expect(error("sources:\n  - { files: [a.csv], kind: scores, csv: { delimiter: \"#\" } }\n").contains("delimiter is"))
        #expect(error("sources:\n  - { files: [a.csv], kind: scores, csv: { encoding: latin9 } }\n").contains("encoding is utf-8 or windows-1252"))
        #expect(error("sources:\n  - { files: [a.ndjson], kind: scores, format: fhir-ndjson }\n").contains("a fhir-ndjson source needs timezone"))
        #expect(error("sources:\n  - { files: [a.ndjson], kind: scores, format: hl7v2 }\n").contains("format is csv or fhir-ndjson"))
        #expect(error("timezone: UTC\nsources:\n  - { files: [a.ndjson], kind: scores, format: fhir-ndjson, dates: [\"%Y-%m-%d\"] }\n").contains("does not apply to fhir-ndjson"))
        #expect(error("timezone: Mars/Olympus\nsources:\n  - { files: [a.csv], kind: scores }\n").contains("not an IANA time zone"))
        #expect(error("sources:\n  - { files: [a.csv], kind: scores }\n") == "no error", "a pipeline with sources needs no inputs")
        #expect(error("sources:\n  - { files: [a.csv], kind: scores, layout: wide, wide: { phq10: X } }\n").contains("maps unknown instrument phq10 (did you mean phq9?)"))
        #expect(error("sources:\n  - { files: [a.csv], kind: scores, layout: wide }\n").contains("layout wide needs wide:"))
        #expect(error("sources:\n  - { files: [a.csv], kind: scores, items: { gad7: { columns: [a, b], prorate_missing: 2 } } }\n").contains("outside 0–1"))
        #expect(error("inputs: []\n").contains("list at least one glob pattern"))
    }

    @Test func ingestWithAPipelineReadsAMatchedFileThroughItsSource() throws {
        let folder = TemporaryFolder()
        let (_, layouts) = try Self.exports(in: folder)
        let epic = layouts[.epic]!
        try ("store: p.sqlite\nreports: r\n" + SyntheticLayout.epic.sourcesYAML).write(toFile: epic + "/p.yaml", atomically: true, encoding: .utf8)
        // Relative paths, from the pipeline's folder, as a person types them.
        let result = try CommandLineTool.run(["ingest", "--db", "cli.sqlite", "--pipeline", "p.yaml", "sessions.csv", "flowsheets.csv"], in: epic)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("sessions.csv: loaded ") && result.stdout.contains("flowsheets.csv: loaded "), "\(result.stdout)")
        #expect(!result.stdout.contains("rejected (") && result.stdout.contains(", 0 rejected"), "\(result.stdout)")
        // Without the pipeline the flowsheet is not this project's layout.
        let plain = try CommandLineTool.run(["ingest", "--db", "plain.sqlite", "flowsheets.csv"], in: epic)
        #expect(plain.status == 3)
    }

    @Test func aWideRowYieldsAScorePerScaleEachWithItsOwnReject() throws {
        let folder = TemporaryFolder()
        var mapping = SourceMapping(name: "tool", kind: .scores, columns: ["assessment_date": "date"])
        mapping.scoresPerRow = [
            .init(instrument: "phq9", source: .items(columns: (1...9).map { "q\($0)" }, item9: "q9", prorateMissing: 2, itemRange: 0...3)),
            .init(instrument: "gad7", source: .total(column: "gad7")),
        ]
        let path = folder.write("w.csv", """
            patient_id,date,q1,q2,q3,q4,q5,q6,q7,q8,q9,gad7
            P1,2026-10-01,1,1,1,1,1,1,1,2,2,12
            P2,2026-10-01,3,3,3,3,3,3,3,,,x
            P3,2026-10-01,3,3,3,3,3,3,,,,9
            P4,2026-10-01,1,1,1,1,1,1,1,1,1.5,
            P5,2026-10-01,1,1,1,1,1,1,1,1,4,
            P6,2026-10-01,,,,,,,,,,
            P7,2026-10-01,2,2,2,2,2,2,2,2,,4
            """)
        let store = try OutcomeStore(path: folder.file("s.sqlite"), mode: .create)
        let report = try Ingestor(store: store, catalog: .standard).ingest([(InputPath(path), mapping)])[0]
        guard case .loaded(let summary) = report.outcome else { Issue.record(Comment(rawValue: report.line)); return }
        // P1 2, P2 2, P3 2, P4 1, P5 1, P6 none, P7 2: ten records, one per score a row holds.
        #expect(summary.records == 10, "\(report.line)")
        #expect(summary.loaded == 6)
        #expect(summary.rejects == [.badScore: 2, .missingField: 1, .scoreOutOfRange: 1, .conflictingDuplicate: 0].filter { $0.value > 0 },
                "\(report.line)")
        let scores = try CommandLineTool.run(["sql", "--db", folder.file("s.sqlite"), "--format", "csv",
                                              "SELECT patient_id, instrument, score, item9 FROM score_view ORDER BY patient_id, instrument"])
        #expect(scores.stdout == """
            patient_id,instrument,score,item9
            P1,gad7,12,
            P1,phq9,11,2
            P2,phq9,27,
            P3,gad7,9,
            P7,gad7,4,
            P7,phq9,18,

            """, "\(scores.stdout)")
        // P2: 21 from 7 items, 2 empty, prorated to floor(21 · 9 / 7 + 0.5) = 27; P7: 16 · 9 / 8 = 18 exactly.
        let rejects = try store.rejects().map { "\($0.record) \($0.reason.rawValue) \($0.detail)" }
        #expect(rejects.contains("3 bad_score gad7 (1 character) is not a whole number") || rejects.contains { $0.hasPrefix("3 bad_score") },
                "\(rejects)")
        #expect(rejects.contains { $0.hasPrefix("4 missing_field 3 of 9 PHQ-9 items are empty") }, "\(rejects)")
        #expect(rejects.contains { $0.hasPrefix("5 bad_score item q9") }, "\(rejects)")
        #expect(rejects.contains { $0.hasPrefix("6 score_out_of_range item q9") }, "\(rejects)")
    }
}

/// §11 `format: fhir-ndjson`: Observations and Procedures, one per line.
@Suite(.serialized) struct FHIRSourceTests {
    static let newYork = TimeZone(identifier: "America/New_York")!

    static func mapping(_ kind: FileKind, values: [String: [String: String]] = [:]) -> SourceMapping {
        var mapping = SourceMapping(name: "fhir", kind: kind, values: values)
        mapping.format = .fhirNDJSON
        mapping.timeZone = "America/New_York"
        return mapping
    }

    static func observation(_ patient: String, _ when: String, code: String = "44261-6", value: String = "\"valueInteger\": 17",
                            status: String = "final") -> String {
        """
        {"resourceType": "Observation", "status": "\(status)", "subject": {"reference": "Patient/\(patient)"}, \
        "effectiveDateTime": "\(when)", "code": {"coding": [{"system": "http://loinc.org", "code": "\(code)"}]}, \(value)}
        """
    }

    func ingest(_ lines: [String], _ mapping: SourceMapping) throws -> (FileIngestReport, OutcomeStore, TemporaryFolder) {
        let folder = TemporaryFolder()
        let path = folder.write("export.ndjson", lines.joined(separator: "\n") + "\n")
        let store = try OutcomeStore(path: folder.file("s.sqlite"), mode: .create)
        return (try Ingestor(store: store, catalog: .standard).ingest([(InputPath(path), mapping)])[0], store, folder)
    }

    @Test func observationsAcrossDaylightSavingChangesAndEveryRejectAndSkip() throws {
        let (report, store, folder) = try ingest([
            Self.observation("P1", "2026-03-08T06:30:00Z"),                     // 01:30 EST, before the spring change
            Self.observation("P1", "2026-03-08T07:30:00Z", code: "70274-6"),   // 03:30 EDT, after it
            Self.observation("P2", "2026-11-01T05:30:00Z"),                     // 01:30 EDT, before the autumn change
            Self.observation("P3", "2026-11-01T06:30:00.250Z"),                 // 01:30 EST, after it; fraction dropped
            Self.observation("P4", "2026-10-01T09:15:00-04:00", value: "\"valueQuantity\": {\"value\": 12}"),
            Self.observation("P5", "2026-10-02"),                               // a date alone: untimed
            Self.observation("P6", "2026-10", value: "\"valueInteger\": 3"),   // partial date: bad_date
            Self.observation("P7", "2026-10-03", value: "\"valueQuantity\": {\"value\": 12.5}"),
            Self.observation("P8", "2026-10-03", value: "\"note\": []"),       // no value: missing_field
            Self.observation("P9", "2026-10-03", status: "preliminary"),
            Self.observation("P9", "2026-10-03", status: "entered-in-error"),
            "{\"resourceType\": \"Patient\", \"id\": \"P1\"}",
            "not json {",
            "",
        ], Self.mapping(.scores))
        guard case .loaded(let summary) = report.outcome else { Issue.record(Comment(rawValue: report.line)); return }
        #expect(summary.skipped == 3, "two unfinished Observations and a Patient: \(report.line)")
        #expect(summary.loaded == 6)
        #expect(summary.rejects == [.badDate: 1, .badScore: 1, .missingField: 1, .malformedRecord: 1], "\(report.line)")
        #expect(report.line.contains("3 skipped"))
        let rows = try CommandLineTool.run(["sql", "--db", folder.file("s.sqlite"), "--format", "csv",
                                            "SELECT patient_id, assessment_date, instrument, score, record FROM score_view ORDER BY record"])
        #expect(rows.stdout == """
            patient_id,assessment_date,instrument,score,record
            P1,2026-03-08T01:30:00,phq9,17,1
            P1,2026-03-08T03:30:00,gad7,17,2
            P2,2026-11-01T01:30:00,phq9,17,3
            P3,2026-11-01T01:30:00,phq9,17,4
            P4,2026-10-01T09:15:00,phq9,12,5
            P5,2026-10-02,phq9,17,6

            """, "\(rows.stdout)")
        _ = store
    }

    @Test func proceduresBecomeSessions() throws {
        let line = { (patient: String, when: String, code: String, status: String) in
            "{\"resourceType\": \"Procedure\", \"status\": \"\(status)\", \"subject\": {\"reference\": \"Patient/\(patient)\"}, "
                + "\"performedPeriod\": {\"start\": \"\(when)\"}, \"code\": {\"coding\": [{\"code\": \"\(code)\"}]}, "
                + "\"location\": {\"display\": \"St. Augustine\"}}"
        }
        let (report, _, folder) = try ingest([
            line("P1", "2026-10-01T14:00:00Z", "90868", "completed"),
            line("P1", "2026-10-02T14:00:00Z", "90868", "in-progress"),
            line("P2", "2026-10-01", "spravato", "completed"),   // unmapped: the catalogue's alias
        ], Self.mapping(.sessions, values: ["modality": ["90868": "tms"]]))
        guard case .loaded(let summary) = report.outcome else { Issue.record(Comment(rawValue: report.line)); return }
        #expect(summary.loaded == 2 && summary.skipped == 1, "\(report.line)")
        let rows = try CommandLineTool.run(["sql", "--db", folder.file("s.sqlite"), "--format", "csv",
                                            "SELECT patient_id, session_date, modality, site FROM session_view ORDER BY patient_id"])
        #expect(rows.stdout == "patient_id,session_date,modality,site\nP1,2026-10-01T10:00:00,tms,St. Augustine\nP2,2026-10-01,esketamine,St. Augustine\n",
                "\(rows.stdout)")
    }

    @Test func aLineWithoutEndIsBoundedForIngestAndInspectAlike() throws {
        let folder = TemporaryFolder()
        folder.write("long.ndjson", "{\"resourceType\": \"" + String(repeating: "a", count: 5 << 20))
        let inspected = try CommandLineTool.run(["inspect", "long.ndjson"], in: folder.path)
        #expect(inspected.status == 3 && inspected.stderr.contains("record 1 is longer than"), "\(inspected.stderr)")
        let store = try OutcomeStore(path: folder.file("s.sqlite"), mode: .create)
        let report = try Ingestor(store: store, catalog: .standard).ingest([(InputPath(folder.file("long.ndjson")), Self.mapping(.scores))])[0]
        #expect(report.isRefused && report.line.contains("longer than"), "\(report.line)")
    }

    /// Lines are converted in blocks by several threads: records must still
    /// come out in line order, numbered by their lines, across many blocks.
    @Test func blocksOfLinesConvertedTogetherKeepLineOrderAndNumbers() throws {
        let count = 3 * FHIRRecordReader.LineBlock.maxLines + 123
        let lines = (1...count).map { line in
            line % 7 == 0 ? Self.observation("P\(line)", "2026-10-01", status: "preliminary")
                : line % 11 == 0 ? "not json {" : Self.observation("P\(line)", "2026-10-01T12:00:00Z")
        }
        let (report, store, folder) = try ingest(lines, Self.mapping(.scores))
        guard case .loaded(let summary) = report.outcome else { Issue.record(Comment(rawValue: report.line)); return }
        let skipped = (1...count).filter { $0 % 7 == 0 }.count
        let malformed = (1...count).filter { $0 % 7 != 0 && $0 % 11 == 0 }.count
        #expect(summary.skipped == skipped && summary.rejects == [.malformedRecord: malformed], "\(report.line)")
        #expect(summary.loaded == count - skipped - malformed)
        let check = try CommandLineTool.run(["sql", "--db", folder.file("s.sqlite"), "--format", "csv", """
            SELECT count(*), sum(patient_id <> 'P' || record), sum(assessment_date <> '2026-10-01T08:00:00') FROM score_view
            """])
        #expect(check.stdout == "count(*),sum(patient_id <> 'P' || record),sum(assessment_date <> '2026-10-01T08:00:00')\n\(summary.loaded),0,0\n",
                "\(check.stdout)")
        // Patients are numbered as they are first stored: in line order, each line being a new patient.
        let order = try CommandLineTool.run(["sql", "--db", folder.file("s.sqlite"), "--format", "csv", """
            SELECT count(*) AS out_of_order FROM scores a JOIN scores b ON b.patient_id = a.patient_id + 1 WHERE b.record < a.record
            """])
        #expect(order.stdout == "out_of_order\n0\n", "\(order.stdout) \(order.stderr)")
        _ = store
    }

    @Test func anEmptyFileIsRefusedButOneOfSkippedLinesLoads() throws {
        let (skippedOnly, _, _) = try ingest(["{\"resourceType\": \"Patient\"}"], Self.mapping(.scores))
        #expect(!skippedOnly.isRefused, "\(skippedOnly.line)")
        let folder = TemporaryFolder()
        let empty = folder.write("empty.ndjson", "")
        let store = try OutcomeStore(path: folder.file("s.sqlite"), mode: .create)
        let report = try Ingestor(store: store, catalog: .standard).ingest([(InputPath(empty), Self.mapping(.scores))])[0]
        #expect(report.isRefused && report.line.contains("empty"), "\(report.line)")
    }

    @Test func inspectProposesAMappingThatIngestsEachLayoutWithoutRejects() throws {
        let folder = TemporaryFolder()
        let (_, layouts) = try SourceMappingTests.exports(in: folder)
        let files: [(SyntheticLayout, String)] = [(.pm, "sessions.txt"), (.epic, "flowsheets.csv"), (.items, "answers.tsv"),
                                                  (.fhir, "Procedure.ndjson"), (.fhir, "Observation.ndjson")]
        for (layout, file) in files {
            let place = layouts[layout]!
            let inspected = try CommandLineTool.run(["inspect", file], in: place)
            #expect(inspected.status == 0, "\(inspected.stderr)")
            // No patient id is ever printed.
            #expect(!inspected.stdout.contains("PAAAAAAA"), "\(file): \(inspected.stdout)")
            let proposal = inspected.stdout.components(separatedBy: "  proposed mapping:\n")[1]
                .split(separator: "\n", omittingEmptySubsequences: false).map { $0.dropFirst(4) }.joined(separator: "\n")
            #expect(!proposal.contains("???"), "\(file): \(proposal)")
            let name = "inspected-" + file
            folder.write("\(layout.rawValue)/\(name).yaml", "store: \(name).sqlite\nreports: reports\n" + proposal)
            let ingested = try CommandLineTool.run(["ingest", "--db", "\(name).sqlite", "--pipeline", "\(name).yaml", file], in: place)
            #expect(ingested.status == 0, "\(file): \(ingested.stderr)\n\(proposal)")
            #expect(ingested.stdout.contains(", 0 rejected") && !ingested.stdout.contains("loaded 0 "), "\(file): \(ingested.stdout)\n\(proposal)")
        }
    }
}
