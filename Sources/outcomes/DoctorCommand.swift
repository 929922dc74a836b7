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

            Example:
              outcomes doctor --db var/outcomes.sqlite
            """)

    @OptionGroup var store: StoreOptions

    func run() throws {
        let findings = StoreDoctor.examine(path: store.db)
        for finding in findings {
            print("\(finding.severity == .ok ? "ok     " : "PROBLEM") \(finding.check): \(TerminalText.safe(finding.detail))")
        }
        if findings.contains(where: { $0.severity == .problem }) { throw ExitStatus.storeError.exitCode }
    }
}
