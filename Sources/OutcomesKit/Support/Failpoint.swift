import Foundation

/// Fault injection for tests: when the environment variable
/// `OUTCOMES_FAILPOINT` names a point the process reaches (several points
/// separated by commas), the process kills itself there with SIGKILL,
/// exactly as `kill -9` would at the worst moment. Unset (always, in
/// production), it costs one comparison.
///
/// Points: `report.before-swap` (a report folder fully staged, not yet swapped
/// in), `report.mid-write` (half of a report's files staged),
/// `report.between-renames` (the old report moved aside, the new one not yet
/// in, on the path without an atomic exchange), `ingest.after-record:N` (the
/// batch holding record N of a file stored, its transaction still open).
/// One switch is not a kill: `report.no-exchange` makes the report swap take
/// the path a kernel without renameat2(RENAME_EXCHANGE) would.
public enum Failpoint {
    static let armed: Set<String> = Set((ProcessInfo.processInfo.environment["OUTCOMES_FAILPOINT"] ?? "")
        .split(separator: ",").map(String.init))

    /// Record number of an armed `ingest.after-record:N` point.
    static let ingestRecord: Int? = armed.lazy.compactMap { point in
        point.hasPrefix("ingest.after-record:") ? Int(point.dropFirst("ingest.after-record:".count)) : nil
    }.first

    /// Kills the process when `name` is armed.
    static func hit(_ name: String) {
        guard !armed.isEmpty, armed.contains(name) else { return }
        kill(getpid(), SIGKILL)
    }

    /// Whether a switch such as `report.no-exchange` is on.
    static func isOn(_ name: String) -> Bool { !armed.isEmpty && armed.contains(name) }
}
