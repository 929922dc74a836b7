import Foundation

/// Fault injection for tests: when the environment variable
/// `OUTCOMES_FAILPOINT` names a point the process reaches, the process kills
/// itself there with SIGKILL, exactly as `kill -9` would at the worst moment.
/// Unset (always, in production), it costs one comparison.
///
/// Points: `report.before-swap` (a report folder fully staged, not yet swapped
/// in), `report.mid-write` (half of a report's files staged),
/// `ingest.after-record:N` (the batch holding record N of a file stored, its
/// transaction still open).
public enum Failpoint {
    static let armed: String? = ProcessInfo.processInfo.environment["OUTCOMES_FAILPOINT"]

    /// Record number of an armed `ingest.after-record:N` point.
    static let ingestRecord: Int? = armed.flatMap { point in
        point.hasPrefix("ingest.after-record:") ? Int(point.dropFirst("ingest.after-record:".count)) : nil
    }

    static func hit(_ name: String) {
        guard let armed, armed == name else { return }
        kill(getpid(), SIGKILL)
    }
}
