import ArgumentParser
import OutcomesKit

/// `outcomes doctor`: is the store sound?
struct DoctorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check a store's integrity, identity, schema version, references and counts.",
        discussion: """
            Reads the store only. Exits 0 when every check passes, 4 when one fails,
            with one line per check.

            With --deep, also recomputes every course result the store keeps
            (for the catalogue of --pipeline, or the standard one) from the
            rows, and compares: each patient's span and records.

            Example:
              outcomes doctor --db var/outcomes.sqlite
              outcomes doctor --db var/outcomes.sqlite --deep --pipeline pipelines/monthly.yaml
            """)

    @OptionGroup var store: StoreOptions

    @Flag(help: "Recompute every kept course result, and every covered month's kept report rows, from the rows and compare.")
    var deep = false

    @OptionGroup var pipeline: PipelineOptions

    func run() throws {
        var findings = StoreDoctor.examine(path: store.db)
        if deep, !findings.contains(where: { $0.severity == .problem }) {
            try runReportingErrors {
                let catalog = try pipeline.definition()?.catalog ?? .standard
                let check = try OutcomeStore(path: store.db, mode: .readOnly).verifyCourseResults(catalog: catalog)
                let others = check.otherCatalogues > 0 ? "; \(check.otherCatalogues) kept under other catalogues, not checked" : ""
                findings.append(check.problems.isEmpty
                    ? DoctorFinding(severity: .ok, check: "course results",
                                    detail: "\(check.records) patient spans recomputed from the rows: all equal\(others)")
                    : DoctorFinding(severity: .problem, check: "course results",
                                    detail: "\(check.problems.count) of \(check.records) spans differ from the rows (delete the course_results and patient_results rows to rebuild them): " + check.problems.prefix(3).joined(separator: "; ")))
                let rows = try OutcomeStore(path: store.db, mode: .readOnly).verifyReportRows(catalog: catalog)
                findings.append(rows.problems.isEmpty
                    ? DoctorFinding(severity: .ok, check: "report rows",
                                    detail: "\(rows.cuts) covered month\(rows.cuts == 1 ? "" : "s"): kept rows recomputed from the rows, all equal")
                    : DoctorFinding(severity: .problem, check: "report rows",
                                    detail: "\(rows.problems.count) of \(rows.cuts) months differ (delete the result_coverage rows to rebuild them): " + rows.problems.prefix(3).joined(separator: "; ")))
            }
        }
        for finding in findings {
            print("\(finding.severity == .ok ? "ok     " : "PROBLEM") \(finding.check): \(TerminalText.safe(finding.detail))")
        }
        if findings.contains(where: { $0.severity == .problem }) { throw ExitStatus.storeError.exitCode }
    }
}
