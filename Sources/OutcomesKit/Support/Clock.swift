import Foundation

/// The time an ingest records in the store. `SOURCE_DATE_EPOCH` (seconds
/// since 1970, the reproducible-builds convention) fixes it, so that a worked
/// example rebuilt from the same exports is byte-identical, "last file
/// ingested" line included.
public enum IngestClock {
    public static func now() -> Date {
        if let text = ProcessInfo.processInfo.environment["SOURCE_DATE_EPOCH"], let seconds = Double(text) {
            return Date(timeIntervalSince1970: seconds)
        }
        return Date()
    }
}

extension Day {
    /// Today in the local calendar (the machine's time zone, as cron runs).
    public static func today(_ now: Date = Date(), calendar: Calendar = .current) -> Day {
        let parts = calendar.dateComponents([.year, .month, .day], from: now)
        return Day(year: parts.year!, month: parts.month!, day: parts.day!)!
    }
}
