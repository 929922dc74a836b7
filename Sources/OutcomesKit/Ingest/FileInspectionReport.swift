import Foundation

/// What `outcomes inspect` prints: the file's description, and a proposed
/// `sources:` entry (guesses a person checks before pasting it).
extension FileInspection {
    /// Billing codes the proposal recognises (CPT/HCPCS), for the value map it
    /// proposes. Only a suggestion: ingest itself knows no codes until a
    /// pipeline maps them.
    static let knownModalityCodes: [String: String] = [
        "90867": "tms", "90868": "tms", "90869": "tms",
        "s0013": "esketamine", "g2082": "esketamine", "g2083": "esketamine",
        "96365": "ketamine_iv",
        "h0033": "ort", "j0572": "ort", "j0573": "ort", "j0574": "ort", "j0575": "ort",
        "j2426": "lai", "j2794": "lai",
        "j1060": "bhrt", "j1000": "bhrt",
        "95115": "ait", "95117": "ait", "95165": "ait",
    ]

    /// The instrument a label stands for: an id, alias or name inside it
    /// ("PHQ-9 Total Score"), a LOINC code, or its initials ("Menopause Rating Scale").
    static func guessInstrument(_ label: String, catalog: Catalog) -> String? {
        if let known = catalog.instrument(named: label) { return known.id }
        if let loinc = Instrument.loincCodes[label] { return loinc }
        func squeezed(_ text: String) -> String { String(text.lowercased().unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) }) }
        let text = squeezed(label)
        let initials = String(label.split(whereSeparator: { !$0.isLetter && !$0.isNumber }).compactMap { $0.first }).lowercased()
        var best: (id: String, length: Int)?
        for instrument in catalog.instruments {
            for name in [instrument.id, instrument.name] + instrument.aliases {
                let key = squeezed(name)
                guard key.count >= 3, text.contains(key) || initials == key, key.count > (best?.length ?? 0) else { continue }
                best = (instrument.id, key.count)
            }
        }
        return best?.id
    }

    static func guessModality(_ value: String, catalog: Catalog) -> String? {
        catalog.modality(named: value)?.id ?? knownModalityCodes[value.lowercased()]
    }

    /// The contract column each header seems to hold, and the kind of file.
    func guessedColumns(catalog: Catalog) -> (kind: FileKind, columns: [String: Column]) {
        func named(_ words: [String]) -> Column? {
            columns.first { column in words.contains { column.header.lowercased().contains($0) } }
        }
        let codeColumns = columns.filter { !$0.manyValues && $0.filled > 0 && $0.dateForm == nil && $0.timeForm == nil && !$0.isInteger }
        let instrumentColumn = codeColumns.max { a, b in
            a.codes.keys.count { Self.guessInstrument($0, catalog: catalog) != nil } < b.codes.keys.count { Self.guessInstrument($0, catalog: catalog) != nil }
        }
        let modalityColumn = columns.filter { !$0.manyValues && $0.filled > 0 }.max { a, b in
            a.codes.keys.count { Self.guessModality($0, catalog: catalog) != nil } < b.codes.keys.count { Self.guessModality($0, catalog: catalog) != nil }
        }
        let instrumentHits = instrumentColumn.map { c in c.codes.keys.count { Self.guessInstrument($0, catalog: catalog) != nil } } ?? 0
        let modalityHits = modalityColumn.map { c in c.codes.keys.count { Self.guessModality($0, catalog: catalog) != nil } } ?? 0
        let kind: FileKind = modalityHits > instrumentHits ? .sessions : .scores
        var guessed: [String: Column] = [:]
        guessed["patient_id"] = named(["patient", "pseudonym", "client", "subject", "person"]) ?? columns.first { $0.manyValues && $0.dateForm == nil }
        let date = columns.first { $0.dateForm != nil }
        guessed[kind == .sessions ? "session_date" : "assessment_date"] = date
        guessed["time"] = columns.first { $0.timeForm != nil }
        if kind == .sessions {
            guessed["modality"] = modalityColumn
            guessed["site"] = named(["site", "location", "clinic", "facility"])
        } else {
            guessed["instrument"] = instrumentColumn
            guessed["score"] = named(["score", "value", "total", "result"]).flatMap { $0.integers != nil ? $0 : nil }
                ?? columns.first { $0.integers != nil && !($0.header.lowercased().contains("9")) }
            guessed["item9"] = named(["item9", "item 9", "q9"]).flatMap { $0.integers != nil && $0.header != guessed["score"]?.header ? $0 : nil }
        }
        return (kind, guessed)
    }

    /// Whether a column's values may be printed: the treatment, scale or site
    /// column, or a short list whose values repeat (never the patient column,
    /// nor values seen once or twice, which could single a patient out).
    /// Values seen this often or more may be printed; rarer ones could be a
    /// patient's data in the wrong column, so only their number is.
    static let shownFrom = 3

    func showsValues(_ column: Column, guessed: [String: Column]) -> Bool {
        guard !column.manyValues, column.header != guessed["patient_id"]?.header, !column.looksLikeIdentifier else { return false }
        if ["modality", "instrument", "site"].contains(where: { guessed[$0]?.header == column.header }) { return true }
        return column.codes.count <= 12 && column.codes.values.allSatisfy { $0 >= 3 }
    }

    /// Instruments whose scores sit in their own columns (a wide export): a
    /// header naming one scale once is its total; several, its items.
    func wideScores(catalog: Catalog) -> [(instrument: String, columns: [Column])] {
        var groups: [(instrument: String, columns: [Column])] = []
        for column in columns where column.isInteger {
            guard let id = Self.guessInstrument(column.header, catalog: catalog) else { continue }
            if let index = groups.firstIndex(where: { $0.instrument == id }) { groups[index].columns.append(column) }
            else { groups.append((id, [column])) }
        }
        return groups
    }

    /// The file described for a person: dialect, then each column.
    public func describe(catalog: Catalog) -> String {
        let guessed = guessedColumns(catalog: catalog).columns
        var lines = ["\(TerminalText.safe(path))"]
        if format == .fhirNDJSON {
            lines.append("  FHIR NDJSON, \(records) lines: " + resourceTypes.sorted { $0.key < $1.key }.map { "\(TerminalText.safe($0.key)) \($0.value)" }.joined(separator: ", "))
            let rare = codes.values.count { $0 < Self.shownFrom }
            lines.append("  codes: " + codes.filter { $0.value >= Self.shownFrom }.sorted { $0.key < $1.key }
                .map { "\(TerminalText.safe($0.key)) \($0.value)" }.joined(separator: ", ")
                + (rare > 0 ? "; \(rare) more seen fewer than \(Self.shownFrom) times (not shown)" : ""))
            return lines.joined(separator: "\n") + "\n"
        }
        let delimiter = dialect.delimiter == 0x09 ? "tab" : "\"" + String(UnicodeScalar(dialect.delimiter)) + "\""
        lines.append("  delimiter \(delimiter), encoding \(dialect.encoding.rawValue), header on line \(dialect.headerRow), \(records) records")
        for column in columns {
            let fill = records == 0 ? 0 : Int((100 * Double(column.filled) / Double(records)).rounded())
            var shape: String
            if column.filled == 0 { shape = "empty" }
            else if let form = column.dateForm { shape = "date \(form)" }
            else if let form = column.timeForm { shape = "time \(form)" }
            else if let range = column.integers { shape = "integer \(range.lowerBound)–\(range.upperBound)" }
            else if showsValues(column, guessed: guessed) {
                let common = column.codes.filter { $0.value >= Self.shownFrom }.keys.sorted(), rare = column.codes.count - common.count
                shape = "\(column.codes.count) code\(column.codes.count == 1 ? "" : "s"): "
                    + common.map { TerminalText.safe($0) }.joined(separator: ", ")
                    + (rare > 0 ? "\(common.isEmpty ? "" : ", and ")\(rare) seen fewer than \(Self.shownFrom) times (not shown)" : "")
            } else {
                shape = column.manyValues ? "text, more than \(FileInspection.codeLimit) distinct values" : "text, \(column.codes.count) distinct values"
                if column.header == guessed["patient_id"]?.header { shape += " (patient ids: never shown)" }
            }
            let flag = column.looksLikeIdentifier ? "  IDENTIFIER: ingest refuses a file with this column" : ""
            lines.append("  \(TerminalText.safe(column.header)): \(shape); \(fill) % filled\(flag)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A `sources:` entry to paste into a pipeline (with `timezone:` for FHIR).
    public func proposal(catalog: Catalog) -> String {
        let name = (path as NSString).lastPathComponent
        func quoted(_ text: String) -> String {
            let plain = text.allSatisfy { $0.isLetter || $0.isNumber || " -_.".contains($0) } && !(text.first?.isNumber ?? true)
            return plain ? text : "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        }
        if format == .fhirNDJSON {
            let sessions = (resourceTypes["Procedure"] ?? 0) > (resourceTypes["Observation"] ?? 0)
            var text = """
                timezone: America/New_York   # the practice's IANA zone: FHIR times carry offsets
                sources:
                  - name: \(quoted(name))
                    files: [\(quoted(name))]
                    kind: \(sessions ? "sessions" : "scores")
                    format: fhir-ndjson

                """
            // Codes the catalogue and LOINC do not know, with a guess each.
            let unknown = codes.filter { $0.value >= Self.shownFrom }.keys.sorted().filter { code in
                sessions ? catalog.modality(named: code) == nil : catalog.instrument(named: code) == nil && Instrument.loincCodes[code] == nil
            }
            if !unknown.isEmpty {
                let subject = sessions ? "modality" : "instrument"
                text += "    values:\n      \(subject): { " + unknown.map { code in
                    "\(quoted(code)): " + ((sessions ? Self.guessModality(code, catalog: catalog) : Self.guessInstrument(code, catalog: catalog)) ?? "???")
                }.joined(separator: ", ") + " }\n"
            }
            return text
        }
        var (kind, columns) = guessedColumns(catalog: catalog)
        let wide = wideScores(catalog: catalog)
        // Scale columns and no scale names in the rows: a wide or item-level export.
        let isWide = !wide.isEmpty && (columns["instrument"].map { c in c.codes.keys.allSatisfy { Self.guessInstrument($0, catalog: catalog) == nil } } ?? true)
        if isWide {
            kind = .scores
            for key in ["instrument", "score", "item9"] { columns[key] = nil }
        }
        var text = "sources:\n  - name: \(quoted(name))\n    files: [\(quoted(name))]\n    kind: \(kind.rawValue)\n"
        var csv: [String] = []
        if dialect.delimiter != UInt8(ascii: ",") { csv.append("delimiter: " + (dialect.delimiter == 0x09 ? "tab" : "\"\(String(UnicodeScalar(dialect.delimiter)))\"")) }
        if dialect.encoding != .utf8 { csv.append("encoding: \(dialect.encoding.rawValue)") }
        if dialect.headerRow != 1 { csv.append("header_row: \(dialect.headerRow)") }
        if !csv.isEmpty { text += "    csv: { \(csv.joined(separator: ", ")) }\n" }
        let order = SourceMapping.contractColumns(for: kind)
        let mapped = order.compactMap { column in columns[column].map { "\(column): \(quoted($0.header))" } }
        text += "    columns: { \(mapped.joined(separator: ", ")) }\n"
        let dateForm = columns[kind == .sessions ? "session_date" : "assessment_date"]?.dateForm
        if let dateForm, !["%Y-%m-%d", "%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"].contains(dateForm) || columns["time"] != nil {
            var forms = [dateForm]
            if let time = columns["time"]?.timeForm { forms += [dateForm + " " + time] }
            text += "    dates: [" + forms.map { "\"\($0)\"" }.joined(separator: ", ") + "]\n"
        }
        if isWide {
            let totals = wide.filter { $0.columns.count == 1 }, items = wide.filter { $0.columns.count > 1 }
            text += "    layout: wide\n"
            if !totals.isEmpty {
                text += "    wide: { " + totals.map { "\($0.instrument): \(quoted($0.columns[0].header))" }.joined(separator: ", ") + " }\n"
            }
            if !items.isEmpty {
                text += "    items:\n"
                for group in items {
                    let item9 = group.instrument == catalog.itemNineInstrument.map({ catalog.instruments[$0].id }) ? group.columns.last : nil
                    text += "      \(group.instrument): { columns: [" + group.columns.map { quoted($0.header) }.joined(separator: ", ") + "]"
                        + (item9.map { ", item9: \(quoted($0.header))" } ?? "") + " }\n"
                }
            }
            return text
        }
        let subject = kind == .sessions ? "modality" : "instrument"
        if let column = columns[subject] {
            var entries: [String] = []
            for value in column.codes.filter({ $0.value >= Self.shownFrom }).keys.sorted() {
                let isKnown = kind == .sessions ? catalog.modality(named: value) != nil : catalog.instrument(named: value) != nil
                guard !isKnown else { continue }
                let guess = kind == .sessions ? Self.guessModality(value, catalog: catalog) : Self.guessInstrument(value, catalog: catalog)
                entries.append("\(quoted(value)): \(guess ?? "???")")
            }
            if !entries.isEmpty { text += "    values:\n      \(subject): { \(entries.joined(separator: ", ")) }\n" }
        }
        return text
    }
}
