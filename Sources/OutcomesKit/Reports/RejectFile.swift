/// `rejects.csv` (DATA-CONTRACT §10): every reject in the store, in the order
/// ingested. Columns `file, record, reason, detail`.
public enum RejectFile {
    public static let header = ["file", "record", "reason", "detail"]

    public static func csv(_ rejects: [StoredReject]) -> String {
        CSVFormat.line(header) + rejects.map { reject in
            CSVFormat.line([CSVFormat.text(reject.file), String(reject.record), reject.reason.rawValue, CSVFormat.text(reject.detail)])
        }.joined()
    }

    /// The public profile's `rejects.csv`: counts per reason only, small
    /// counts suppressed. Per-record details stay in the internal report.
    public static func summaryCSV(_ counts: [(reason: RejectReason, count: Int)], disclosure: Disclosure) -> String {
        CSVFormat.line(["reason", "rejected"]) + counts.enumerated().map { index, entry in
            CSVFormat.line([entry.reason.rawValue, disclosure.rejected(reason: index, count: entry.count).csv])
        }.joined()
    }
}
