import Foundation
@testable import OutcomesKit

/// An attacker who holds a public report (its CSV files and its Markdown)
/// and knows the contract: it writes down every identity between the
/// numbers, and narrows each count it was not shown by constraint
/// propagation until nothing changes.
///
/// It is written apart from the product's own `DisclosureLedger` (its own
/// parsing, its own identities), so that the product's suppression is
/// checked against an independent reading of what it published. Given the
/// internal report of the same month, it also checks that its bounds hold
/// the true values (so the identities are right) and judges the small
/// groups no file prints but anyone can subtract (those without a
/// follow-up score, the non-responders beside a rate).
struct ReportAttacker {
    /// A count the attacker reasons about, named by file, row and column.
    struct Key: Hashable, CustomStringConvertible {
        let parts: [String]
        init(_ parts: String...) { self.parts = parts }
        init(_ parts: [String]) { self.parts = parts }
        var description: String { parts.joined(separator: " ") }
    }

    static let unbounded = 1 << 40

    private(set) var keys: [Key] = []
    private var index: [Key: Int] = [:]
    private(set) var lower: [Int] = []
    private(set) var upper: [Int] = []
    /// Whether the report withheld the count (shown as `<11` or `x`, or left empty where the rule applies).
    private(set) var withheld: [Bool] = []
    /// Whether the count is a group no file prints, worked out from others.
    private(set) var derived: [Bool] = []
    /// Σ coefficient·x ≤ bound (and ≥ lowerBound when an equality).
    private var constraints: [(terms: [(Int, Double)], bound: Double, isEquality: Bool)] = []
    let catalog: Catalog
    let minCell: Int

    init(catalog: Catalog = .standard, minCell: Int = 11) {
        self.catalog = catalog
        self.minCell = minCell
    }

    // MARK: Variables and identities

    mutating func variable(_ key: Key) -> Int {
        if let known = index[key] { return known }
        index[key] = keys.count
        keys.append(key)
        lower.append(0)
        upper.append(Self.unbounded)
        withheld.append(false)
        derived.append(false)
        return keys.count - 1
    }

    func lookup(_ key: Key) -> Int? { index[key] }

    /// Records what a report printed for a count: a number, `<11`, or a withheld mark.
    mutating func observe(_ key: Key, _ text: String) {
        let v = variable(key)
        let field = text.replacingOccurrences(of: "&lt;", with: "<").trimmingCharacters(in: .whitespaces)
        if let value = Int(field) {
            lower[v] = max(lower[v], value)
            upper[v] = min(upper[v], value)
        } else if field.hasPrefix("<"), let below = Int(field.dropFirst()) {
            withheld[v] = true
            lower[v] = max(lower[v], 1)
            upper[v] = min(upper[v], below - 1)
        } else {
            withheld[v] = true
        }
    }

    mutating func equal(_ plus: [Int], _ minus: [Int]) {
        constraints.append((plus.map { ($0, 1.0) } + minus.map { ($0, -1.0) }, 0, true))
    }

    mutating func atMost(_ smaller: [Int], _ larger: [Int]) {
        constraints.append((smaller.map { ($0, 1.0) } + larger.map { ($0, -1.0) }, 0, false))
    }

    /// A group worked out by subtraction: `whole − parts`.
    mutating func difference(_ key: Key, _ whole: Int, minus parts: [Int]) {
        let rest = variable(key)
        derived[rest] = true
        equal([whole], parts + [rest])
    }

    /// A printed rate `x / n`, rounded to `decimals` of a proportion.
    mutating func rate(_ x: Int, _ n: Int, _ rate: Double, halfWidth: Double) {
        constraints.append(([(x, 1), (n, -(rate + halfWidth))], 0, false))
        constraints.append(([(x, -1), (n, rate - halfWidth)], 0, false))
    }

    // MARK: Propagation

    /// Narrows every bound from every constraint until nothing changes; false on a contradiction.
    mutating func propagate(maximumPasses: Int = 500) -> Bool {
        for _ in 0..<maximumPasses {
            var changed = false
            for constraint in constraints {
                for sign in constraint.isEquality ? [1.0, -1.0] : [1.0] {
                    // Σ sign·a·x ≤ sign·b: each term at most what the others leave.
                    var least = 0.0, unboundedTerms = 0
                    for (v, a) in constraint.terms {
                        let coefficient = sign * a
                        if coefficient > 0 { least += coefficient * Double(lower[v]) }
                        else if upper[v] >= Self.unbounded { unboundedTerms += 1 }
                        else { least += coefficient * Double(upper[v]) }
                    }
                    let limit = sign * constraint.bound
                    if unboundedTerms == 0 && least > limit + 1e-9 { return false }
                    for (v, a) in constraint.terms {
                        let coefficient = sign * a
                        let own: Double
                        if coefficient > 0 { own = coefficient * Double(lower[v]) }
                        else if upper[v] >= Self.unbounded { own = .nan }
                        else { own = coefficient * Double(upper[v]) }
                        if own.isNaN ? unboundedTerms > 1 : unboundedTerms > 0 { continue }
                        let slack = limit - (least - (own.isNaN ? 0 : own))
                        if coefficient > 0 {
                            let high = Int((slack / coefficient + 1e-9).rounded(.down))
                            if high < upper[v] { upper[v] = high; changed = true }
                        } else {
                            let low = Int((slack / coefficient - 1e-9).rounded(.up))
                            if low > lower[v] { lower[v] = low; changed = true }
                        }
                        if lower[v] > upper[v] { return false }
                    }
                }
            }
            if !changed { return true }
        }
        return true
    }

    /// How many values a count can still take.
    func values(_ v: Int) -> Int { upper[v] >= Self.unbounded ? Self.unbounded : upper[v] - lower[v] + 1 }

    /// Counts that must be protected (withheld, or a derived group that is
    /// truly small) and that the attacker narrowed to fewer than `minimum` values.
    func exposed(truth: [Key: Int], minimum: Int = 3) -> [(Key, ClosedRange<Int>)] {
        keys.indices.compactMap { v in
            let mustProtect = withheld[v] || (derived[v] && (truth[keys[v]].map { $0 >= 1 && $0 < minCell } ?? false))
            guard mustProtect, values(v) < minimum else { return nil }
            return (keys[v], lower[v]...max(lower[v], upper[v]))
        }
    }

    /// Counts whose true value lies outside the attacker's bounds (a wrong identity).
    func unsound(truth: [Key: Int]) -> [(Key, Int, ClosedRange<Int>)] {
        keys.indices.compactMap { v in
            guard let value = truth[keys[v]], value < lower[v] || value > upper[v] else { return nil }
            return (keys[v], value, lower[v]...max(lower[v], upper[v]))
        }
    }
}

// MARK: Reading a report

extension ReportAttacker {
    static let outcomeCounts = ["courses", "no_baseline", "below_threshold", "itt_n", "evaluable_n", "completers_n", "responders",
                                "remitters", "recovered", "completer_responders", "completer_remitters", "improved",
                                "deteriorated", "early_responders"]

    /// Reads a report's files (name → text) and writes down everything it implies.
    mutating func read(_ files: [String: String], month: YearMonth) {
        readOutcomes(files["outcomes.csv"]!)
        readTimePoints(files["timepoints.csv"]!)
        readRetention(files["retention.csv"]!)
        readRejects(files["rejects.csv"]!)
        readDropout(files["dropout.csv"]!)
        readBySessions(files["by_sessions.csv"]!)
        readSurvival(files["survival.csv"]!)
        readMarkdown(files["outcomes.md"]!, month: month)
    }

    /// Each window's month ≤ 12 months ≤ all time, for counts keyed by window at `windowPart`.
    mutating func nestWindows(_ cells: [Key: Int], windowPart: Int) {
        for (key, v) in cells where key.parts[windowPart] != "all" {
            var wider = key.parts
            wider[windowPart] = key.parts[windowPart] == "month" ? "12m" : "all"
            if let w = lookup(Key(wider)) { atMost([v], [w]) }
        }
    }

    /// dropout.csv: session 1 is every course (outcomes.csv's `courses`), each
    /// session at most the one before, the stoppers between two sessions a
    /// group of their own, and the printed share reached_k / reached_1.
    mutating func readDropout(_ text: String) {
        var cells: [Key: Int] = [:]
        var previous: (group: [String], cell: Int)? = nil
        var first: Int? = nil
        for record in Self.records(text) {
            let window = record["window"]!, modality = record["modality"]!, session = record["session"]!
            let key = Key("dropout", window, modality, session)
            observe(key, record["reached"]!)
            let v = variable(key)
            cells[key] = v
            if session == "1" {
                first = v
                equal([v], [variable(Key("outcomes", window, modality, "*scales*", "*", "courses"))])
            } else if let previous, previous.group == [window, modality] {
                difference(Key("dropout", window, modality, "(stopped before \(session))"), previous.cell, minus: [v])
            }
            if let first, let share = Double(record["share"] ?? "") { rate(v, first, share, halfWidth: 0.00005) }
            previous = ([window, modality], v)
        }
        nestWindows(cells, windowPart: 1)
    }

    /// by_sessions.csv: the bins add up to the row of outcomes.csv (evaluable,
    /// responders, remitters), with rates and non-responders per bin.
    mutating func readBySessions(_ text: String) {
        var cells: [Key: Int] = [:]
        var sums: [[String]: [String: [Int]]] = [:]
        for record in Self.records(text) {
            let window = record["window"]!, modality = record["modality"]!, instrument = record["instrument"]!
            let bin = record["sessions"]!
            var row: [String: Int] = [:]
            for column in ["evaluable", "responders", "remitters"] where column != "remitters" || applies("remitters", instrument: instrument) {
                let key = Key("by_sessions", window, modality, bin, column)
                observe(key, record[column]!)
                row[column] = variable(key)
                cells[key] = row[column]
                sums[[window, modality, instrument], default: [:]][column, default: []].append(row[column]!)
            }
            difference(Key("by_sessions", window, modality, bin, "(non-responders)"), row["evaluable"]!, minus: [row["responders"]!])
            if let value = Double(record["response_rate"] ?? "") { rate(row["responders"]!, row["evaluable"]!, value, halfWidth: 0.00005) }
            if let remitters = row["remitters"] {
                difference(Key("by_sessions", window, modality, bin, "(non-remitters)"), row["evaluable"]!, minus: [remitters])
                if let value = Double(record["remission_rate"] ?? "") { rate(remitters, row["evaluable"]!, value, halfWidth: 0.00005) }
            }
        }
        for (group, columns) in sums {
            for (column, parts) in columns {
                let total = variable(Key("outcomes", group[0], group[1], group[2], "*", column == "evaluable" ? "evaluable_n" : column))
                equal([total], parts)
            }
        }
        nestWindows(cells, windowPart: 1)
    }

    /// survival.csv: the numbers at risk, events and censorings printed, each
    /// at most the courses the curve starts from.
    mutating func readSurvival(_ text: String) {
        for record in Self.records(text) {
            let window = record["window"]!, modality = record["modality"]!, instrument = record["instrument"]!
            let prefix = ["survival", window, modality, record["curve"]!, record["day"]!]
            let start = variable(Key("outcomes", window, modality, instrument, "*", record["curve"] == "durability" ? "responders" : "itt_n"))
            for column in ["at_risk", "events", "censored"] {
                observe(Key(prefix + [column]), record[column]!)
                atMost([variable(Key(prefix + [column]))], [start])
            }
        }
    }

    /// Whether a count column applies to an instrument (its rule exists).
    func applies(_ column: String, instrument id: String) -> Bool {
        guard let instrument = catalog.instruments.first(where: { $0.id == id }) else { return true }
        switch column {
        case "remitters", "completer_remitters": return instrument.remission != nil
        case "improved", "deteriorated": return instrument.reliableChange != nil
        case "recovered": return instrument.remission != nil && instrument.reliableChange != nil
        default: return true
        }
    }

    static func records(_ text: String) -> [[String: String]] {
        let rows = parseCSV(text)
        guard let header = rows.first else { return [] }
        return rows.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(header, $0)) }
    }

    static func parseCSV(_ text: String) -> [[String]] {
        var rows: [[String]] = [], row: [String] = [], field = "", quoted = false
        var iterator = Array(text).makeIterator()
        var pending: Character? = nil
        while let character = pending ?? iterator.next() {
            pending = nil
            if quoted {
                if character == "\"" {
                    if let next = iterator.next() {
                        if next == "\"" { field.append("\"") } else { quoted = false; pending = next }
                    } else { quoted = false }
                } else { field.append(character) }
            } else if character == "\"" { quoted = true }
            else if character == "," { row.append(field); field = "" }
            else if character == "\n" { row.append(field); rows.append(row); row = []; field = "" }
            else { field.append(character) }
        }
        if !field.isEmpty || !row.isEmpty { row.append(field); rows.append(row) }
        return rows
    }

    static func site(_ field: String) -> String { field.hasPrefix("'") ? String(field.dropFirst()) : field }

    mutating func readOutcomes(_ text: String) {
        var groups: [[String]: (total: [String: Int], sites: [[String: Int]])] = [:]
        var lines: [[String]: [String: [String: Int]]] = [:]
        for record in Self.records(text) {
            let window = record["window"]!, modality = record["modality"]!, instrument = record["instrument"]!
            let site = Self.site(record["site"]!)
            var cells: [String: Int] = [:]
            for column in Self.outcomeCounts {
                // courses is one count for every scale of a modality.
                let key = column == "courses" ? Key("outcomes", window, modality, "*scales*", site, column)
                    : Key("outcomes", window, modality, instrument, site, column)
                guard applies(column, instrument: instrument) else { continue }
                observe(key, record[column]!)
                cells[column] = variable(key)
            }
            func c(_ name: String) -> Int { cells[name]! }
            let prefix = ["outcomes", window, modality, instrument, site]
            equal([c("courses")], [c("no_baseline"), c("below_threshold"), c("itt_n")])
            equal([c("completer_responders")], [c("responders")])
            difference(Key(prefix + ["(no follow-up)"]), c("itt_n"), minus: [c("evaluable_n")])
            difference(Key(prefix + ["(not finished)"]), c("evaluable_n"), minus: [c("completers_n")])
            for population in ["itt_n", "evaluable_n", "completers_n"] {
                difference(Key(prefix + ["(\(population) non-responders)"]), c(population), minus: [c("responders")])
            }
            if let remitters = cells["remitters"], let completerRemitters = cells["completer_remitters"] {
                difference(Key(prefix + ["(itt non-remitters)"]), c("itt_n"), minus: [remitters])
                difference(Key(prefix + ["(evaluable non-remitters)"]), c("evaluable_n"), minus: [remitters])
                difference(Key(prefix + ["(completer non-remitters)"]), c("completers_n"), minus: [completerRemitters])
                atMost([completerRemitters], [remitters])
            }
            if let recovered = cells["recovered"] {
                difference(Key(prefix + ["(not recovered)"]), c("evaluable_n"), minus: [recovered])
                atMost([recovered], [c("remitters")])
                atMost([recovered], [c("improved")])
            }
            if let improved = cells["improved"], let deteriorated = cells["deteriorated"] {
                atMost([improved, deteriorated], [c("evaluable_n")])
            }
            atMost([c("early_responders")], [c("itt_n")])
            // Rates printed beside counts the attacker may not see.
            for (rateColumn, x, n) in [("response_rate_itt", "responders", "itt_n"), ("response_rate_evaluable", "responders", "evaluable_n"),
                                       ("response_rate_completers", "completer_responders", "completers_n"),
                                       ("remission_rate_itt", "remitters", "itt_n"), ("remission_rate_evaluable", "remitters", "evaluable_n"),
                                       ("remission_rate_completers", "completer_remitters", "completers_n")] {
                if let value = Double(record[rateColumn] ?? ""), let x = cells[x], let n = cells[n] {
                    rate(x, n, value, halfWidth: 0.00005)
                }
            }
            let group = [window, modality, instrument]
            if site == "*" { groups[group, default: ([:], [])].total = cells } else { groups[group, default: ([:], [])].sites.append(cells) }
            lines[[modality, instrument, site], default: [:]][window] = cells
        }
        relate(groups: groups, lines: lines)
    }

    /// `*` = Σ sites, column by column; month ≤ 12m ≤ all.
    mutating func relate(groups: [[String]: (total: [String: Int], sites: [[String: Int]])], lines: [[String]: [String: [String: Int]]]) {
        for (_, group) in groups where !group.sites.isEmpty && !group.total.isEmpty {
            for (column, total) in group.total {
                let parts = group.sites.compactMap { $0[column] }
                if parts.count == group.sites.count { equal([total], parts) }
            }
        }
        for (_, windows) in lines {
            for (smaller, larger) in [("month", "12m"), ("12m", "all")] {
                guard let a = windows[smaller], let b = windows[larger] else { continue }
                for (column, cell) in a { if let other = b[column] { atMost([cell], [other]) } }
            }
        }
    }

    mutating func readTimePoints(_ text: String) {
        var groups: [[String]: (total: [String: Int], sites: [[String: Int]])] = [:]
        var lines: [[String]: [String: [String: Int]]] = [:]
        for record in Self.records(text) {
            let window = record["window"]!, modality = record["modality"]!, instrument = record["instrument"]!
            let site = Self.site(record["site"]!), point = record["time_point"]!
            let prefix = ["timepoints", window, modality, instrument, site]
            var cells: [String: Int] = [:]
            let timed = variable(Key(prefix + ["itt_timed"]))  // the same at every time point
            observe(Key(prefix + ["itt_timed"]), record["itt_timed"]!)
            cells["itt_timed"] = timed
            for column in ["n", "responders", "remitters"] where column != "remitters" || applies("remitters", instrument: instrument) {
                let key = Key(prefix + [point, column])
                observe(key, record[column]!)
                cells[column] = variable(key)
            }
            atMost([cells["n"]!], [timed])
            if let itt = lookup(Key("outcomes", window, modality, instrument, site, "itt_n")) { atMost([timed], [itt]) }
            difference(Key(prefix + [point, "(not scored)"]), timed, minus: [cells["n"]!])
            difference(Key(prefix + [point, "(non-responders)"]), cells["n"]!, minus: [cells["responders"]!])
            if let remitters = cells["remitters"] {
                difference(Key(prefix + [point, "(non-remitters)"]), cells["n"]!, minus: [remitters])
            }
            for (rateColumn, x) in [("response_rate", "responders"), ("remission_rate", "remitters")] {
                if let value = Double(record[rateColumn] ?? ""), let x = cells[x] { rate(x, cells["n"]!, value, halfWidth: 0.00005) }
            }
            let group = [window, modality, instrument, point]
            if site == "*" { groups[group, default: ([:], [])].total = cells } else { groups[group, default: ([:], [])].sites.append(cells) }
            lines[[modality, instrument, site, point], default: [:]][window] = cells
        }
        relate(groups: groups, lines: lines)
    }

    mutating func readRetention(_ text: String) {
        var groups: [[String]: (total: [String: Int], sites: [[String: Int]])] = [:]
        var lines: [[String]: [String: [String: Int]]] = [:]
        for record in Self.records(text) {
            let window = record["window"]!, modality = record["modality"]!, site = Self.site(record["site"]!)
            let prefix = ["retention", window, modality, site]
            observe(Key(prefix + ["evaluable"]), record["evaluable"]!)
            observe(Key(prefix + ["retained"]), record["retained"]!)
            let evaluable = variable(Key(prefix + ["evaluable"])), retained = variable(Key(prefix + ["retained"]))
            difference(Key(prefix + ["(not retained)"]), evaluable, minus: [retained])
            if let value = Double(record["retention_rate"] ?? "") { rate(retained, evaluable, value, halfWidth: 0.00005) }
            let cells = ["evaluable": evaluable, "retained": retained]
            if site == "*" { groups[[window, modality], default: ([:], [])].total = cells }
            else { groups[[window, modality], default: ([:], [])].sites.append(cells) }
            lines[[modality, site], default: [:]][window] = cells
        }
        relate(groups: groups, lines: lines)
    }

    mutating func readRejects(_ text: String) {
        for record in Self.records(text) where record["rejected"] != nil {
            observe(Key("rejects", record["reason"]!), record["rejected"]!)
        }
    }
}

// MARK: Reading the Markdown

extension ReportAttacker {
    /// A Markdown table and the headings above it.
    struct Table {
        let section: String
        let subsection: String
        let header: [String]
        let rows: [[String]]
    }

    static func tables(_ markdown: String) -> [Table] {
        var tables: [Table] = [], section = "", subsection = "", lines: [[String]] = []
        func flush() {
            if lines.count >= 2 { tables.append(Table(section: section, subsection: subsection, header: lines[0], rows: Array(lines.dropFirst(2)))) }
            lines = []
        }
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if line.hasPrefix("|") {
                var cells: [String] = [], cell = "", escaped = false
                for character in line.dropFirst() {
                    if escaped { cell.append(character); escaped = false }
                    else if character == "\\" { escaped = true }
                    else if character == "|" { cells.append(cell.trimmingCharacters(in: .whitespaces)); cell = "" }
                    else { cell.append(character) }
                }
                lines.append(cells)
                continue
            }
            flush()
            if line.hasPrefix("## ") { section = String(line.dropFirst(3)); subsection = "" }
            else if line.hasPrefix("### ") { subsection = String(line.dropFirst(4)) }
        }
        flush()
        return tables
    }

    func modalityID(named name: String) -> String? { catalog.modalities.first { $0.name == name }?.id }
    func instrumentID(named name: String) -> String? { catalog.instruments.first { $0.name == name }?.id }

    /// "12", "&lt;11", "x", "**12**" → the count text; "3 (12 %)" → "3".
    static func countText(_ cell: String) -> String {
        var text = cell.replacingOccurrences(of: "**", with: "").replacingOccurrences(of: "&lt;", with: "<")
        if let open = text.firstIndex(of: "(") { text = String(text[..<open]) }
        return text.trimmingCharacters(in: .whitespaces.union(CharacterSet(charactersIn: "\u{00A0}")))
    }

    /// The percentage a cell starts with ("47 % (35–60 %)" → 0.47), if any.
    static func percent(_ cell: String) -> Double? {
        let digits = cell.prefix { $0.isNumber }
        guard !digits.isEmpty, cell.dropFirst(digits.count).trimmingCharacters(in: CharacterSet(charactersIn: " \u{00A0}")).hasPrefix("%"),
              let value = Double(digits) else { return nil }
        return value / 100
    }

    /// The share in brackets after a count ("3 (12 %)" → 0.12).
    static func share(_ cell: String) -> Double? {
        guard let open = cell.firstIndex(of: "(") else { return nil }
        return percent(String(cell[cell.index(after: open)...]))
    }

    mutating func observeLinked(_ key: Key, _ cell: String) {
        let text = Self.countText(cell)
        guard !text.isEmpty, text != "–", text != "n/a" else { return }
        observe(key, text)
    }

    mutating func readMarkdown(_ markdown: String, month: YearMonth) {
        if let range = markdown.range(of: #"The store holds (\d+) closed course"#, options: .regularExpression) {
            let number = markdown[range].split(separator: " ")[3]
            let total = variable(Key("markdown", "closed courses"))
            observe(Key("markdown", "closed courses"), String(number))
            let parts = catalog.modalities.compactMap { lookup(Key("outcomes", "all", $0.id, "*scales*", "*", "courses")) }
            equal([total], parts)
        }
        for table in Self.tables(markdown) {
            switch (table.section, table.header.first ?? "") {
            case ("Trend", "Month"): readTrend(table, month: month, smoothing: 1)
            case ("Trend", let first) where first.hasSuffix(" months to"):
                readTrend(table, month: month, smoothing: Int(first.prefix { $0.isNumber }) ?? 1)
            case ("Safety", "Modality") where table.header.contains("Newly positive"): readItemNine(table)
            case ("Safety", "Modality"): readDeterioration(table)
            case ("Measurement quality", "Modality"): readQuality(table)
            case ("Measurement quality", "Reason"):
                for row in table.rows { observeLinked(Key("rejects", row[0].replacingOccurrences(of: "`", with: "")), row[1]) }
            case ("Results by modality", "Scale"): readModalityTable(table)
            case ("Sites", "Site"): readSites(table)
            case ("Retention", "Window"): readRetentionTable(table)
            case ("Rapid response after the first dose", "Scale"): readRapidResponse(table)
            default: break
            }
        }
        readRejectTotals(markdown)
    }

    /// The trend table: each cell a rate and its evaluable courses, for a
    /// month or (with `smoothing` 3) the sum of a month and the two before.
    /// Months are variables (the report month is the `month` row); the
    /// months of the last 12 add up to the 12-month row.
    mutating func readTrend(_ table: Table, month: YearMonth, smoothing: Int) {
        let first12 = month.adding(months: -11)
        for (column, title) in table.header.enumerated().dropFirst() {
            guard let open = title.lastIndex(of: "("), let modality = modalityID(named: String(title[..<open]).trimmingCharacters(in: .whitespaces)),
                  let scale = instrumentID(named: String(title[title.index(after: open)...].dropLast())) else { continue }
            func monthCells(_ rowMonth: YearMonth) -> (Int, Int) {
                if rowMonth == month, let e = lookup(Key("outcomes", "month", modality, scale, "*", "evaluable_n")),
                   let r = lookup(Key("outcomes", "month", modality, scale, "*", "responders")) {
                    return (e, r)
                }
                let e = variable(Key("trend", rowMonth.description, modality, "evaluable"))
                let r = variable(Key("trend", rowMonth.description, modality, "responders"))
                return (e, r)
            }
            var seen: Set<YearMonth> = []
            var inWindow: [(Int, Int)] = []
            for row in table.rows {
                guard let rowMonth = YearMonth(row[0]) else { continue }
                let months = (0..<smoothing).map { rowMonth.adding(months: -$0) }
                for each in months where seen.insert(each).inserted {
                    let (e, r) = monthCells(each)
                    atMost([r], [e])
                    difference(Key("trend", each.description, modality, "(non-responders)"), e, minus: [r])
                    if each >= first12 && each <= month { inWindow.append((e, r)) }
                }
                let evaluable: Int, responders: Int
                if smoothing == 1 {
                    (evaluable, responders) = monthCells(rowMonth)
                } else {
                    evaluable = variable(Key("trend", row[0], modality, "\(smoothing) months evaluable"))
                    responders = variable(Key("trend", row[0], modality, "\(smoothing) months responders"))
                    equal([evaluable], months.map { monthCells($0).0 })
                    equal([responders], months.map { monthCells($0).1 })
                }
                let cell = row[column]
                if cell == "–" {
                    observe(keys[evaluable], "0")
                } else if let open = cell.firstIndex(of: "(") {
                    observe(keys[evaluable], String(cell[cell.index(after: open)...].dropLast()).replacingOccurrences(of: "&lt;", with: "<"))
                    if let value = Self.percent(cell) { rate(responders, evaluable, value, halfWidth: 0.005001) }
                }
            }
            if inWindow.count == 12, let e = lookup(Key("outcomes", "12m", modality, scale, "*", "evaluable_n")),
               let r = lookup(Key("outcomes", "12m", modality, scale, "*", "responders")) {
                equal([e], inWindow.map(\.0))
                equal([r], inWindow.map(\.1))
            }
        }
    }

    mutating func readItemNine(_ table: Table) {
        let columns = ["recorded", "positive", "resolved", "still positive", "unknown", "newly positive"]
        var perColumn: [[Int]] = Array(repeating: [], count: columns.count)
        var totals: [Int] = []
        for row in table.rows {
            let name = row[0].replacingOccurrences(of: "**", with: "")
            let modality = name == "All" ? "All" : (modalityID(named: name) ?? name)
            let cells = columns.indices.map { index -> Int in
                let key = Key("item 9", modality, columns[index])
                observeLinked(key, row[index + 1])
                return variable(key)
            }
            equal([cells[1]], [cells[2], cells[3], cells[4]])
            difference(Key("item 9", modality, "(negative at baseline)"), cells[0], minus: [cells[1]])
            atMost([cells[5]], [variable(Key("item 9", modality, "(negative at baseline)"))])
            if modality == "All" { totals = cells } else {
                for index in cells.indices { perColumn[index].append(cells[index]) }
                if let bt = lookup(Key("outcomes", "12m", modality, "phq9", "*", "below_threshold")),
                   let itt = lookup(Key("outcomes", "12m", modality, "phq9", "*", "itt_n")) {
                    atMost([cells[0]], [bt, itt])
                }
            }
        }
        if !totals.isEmpty { for index in totals.indices { equal([totals[index]], perColumn[index]) } }
    }

    mutating func readDeterioration(_ table: Table) {
        for row in table.rows {
            guard let modality = modalityID(named: row[0]), let scale = instrumentID(named: row[1]) else { continue }
            observeLinked(Key("outcomes", "12m", modality, scale, "*", "evaluable_n"), row[2])
            observeLinked(Key("outcomes", "12m", modality, scale, "*", "improved"), row[3])
            observeLinked(Key("outcomes", "12m", modality, scale, "*", "deteriorated"), row[4])
        }
    }

    mutating func readQuality(_ table: Table) {
        for row in table.rows {
            guard let modality = modalityID(named: row[0]), let scale = instrumentID(named: row[1]) else { continue }
            let key = { (column: String) in Key("outcomes", "12m", modality, scale, "*", column) }
            let courses = Key("outcomes", "12m", modality, "*scales*", "*", "courses")
            observeLinked(courses, row[2])
            observeLinked(key("no_baseline"), row[3])
            observeLinked(key("below_threshold"), row[4])
            observeLinked(key("itt_n"), row[5])
            observeLinked(key("(no follow-up)"), row[6])
            if let share = Self.share(row[3]) { rate(variable(key("no_baseline")), variable(courses), share, halfWidth: 0.005001) }
            if let share = Self.share(row[6]) { rate(variable(key("(no follow-up)")), variable(key("itt_n")), share, halfWidth: 0.005001) }
        }
    }

    mutating func readModalityTable(_ table: Table) {
        guard let modality = modalityID(named: table.subsection) else { return }
        for row in table.rows {
            guard let scale = instrumentID(named: row[0]) else { continue }
            let key = { (column: String) in Key("outcomes", "12m", modality, scale, "*", column) }
            func rateCell(_ cell: String, _ x: String, _ n: String) {
                if let value = Self.percent(cell), let xv = lookup(key(x)), let nv = lookup(key(n)) { rate(xv, nv, value, halfWidth: 0.005001) }
            }
            if table.header.contains("Evaluable") {
                observeLinked(key("evaluable_n"), row[1])
                rateCell(row[2], "responders", "evaluable_n")
                rateCell(row[3], "remitters", "evaluable_n")
                rateCell(row[4], "recovered", "evaluable_n")
                observeLinked(key("completers_n"), row[5])
                rateCell(row[6], "completer_responders", "completers_n")
            } else {
                observeLinked(Key("outcomes", "12m", modality, "*scales*", "*", "courses"), row[1])
                observeLinked(key("no_baseline"), row[2])
                observeLinked(key("below_threshold"), row[3])
                observeLinked(key("itt_n"), row[4])
                rateCell(row[5], "responders", "itt_n")
                let better = row[6].components(separatedBy: " / ")
                if better.count == 2 {
                    observeLinked(key("improved"), better[0])
                    observeLinked(key("deteriorated"), better[1])
                }
                observeLinked(key("early_responders"), row[7])
            }
        }
    }

    mutating func readSites(_ table: Table) {
        guard let open = table.subsection.lastIndex(of: "("),
              let modality = modalityID(named: String(table.subsection[..<open]).trimmingCharacters(in: .whitespaces)),
              let scale = instrumentID(named: String(table.subsection[table.subsection.index(after: open)...].dropLast())) else { return }
        for row in table.rows {
            let site = row[0] == "**All sites**" ? "*" : row[0]
            let key = { (column: String) in Key("outcomes", "12m", modality, scale, site, column) }
            observeLinked(Key("outcomes", "12m", modality, "*scales*", site, "courses"), row[1])
            observeLinked(key("itt_n"), row[2])
            observeLinked(key("evaluable_n"), row[3])
            observeLinked(key("completers_n"), row[6])
            if let value = Self.percent(row[4]), let x = lookup(key("responders")), let n = lookup(key("evaluable_n")) {
                rate(x, n, value, halfWidth: 0.005001)
            }
        }
    }

    mutating func readRetentionTable(_ table: Table) {
        guard let modality = modalityID(named: table.subsection) else { return }
        let windows = ["This month": "month", "Last 12 months": "12m", "All time": "all"]
        for row in table.rows {
            guard let window = windows[row[0]] else { continue }
            let site = row[1] == "All sites" ? "*" : row[1]
            observeLinked(Key("retention", window, modality, site, "evaluable"), row[2])
            observeLinked(Key("retention", window, modality, site, "retained"), row[3])
        }
    }

    mutating func readRapidResponse(_ table: Table) {
        guard let modality = modalityID(named: table.subsection) else { return }
        for row in table.rows {
            guard let scale = instrumentID(named: row[0]) else { continue }
            let point = String(row[1].prefix { $0 != " " })
            let parts = row[2].components(separatedBy: " of ")
            guard parts.count == 2 else { continue }
            observeLinked(Key("timepoints", "12m", modality, scale, "*", point, "n"), parts[0])
            observeLinked(Key("timepoints", "12m", modality, scale, "*", "itt_timed"), parts[1])
        }
    }

    /// "…: 14,460 records, 14,320 loaded, 15 exact duplicates, 125 rejected" and the reasons add up.
    mutating func readRejectTotals(_ markdown: String) {
        guard let range = markdown.range(of: #"\): [^ ]+ records, [^ ]+ loaded, [^ ]+ exact duplicates, [^ ]+ rejected"#,
                                         options: .regularExpression) else { return }
        let words = markdown[range].dropFirst(3).split(separator: " ").map(String.init)
        observe(Key("rejects", "(records)"), words[0].replacingOccurrences(of: "&lt;", with: "<"))
        observe(Key("rejects", "(loaded)"), words[2].replacingOccurrences(of: "&lt;", with: "<"))
        observe(Key("rejects", "(duplicates)"), words[4].replacingOccurrences(of: "&lt;", with: "<"))
        observe(Key("rejects", "(rejected)"), words[7].replacingOccurrences(of: "&lt;", with: "<"))
        let reasons = RejectReason.allCases.compactMap { lookup(Key("rejects", $0.rawValue)) }
        equal([variable(Key("rejects", "(rejected)"))], reasons)
        equal([variable(Key("rejects", "(records)"))], [variable(Key("rejects", "(loaded)")), variable(Key("rejects", "(duplicates)")),
                                                         variable(Key("rejects", "(rejected)"))])
    }
}
