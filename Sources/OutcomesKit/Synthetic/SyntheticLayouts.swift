import Foundation

/// Real-export layouts of synthetic data (`outcomes synth --layout`), each
/// with the `sources:` entry that reads it (DATA-CONTRACT §11), written from
/// this project's own CSVs of the same patients, so that a test can check
/// that every layout gives the same outcomes:
///
/// - `pm`: a practice-management sessions export: CPT/HCPCS codes, `|`,
///   `M/D/YYYY` and a separate 12-hour start time;
/// - `epic`: an Epic-style flowsheet extract of scores: one row per
///   measurement, labels, `;`, Windows-1252, two lines above the header;
/// - `items`: a questionnaire tool's wide export: PHQ-9 and GAD-7 as item
///   answers, the other scales as totals, tab-separated;
/// - `fhir`: FHIR R4 Bulk Data, `Procedure.ndjson` and `Observation.ndjson`,
///   times with the UTC offset in force in `America/New_York`.
public enum SyntheticLayout: String, Sendable, CaseIterable {
    case pm, epic, items, fhir

    /// Billing codes the `pm` and `fhir` layouts use (CPT/HCPCS).
    public static let modalityCodes = ["tms": "90868", "esketamine": "S0013", "ketamine_iv": "96365", "ort": "H0033",
                                       "lai": "J2426", "bhrt": "J1060", "ait": "95117"]
    /// Flowsheet labels of the `epic` layout (one with a letter outside ASCII).
    public static let instrumentLabels = ["phq9": "PHQ-9 Total Score", "gad7": "Échelle GAD-7", "madrs": "MADRS Total",
                                          "pcl5": "PCL-5 Total", "ymrs": "YMRS", "bprs": "BPRS Total", "cgi_s": "CGI Severity",
                                          "mrs": "Menopause Rating Scale", "tnss": "TNSS"]
    static let wideTotals = ["madrs", "pcl5", "ymrs", "bprs", "cgi_s", "mrs", "tnss"]
    static let timeZone = "America/New_York"

    /// The `sources:` entry (and `timezone:`) that reads this layout's files, relative to a pipeline beside them.
    public var sourcesYAML: String {
        let dates = "dates: [\"%m/%d/%Y\", \"%m/%d/%Y %I:%M %p\", \"%m/%d/%Y %I:%M:%S %p\"]"
        let modalities = "{ " + Self.modalityCodes.sorted { $0.key < $1.key }.map { "\"\($0.value)\": \($0.key)" }.joined(separator: ", ") + " }"
        switch self {
        case .pm:
            return """
                inputs: [scores*.csv]
                sources:
                  - name: practice sessions
                    files: [sessions*.txt]
                    kind: sessions
                    csv: { delimiter: "|" }
                    columns: { patient_id: Patient Key, session_date: Service Date, time: Start, modality: Procedure Code, site: Location }
                    \(dates)
                    values:
                      modality: \(modalities)

                """
        case .epic:
            let labels = "{ " + Self.instrumentLabels.sorted { $0.key < $1.key }.map { "\"\($0.value)\": \($0.key)" }.joined(separator: ", ") + " }"
            return """
                inputs: [sessions*.csv]
                sources:
                  - name: epic scores
                    files: [flowsheets*.csv]
                    kind: scores
                    csv: { delimiter: ";", encoding: windows-1252, header_row: 3 }
                    columns: { patient_id: Pseudonym, assessment_date: Taken Date, time: Taken Time, instrument: Flowsheet Row, score: Value, item9: Q9 }
                    \(dates)
                    values:
                      instrument: \(labels)

                """
        case .items:
            let wide = Self.wideTotals.map { "\($0): \($0.uppercased()) total" }.joined(separator: ", ")
            return """
                inputs: [sessions*.csv]
                sources:
                  - name: questionnaire tool
                    files: [answers*.tsv]
                    kind: scores
                    csv: { delimiter: tab }
                    columns: { patient_id: client, assessment_date: when }
                    layout: wide
                    wide: { \(wide) }
                    items:
                      phq9: { columns: [\((1...9).map { "PHQ9_\($0)" }.joined(separator: ", "))], item9: PHQ9_9, prorate_missing: 2 }
                      gad7: { columns: [\((1...7).map { "GAD7_\($0)" }.joined(separator: ", "))] }

                """
        case .fhir:
            let local = "{ " + Self.wideTotals.map { "local-\($0): \($0)" }.joined(separator: ", ") + " }"
            return """
                timezone: \(Self.timeZone)
                sources:
                  - name: fhir procedures
                    files: [Procedure*.ndjson]
                    kind: sessions
                    format: fhir-ndjson
                    values:
                      modality: \(modalities)
                  - name: fhir observations
                    files: [Observation*.ndjson]
                    kind: scores
                    format: fhir-ndjson
                    values:
                      instrument: \(local)

                """
        }
    }
}

/// Writing the layouts from this project's CSVs.
public enum SyntheticLayouts {
    /// Converts the canonical files in `canonical` (written by `SyntheticExport`
    /// without messy rows) into `layout`'s files in `folder`, beside a copy of
    /// the canonical files of the other kind where the layout has one kind
    /// only, and `sources.yaml`. Returns the files written.
    @discardableResult
    public static func write(_ layout: SyntheticLayout, canonical: String, to folder: String) throws -> [String] {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let names = try FileManager.default.contentsOfDirectory(atPath: canonical).filter { $0.hasSuffix(".csv") }.sorted()
        var written: [String] = []
        let catalog = Catalog.standard
        for name in names {
            let isSessions = name.hasPrefix("sessions")
            let source = (canonical as NSString).appendingPathComponent(name)
            func target(_ newName: String) -> String { (folder as NSString).appendingPathComponent(newName) }
            let converts = layout == .fhir || (layout == .pm) == isSessions
            guard converts else {
                let copy = target(name)
                if FileManager.default.fileExists(atPath: copy) { try FileManager.default.removeItem(atPath: copy) }
                try FileManager.default.copyItem(atPath: source, toPath: copy)
                written.append(copy)
                continue
            }
            let stem = String(name.dropFirst(isSessions ? "sessions".count : "scores".count).dropLast(".csv".count))
            let path: String
            switch (layout, isSessions) {
            case (.pm, _): path = target("sessions\(stem).txt")
            case (.epic, _): path = target("flowsheets\(stem).csv")
            case (.items, _): path = target("answers\(stem).tsv")
            case (.fhir, true): path = target("Procedure\(stem).ndjson")
            case (.fhir, false): path = target("Observation\(stem).ndjson")
            }
            let out = try BufferedFile(path: path)
            var header = true
            var itemRow: (key: String, values: [String: String])?
            func flushItems() {
                guard let row = itemRow else { return }
                out.append(itemLine(row.key, row.values))
                itemRow = nil
            }
            switch layout {
            case .pm: out.append("Patient Key|Service Date|Start|Procedure Code|Location\n")
            case .epic: out.append(windows1252("Flowsheet extract – outcomes\nrun;synthetic\nPseudonym;Taken Date;Taken Time;Flowsheet Row;Value;Q9\n"))
            case .items: out.append(itemHeader)
            case .fhir: break
            }
            try CSVRecordReader(path: InputPath(source)).forEachRecord { record in
                if header { header = false; return }
                let fields = (0..<record.count).map { record.string($0) }
                switch (layout, isSessions) {
                case (.pm, _):
                    let (date, time) = usDateTime(fields[1])
                    let code = SyntheticLayout.modalityCodes[catalog.modality(named: fields[2])!.id]!
                    out.append("\(fields[0])|\(date)|\(time)|\(code)|\(fields[3])\n")
                case (.epic, _):
                    let (date, time) = usDateTime(fields[1])
                    let label = SyntheticLayout.instrumentLabels[catalog.instrument(named: fields[2])!.id]!
                    out.append(windows1252("\(fields[0]);\(date);\(time);\(label);\(fields[3]);\(fields.count > 4 ? fields[4] : "")\n"))
                case (.items, _):
                    let id = catalog.instrument(named: fields[2])!.id
                    let key = fields[0] + "\t" + fields[1].replacingOccurrences(of: "T", with: " ")
                    // One row per patient and instant; a scale seen twice at one instant starts a new row.
                    if let row = itemRow, row.key == key, row.values[id] == nil { itemRow!.values[id] = fields[3] }
                    else { flushItems(); itemRow = (key, [id: fields[3]]) }
                case (.fhir, true):
                    let code = SyntheticLayout.modalityCodes[catalog.modality(named: fields[2])!.id]!
                    out.append("{\"resourceType\":\"Procedure\",\"status\":\"completed\",\"subject\":{\"reference\":\"Patient/\(fields[0])\"},"
                               + "\"performedDateTime\":\"\(withOffset(fields[1]))\",\"code\":{\"coding\":[{\"code\":\"\(code)\"}]},"
                               + "\"location\":{\"display\":\"\(fields[3])\"}}\n")
                case (.fhir, false):
                    let id = catalog.instrument(named: fields[2])!.id
                    let code = Instrument.loincCodes.first { $0.value == id }?.key ?? "local-\(id)"
                    out.append("{\"resourceType\":\"Observation\",\"status\":\"final\",\"subject\":{\"reference\":\"Patient/\(fields[0])\"},"
                               + "\"effectiveDateTime\":\"\(withOffset(fields[1]))\",\"code\":{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"\(code)\"}]},"
                               + "\"valueInteger\":\(fields[3])}\n")
                }
            }
            flushItems()
            try out.close()
            written.append(path)
        }
        let yaml = (folder as NSString).appendingPathComponent("sources.yaml")
        try ("# The sources: entry that reads these files (outcomes synth --layout \(layout.rawValue)).\n" + layout.sourcesYAML)
            .write(toFile: yaml, atomically: true, encoding: .utf8)
        return written + [yaml]
    }

    /// "2026-10-01T09:05" → ("10/1/2026", "9:05 am"); 12-hour times in both cases of AM and PM.
    static func usDateTime(_ value: String) -> (date: String, time: String) {
        let parts = value.split(whereSeparator: { $0 == "T" || $0 == " " }).map(String.init)
        let ymd = parts[0].split(separator: "-").map { Int($0)! }
        let date = "\(ymd[1])/\(ymd[2])/\(ymd[0])"
        guard parts.count > 1 else { return (date, "") }
        let hms = parts[1].split(separator: ":").map { Int($0)! }
        let hour12 = hms[0] % 12 == 0 ? 12 : hms[0] % 12
        let seconds = hms.count > 2 ? ":" + twoDigits(hms[2]) : ""
        return (date, "\(hour12):\(twoDigits(hms[1]))\(seconds)" + (hms[0] < 12 ? " am" : " PM"))
    }

    static func twoDigits(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }

    /// Windows-1252 bytes of a text whose only non-ASCII characters are Latin-1 letters and the en dash.
    static func windows1252(_ text: String) -> [UInt8] {
        text.unicodeScalars.map { $0 == "–" ? 0x96 : UInt8(truncatingIfNeeded: $0.value) }
    }

    static var itemHeader: String {
        (["client", "when"] + (1...9).map { "PHQ9_\($0)" } + (1...7).map { "GAD7_\($0)" }
            + SyntheticLayout.wideTotals.map { "\($0.uppercased()) total" }).joined(separator: "\t") + "\n"
    }

    /// A wide row: PHQ-9 and GAD-7 totals spread over their items, the other scales as totals.
    static func itemLine(_ key: String, _ values: [String: String]) -> String {
        func items(_ total: Int, _ count: Int) -> [String] { (0..<count).map { String(total / count + ($0 < total % count ? 1 : 0)) } }
        let phq = values["phq9"].map { items(Int($0)!, 9) } ?? Array(repeating: "", count: 9)
        let gad = values["gad7"].map { items(Int($0)!, 7) } ?? Array(repeating: "", count: 7)
        return ([key] + phq + gad + SyntheticLayout.wideTotals.map { values[$0] ?? "" }).joined(separator: "\t") + "\n"
    }

    /// "2026-03-08T01:30" (local, New York) → "2026-03-08T01:30:00-05:00", the offset in force then; a date stays a date.
    static func withOffset(_ value: String) -> String {
        guard value.count > 10, let day = Day(iso: String(value.prefix(10))) else { return String(value.prefix(10)) }
        let parts = value.dropFirst(11).split(separator: ":").map { Int($0)! }
        let local = Int(day.ordinal) * 86_400 + parts[0] * 3600 + parts[1] * 60 + (parts.count > 2 ? parts[2] : 0)
        let zone = TimeZone(identifier: SyntheticLayout.timeZone)!
        // The offset at the instant that local time stands for (a first guess is off by an hour only near a change).
        var offset = zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(local)))
        offset = zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(local - offset)))
        let magnitude = abs(offset)
        return "\(value.prefix(10))T\(twoDigits(parts[0])):\(twoDigits(parts[1])):\(twoDigits(parts.count > 2 ? parts[2] : 0))"
            + (offset < 0 ? "-" : "+") + "\(twoDigits(magnitude / 3600)):\(twoDigits((magnitude % 3600) / 60))"
    }
}
