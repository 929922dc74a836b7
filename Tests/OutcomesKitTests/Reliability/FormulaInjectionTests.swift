import Foundation
import Testing
@testable import OutcomesKit

/// DATA-CONTRACT §8: no CSV the tool writes lets a spreadsheet run a formula, and no
/// text value breaks a Markdown table.
@Suite struct FormulaInjectionTests {
    static let hostileSites = ["=HYPERLINK(\"http://evil.example\",\"click\")", "+1+1", "-2+3", "@SUM(A1)", "\rcarriage", "A|B", "x\ny"]

    func quotedCSV(_ value: String) -> String { "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }

    @Test func everyCSVGuardsTextAndMarkdownTablesStayWhole() throws {
        let folder = TemporaryFolder()
        var sessions = "patient_id,session_date,modality,site\n"
        for (index, site) in Self.hostileSites.enumerated() {
            for week in 0..<30 { sessions += "P\(index),\(Day(iso: "2026-01-05")! + 7 * week),ort,\(quotedCSV(site))\n" }
        }
        // P8 has a session in the report month, so the month holds data (a run refuses an empty month).
        folder.write("exports/=evil.csv", sessions + "P9,2026-02-30,ort,North\nP8,2026-10-15,ort,North\n")
        // A baseline and an endpoint, so that outcomes.csv holds a negative mean change (a number, not a formula).
        folder.write("exports/scores.csv", "patient_id,assessment_date,instrument,score\nP0,2026-01-05,phq9,15\nP0,2026-02-01,phq9,5\nP0,2026-13-01,phq9,3\n")
        let pipeline = folder.write("p.yaml", "store: store.sqlite\ninputs: [exports/*.csv]\nreports: reports\n")
        let run = try CommandLineTool.run(["run", pipeline, "--month", "2026-10", "--quiet"])
        #expect(run.status == 0, "\(run.stderr)")
        let report = folder.file("reports/2026-10")

        var negativeNumbers = 0
        for file in ["outcomes.csv", "retention.csv", "rejects.csv"] {
            let text = try String(contentsOfFile: "\(report)/\(file)", encoding: .utf8)
            for field in CSVFields.parse(text).flatMap({ $0 }) {
                // A number may be negative; text may not start like a formula.
                if field.hasPrefix("-"), Double(field) != nil {
                    negativeNumbers += 1
                    continue
                }
                #expect(!["=", "+", "-", "@", "\t", "\r"].contains(field.first.map(String.init) ?? ""), "\(file): \(field)")
            }
        }
        #expect(negativeNumbers > 0, "the fixture must hold a negative mean, so the guard is seen to spare numbers")
        let outcomes = try String(contentsOfFile: "\(report)/outcomes.csv", encoding: .utf8)
        #expect(outcomes.contains(quotedCSV("'=HYPERLINK(\"http://evil.example\",\"click\")")))
        #expect(outcomes.contains(",'+1+1,") && outcomes.contains(",'-2+3,") && outcomes.contains(",'@SUM(A1),"))
        let rejects = try String(contentsOfFile: "\(report)/rejects.csv", encoding: .utf8)
        #expect(rejects.contains("'=evil.csv,"))
        let store = folder.file("store.sqlite")
        let query = try CommandLineTool.run(["query", "--db", store, "--month", "2026-10", "--by", "site", "--format", "csv"])
        #expect(query.stdout.contains(",'+1+1,"))
        let sql = try CommandLineTool.run(["sql", "--db", store, "--format", "csv", "SELECT name FROM sites ORDER BY name"])
        #expect(sql.stdout.contains("'+1+1") && !sql.stdout.contains("\n+1+1"))

        // Every row of every Markdown table has as many cells as its header.
        let markdown = try String(contentsOfFile: "\(report)/outcomes.md", encoding: .utf8)
        var columns: Int?
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            guard line.hasPrefix("|") else { columns = nil; continue }
            let cells = line.replacingOccurrences(of: "\\|", with: "").filter { $0 == "|" }.count
            if let columns { #expect(cells == columns, "a broken table row: \(line)") } else { columns = cells }
        }
        #expect(markdown.contains("A\\|B"))
    }
}

/// A minimal RFC 4180 reader for checking what the tool wrote.
enum CSVFields {
    static func parse(_ text: String) -> [[String]] {
        var records: [[String]] = [], fields: [String] = [], field = "", quoted = false
        var characters = Array(text.unicodeScalars)[...]
        while let character = characters.popFirst() {
            if quoted {
                if character == "\"" {
                    if characters.first == "\"" { field.unicodeScalars.append("\""); characters.removeFirst() } else { quoted = false }
                } else { field.unicodeScalars.append(character) }
            } else if character == "\"" { quoted = true }
            else if character == "," { fields.append(field); field = "" }
            else if character == "\n" { fields.append(field); records.append(fields); fields = []; field = "" }
            else { field.unicodeScalars.append(character) }
        }
        if !field.isEmpty || !fields.isEmpty { fields.append(field); records.append(fields) }
        return records
    }
}
