import Foundation
import Testing
@testable import OutcomesKit

/// DATA-CONTRACT §11 source mappings: real export layouts read into the same
/// rows as this project's own, through the same checks.
@Suite(.serialized) struct SourceMappingTests {
    static let month = YearMonth("2026-10")!
    static let modalityCodes = ["tms": "90868", "esketamine": "S0013", "ketamine_iv": "96365", "ort": "H0033",
                                "lai": "J2426", "bhrt": "J1060", "ait": "95117"]
    static let instrumentLabels = ["phq9": "PHQ-9 Total Score", "gad7": "Échelle GAD-7", "madrs": "MADRS Total",
                                   "pcl5": "PCL-5 Total", "ymrs": "YMRS", "bprs": "BPRS Total", "cgi_s": "CGI Severity",
                                   "mrs": "Menopause Rating Scale", "tnss": "TNSS"]

    /// "2026-10-01T09:05" → ("10/1/2026", "9:05 AM"); no time → "".
    static func epicDateTime(_ value: String) -> (date: String, time: String) {
        let parts = value.split(whereSeparator: { $0 == "T" || $0 == " " }).map(String.init)
        let ymd = parts[0].split(separator: "-").map { Int($0)! }
        let date = "\(ymd[1])/\(ymd[2])/\(ymd[0])"
        guard parts.count > 1 else { return (date, "") }
        let hms = parts[1].split(separator: ":").map { Int($0)! }
        let hour12 = hms[0] % 12 == 0 ? 12 : hms[0] % 12
        let seconds = hms.count > 2 ? String(format: ":%02d", hms[2]) : ""
        return (date, String(format: "%d:%02d", hour12, hms[1]) + seconds + (hms[0] < 12 ? " am" : " PM"))
    }

    /// Windows-1252 bytes of a text with only Latin-1 letters (É is 0xC9) and the en dash (0x96).
    static func windows1252(_ text: String) -> Data {
        Data(text.unicodeScalars.map { $0 == "–" ? 0x96 : UInt8($0.value) })
    }

    /// The same synthetic patients as this project's CSVs and as two real-export layouts.
    /// A questionnaire tool's wide export: one row per patient and time, PHQ-9 and GAD-7 as item answers
    /// (tab-separated, ISO dates with a space), every other scale as a total column.
    static func itemLevel(_ scores: [[String]]) -> String {
        let totals = ["madrs", "pcl5", "ymrs", "bprs", "cgi_s", "mrs", "tnss"]
        let phqHeader: [String] = (1...9).map { "PHQ9_\($0)" }
        let gadHeader: [String] = (1...7).map { "GAD7_\($0)" }
        let totalHeader: [String] = totals.map { "\($0.uppercased()) total" }
        var text = (["client", "when"] + phqHeader + gadHeader + totalHeader).joined(separator: "\t") + "\n"
        func items(_ total: Int, _ count: Int) -> [String] { (0..<count).map { String(total / count + ($0 < total % count ? 1 : 0)) } }
        // Rows of one patient and instant, in file order; a scale seen twice at one instant starts a new row.
        var rows: [(key: String, values: [String: String])] = []
        for row in scores {
            let id = Catalog.standard.instrument(named: row[2])!.id
            let key = row[0] + "\t" + row[1].replacingOccurrences(of: "T", with: " ")
            if let last = rows.last, last.key == key, last.values[id] == nil { rows[rows.count - 1].values[id] = row[3] }
            else { rows.append((key, [id: row[3]])) }
        }
        for (key, values) in rows {
            let phq = values["phq9"].map { items(Int($0)!, 9) } ?? Array(repeating: "", count: 9)
            let gad = values["gad7"].map { items(Int($0)!, 7) } ?? Array(repeating: "", count: 7)
            text += ([key] + phq + gad + totals.map { values[$0] ?? "" }).joined(separator: "\t") + "\n"
        }
        return text
    }

    /// "2026-03-08T01:30" (local, New York) → "2026-03-08T01:30:00-05:00", the offset in force then.
    static func withOffset(_ value: String) -> String {
        guard value.count > 10 else { return String(value.prefix(10)) }
        let day = Day(iso: String(value.prefix(10)))!
        let parts = value.dropFirst(11).split(separator: ":").map { Int($0)! }
        let local = Int(day.ordinal) * 86_400 + parts[0] * 3600 + parts[1] * 60 + (parts.count > 2 ? parts[2] : 0)
        let zone = TimeZone(identifier: "America/New_York")!
        // The offset at the UTC instant that local time stands for (the first guess is off by an hour only near a change).
        var offset = zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(local)))
        offset = zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(local - offset)))
        let sign = offset < 0 ? "-" : "+", magnitude = abs(offset)
        return String(format: "%@T%02d:%02d:%02d%@%02d:%02d", String(value.prefix(10)), parts[0], parts[1], parts.count > 2 ? parts[2] : 0,
                      sign, magnitude / 3600, (magnitude % 3600) / 60)
    }

    /// The same rows as FHIR Bulk Data: Procedures and Observations with UTC offsets.
    static func fhir(sessions: [[String]], scores: [[String]]) -> (sessions: String, scores: String) {
        let catalog = Catalog.standard
        let sessionLines = sessions.map { row in
            "{\"resourceType\":\"Procedure\",\"status\":\"completed\",\"subject\":{\"reference\":\"Patient/\(row[0])\"},"
                + "\"performedDateTime\":\"\(withOffset(row[1]))\",\"code\":{\"coding\":[{\"code\":\"\(modalityCodes[catalog.modality(named: row[2])!.id]!)\"}]},"
                + "\"location\":{\"display\":\"\(row[3])\"}}"
        }
        let loinc = ["phq9": "44261-6", "gad7": "70274-6"]
        let scoreLines = scores.map { row in
            let id = catalog.instrument(named: row[2])!.id
            return "{\"resourceType\":\"Observation\",\"status\":\"final\",\"subject\":{\"reference\":\"Patient/\(row[0])\"},"
                + "\"effectiveDateTime\":\"\(withOffset(row[1]))\",\"code\":{\"coding\":[{\"code\":\"\(loinc[id] ?? "local-" + id)\"}]},"
                + "\"valueInteger\":\(row[3])}"
        }
        return (sessionLines.joined(separator: "\n") + "\n", scoreLines.joined(separator: "\n") + "\n")
    }

    static func exports(in folder: TemporaryFolder) throws -> (canonical: [String], sessions: String, scores: String) {
        let data = folder.file("canonical")
        _ = try SyntheticExport.write(SyntheticOptions(patients: 300, seed: 5, from: SyntheticOptions.defaultFrom,
                                                       to: SyntheticOptions.defaultTo, messyRate: 0, split: 0), to: data)
        let catalog = Catalog.standard
        // A practice-management export: CPT/HCPCS codes, "|" delimited, M/D/YYYY and a separate 12-hour time.
        var sessions = "Patient Key|Service Date|Start|Procedure Code|Location\n"
        for row in ReportAttacker.parseCSV(try String(contentsOfFile: "\(data)/sessions.csv", encoding: .utf8)).dropFirst() {
            let (date, time) = epicDateTime(row[1])
            let code = modalityCodes[catalog.modality(named: row[2])!.id]!
            sessions += "\(row[0])|\(date)|\(time)|\(code)|\(row[3])\n"
        }
        // An Epic-style flowsheet extract: ";" delimited, Windows-1252, two lines above the header, labels.
        var scores = "Flowsheet extract – outcomes\nrun;2026-11-02\nPseudonym;Taken Date;Taken Time;Flowsheet Row;Value;Q9\n"
        for row in ReportAttacker.parseCSV(try String(contentsOfFile: "\(data)/scores.csv", encoding: .utf8)).dropFirst() {
            let (date, time) = epicDateTime(row[1])
            let label = instrumentLabels[catalog.instrument(named: row[2])!.id]!
            scores += "\(row[0]);\(date);\(time);\(label);\(row[3]);\(row.count > 4 ? row[4] : "")\n"
        }
        let sessionsPath = folder.write("pm/sessions.txt", sessions)
        let (fhirSessions, fhirScores) = fhir(
            sessions: Array(ReportAttacker.parseCSV(try String(contentsOfFile: "\(data)/sessions.csv", encoding: .utf8)).dropFirst()),
            scores: Array(ReportAttacker.parseCSV(try String(contentsOfFile: "\(data)/scores.csv", encoding: .utf8)).dropFirst()))
        folder.write("fhir/Procedure.ndjson", fhirSessions)
        folder.write("fhir/Observation.ndjson", fhirScores)
        folder.write("items/answers.tsv", itemLevel(Array(ReportAttacker.parseCSV(try String(contentsOfFile: "\(data)/scores.csv", encoding: .utf8)).dropFirst())))
        let scoresPath = folder.file("epic/flowsheets.csv")
        try FileManager.default.createDirectory(atPath: folder.file("epic"), withIntermediateDirectories: true)
        try windows1252(scores).write(to: URL(fileURLWithPath: scoresPath))
        return (["\(data)/sessions.csv", "\(data)/scores.csv"], sessionsPath, scoresPath)
    }

    static let pipeline = """
        store: mapped.sqlite
        reports: reports
        sources:
          - name: practice sessions
            files: [pm/*.txt]
            kind: sessions
            csv: { delimiter: "|" }
            columns: { patient_id: Patient Key, session_date: Service Date, time: Start, modality: Procedure Code, site: Location }
            dates: ["%m/%d/%Y", "%m/%d/%Y %I:%M %p", "%m/%d/%Y %I:%M:%S %p"]
            values:
              modality: { "90868": tms, S0013: esketamine, "96365": ketamine_iv, H0033: ort, J2426: lai, J1060: bhrt, "95117": ait }
          - name: epic scores
            files: [epic/flowsheets_*.csv, epic/flowsheets.csv]
            kind: scores
            csv: { delimiter: ";", encoding: windows-1252, header_row: 3 }
            columns: { patient_id: Pseudonym, assessment_date: Taken Date, time: Taken Time, instrument: Flowsheet Row, score: Value, item9: Q9 }
            dates: ["%m/%d/%Y", "%m/%d/%Y %I:%M %p", "%m/%d/%Y %I:%M:%S %p"]
            values:
              instrument: { PHQ-9 Total Score: phq9, Échelle GAD-7: gad7, MADRS Total: madrs, PCL-5 Total: pcl5, YMRS: ymrs,
                            BPRS Total: bprs, CGI Severity: cgi_s, Menopause Rating Scale: mrs, TNSS: tnss }
        """

    static let itemPipeline = """
        store: items.sqlite
        reports: reports
        sources:
          - name: pm sessions
            files: [pm/*.txt]
            kind: sessions
            csv: { delimiter: "|" }
            columns: { patient_id: Patient Key, session_date: Service Date, time: Start, modality: Procedure Code, site: Location }
            dates: ["%m/%d/%Y", "%m/%d/%Y %I:%M %p", "%m/%d/%Y %I:%M:%S %p"]
            values:
              modality: { "90868": tms, S0013: esketamine, "96365": ketamine_iv, H0033: ort, J2426: lai, J1060: bhrt, "95117": ait }
          - name: questionnaire tool
            files: [items/*.tsv]
            kind: scores
            csv: { delimiter: tab }
            columns: { patient_id: client, assessment_date: when }
            layout: wide
            wide: { madrs: MADRS total, pcl5: PCL5 total, ymrs: YMRS total, bprs: BPRS total, cgi_s: CGI_S total, mrs: MRS total, tnss: TNSS total }
            items:
              phq9: { columns: [PHQ9_1, PHQ9_2, PHQ9_3, PHQ9_4, PHQ9_5, PHQ9_6, PHQ9_7, PHQ9_8, PHQ9_9], item9: PHQ9_9, prorate_missing: 2 }
              gad7: { columns: [GAD7_1, GAD7_2, GAD7_3, GAD7_4, GAD7_5, GAD7_6, GAD7_7] }
        """

    static let fhirPipeline = """
        store: fhir.sqlite
        reports: reports
        timezone: America/New_York
        sources:
          - name: fhir procedures
            files: [fhir/Procedure*.ndjson]
            kind: sessions
            format: fhir-ndjson
            values:
              modality: { "90868": tms, S0013: esketamine, "96365": ketamine_iv, H0033: ort, J2426: lai, J1060: bhrt, "95117": ait }
          - name: fhir observations
            files: [fhir/Observation*.ndjson]
            kind: scores
            format: fhir-ndjson
            values:
              instrument: { local-madrs: madrs, local-pcl5: pcl5, local-ymrs: ymrs, local-bprs: bprs, local-cgi_s: cgi_s, local-mrs: mrs, local-tnss: tnss }
        """

    @Test func twoRealLayoutsGiveTheSameOutcomesAsTheProjectsOwn() throws {
        let folder = TemporaryFolder()
        let (canonical, _, _) = try Self.exports(in: folder)
        let plain = try OutcomeStore(path: folder.file("plain.sqlite"), mode: .create)
        let plainReports = try Ingestor(store: plain, catalog: .standard).ingest(canonical)
        #expect(plainReports.allSatisfy { if case .loaded(let summary) = $0.outcome { summary.rejected == 0 } else { false } })

        let pipelinePath = folder.write("p.yaml", Self.pipeline)
        let definition = try PipelineDefinition.load(path: pipelinePath)
        #expect(definition.mappedInputFiles().count == 2)
        let mapped = try OutcomeStore(path: definition.store, mode: .create)
        let mappedReports = try Ingestor(store: mapped, catalog: .standard).ingest(definition.mappedInputFiles())
        for report in mappedReports {
            guard case .loaded(let summary) = report.outcome else { Issue.record(Comment(rawValue: report.line)); continue }
            #expect(summary.rejected == 0, "\(report.line)")
        }
        // The item-level layout too: items summed into the same totals, several scales per row.
        let itemDefinition = try PipelineDefinition.load(path: folder.write("items.yaml", Self.itemPipeline))
        let items = try OutcomeStore(path: itemDefinition.store, mode: .create)
        for report in try Ingestor(store: items, catalog: .standard).ingest(itemDefinition.mappedInputFiles()) {
            guard case .loaded(let summary) = report.outcome else { Issue.record(Comment(rawValue: report.line)); continue }
            #expect(summary.rejected == 0, "\(report.line)")
        }
        // And FHIR Bulk Data, whose times carry UTC offsets on both sides of daylight-saving changes.
        let fhirDefinition = try PipelineDefinition.load(path: folder.write("fhir.yaml", Self.fhirPipeline))
        let fhir = try OutcomeStore(path: fhirDefinition.store, mode: .create)
        for report in try Ingestor(store: fhir, catalog: .standard).ingest(fhirDefinition.mappedInputFiles()) {
            guard case .loaded(let summary) = report.outcome else { Issue.record(Comment(rawValue: report.line)); continue }
            #expect(summary.rejected == 0 && summary.skipped == 0, "\(report.line)")
        }
        let offsets = try String(contentsOfFile: folder.file("fhir/Observation.ndjson"), encoding: .utf8)
        #expect(offsets.contains("-04:00\"") && offsets.contains("-05:00\""), "the export spans both offsets")
        let settings = ReportSettings(month: Self.month)
        let expected = try ReportBuilder.build(store: plain, settings: settings).files
        for (label, store) in [("epic and practice management", mapped), ("item-level", items), ("FHIR", fhir)] {
            let actual = try ReportBuilder.build(store: store, settings: settings).files
            for name in ["outcomes.csv", "timepoints.csv", "retention.csv", "survival.csv", "dropout.csv", "by_sessions.csv"] {
                let want = expected.files.first { $0.name == name }!.contents, got = actual.files.first { $0.name == name }!.contents
                #expect(want == got, "\(label): \(name) differs")
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
        let (_, sessions, scores) = try Self.exports(in: folder)
        _ = folder.write("p.yaml", Self.pipeline)
        // Relative paths, from the pipeline's folder, as a person types them.
        let result = try CommandLineTool.run(["ingest", "--db", "cli.sqlite", "--pipeline", "p.yaml", "pm/sessions.txt", "epic/flowsheets.csv"],
                                             in: folder.path)
        _ = (sessions, scores)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("sessions.txt: loaded ") && result.stdout.contains("flowsheets.csv: loaded "), "\(result.stdout)")
        #expect(result.stdout.contains(", 0 rejected"), "\(result.stdout)")
        // Without the pipeline the same files are not this project's layout.
        let plain = try CommandLineTool.run(["ingest", "--db", folder.file("plain.sqlite"), sessions])
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
        _ = try SourceMappingTests.exports(in: folder)
        for file in ["pm/sessions.txt", "epic/flowsheets.csv", "items/answers.tsv", "fhir/Procedure.ndjson", "fhir/Observation.ndjson"] {
            let inspected = try CommandLineTool.run(["inspect", file], in: folder.path)
            #expect(inspected.status == 0, "\(inspected.stderr)")
            // No patient id is ever printed.
            #expect(!inspected.stdout.contains("PAAAAAAA"), "\(file): \(inspected.stdout)")
            let proposal = inspected.stdout.components(separatedBy: "  proposed mapping:\n")[1]
                .split(separator: "\n", omittingEmptySubsequences: false).map { $0.dropFirst(4) }.joined(separator: "\n")
            #expect(!proposal.contains("???"), "\(file): \(proposal)")
            let name = file.replacingOccurrences(of: "/", with: "-")
            // The proposal names the file relative to where inspect ran: the pipeline sits there too.
            folder.write("\(name).yaml", "store: \(name).sqlite\nreports: reports\n" + proposal.replacingOccurrences(
                of: "files: [\((file as NSString).lastPathComponent)]", with: "files: [\(file)]"))
            let ingested = try CommandLineTool.run(["ingest", "--db", "\(name).sqlite", "--pipeline", "\(name).yaml", file], in: folder.path)
            #expect(ingested.status == 0, "\(file): \(ingested.stderr)\n\(proposal)")
            #expect(ingested.stdout.contains(", 0 rejected") && !ingested.stdout.contains("loaded 0 "), "\(file): \(ingested.stdout)\n\(proposal)")
        }
    }
}
