/// What a report says about the data behind it: the latest session and
/// score stored, and the last file ingested (with the day it was ingested).
public struct DataThrough: Sendable, Equatable {
    public let latestSession: Day?
    public let latestScore: Day?
    public let lastFile: String?
    /// The day (UTC) the last file was ingested.
    public let lastFileIngested: String?

    public init(_ input: ReportInput) {
        latestSession = input.latestSessionDay
        latestScore = input.latestScoreDay
        lastFile = input.files.last?.name
        lastFileIngested = input.files.last.map { String($0.ingestedAt.prefix(10)) }
    }
}

/// Why a month's report is not written: the month has not ended, or there
/// is nothing new to report. The previous report stays as it was.
public enum FreshnessError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The month ends today or later (exit 2, unless `--allow-partial`).
    case monthNotEnded(YearMonth, today: Day)
    /// No session or score is dated in the month, and no course was judged in it (exit 8).
    case noDataInMonth(YearMonth, latestSession: Day?, latestScore: Day?)
    /// The pipeline's inputs match no file: a missing or unmounted folder (exit 8).
    case noInputFiles(patterns: [String])
    /// Nothing new was ingested since the last report, for a later month (exit 8).
    case noNewFiles(YearMonth, lastReport: YearMonth)

    public var description: String {
        switch self {
        case .monthNotEnded(let month, let today):
            return "\(month) has not ended (today is \(today)): its report would change as data arrive; "
                + "run it after \(month.lastDay), or pass --allow-partial for a report labelled \"partial month\""
        case .noDataInMonth(let month, let session, let score):
            return "no new data: no session or score is dated in \(month) and no course was judged in it (the latest "
                + "session stored is \(session?.description ?? "none"), the latest score \(score?.description ?? "none")); "
                + "report not written"
        case .noInputFiles(let patterns):
            return "no new data: the pipeline's inputs match no file (\(patterns.map(TerminalText.safe).joined(separator: ", "))); "
                + "is the export folder there and mounted? Report not written"
        case .noNewFiles(let month, let lastReport):
            return "no new data: no new export since the report for \(lastReport), so the report for \(month) was not written; "
                + "drop the month's exports into the input folder and run again"
        }
    }
}

/// The checks that keep a report from claiming more than its data hold.
public enum Freshness {
    /// A month's report is final only once the month has ended.
    public static func requireEnded(_ month: YearMonth, today: Day, allowPartial: Bool) throws(FreshnessError) {
        if !allowPartial, today <= month.lastDay { throw .monthNotEnded(month, today: today) }
    }

    /// A month's report needs something in the month: a session or score
    /// dated in it, or a course judged in it (a finished study reported the
    /// month its last courses close). A month before the data, or long after
    /// them, has neither.
    public static func requireData(in month: YearMonth, _ input: DataThrough, sessionsOrScoresInMonth: Bool,
                                   result: OutcomeResult) throws(FreshnessError) {
        let judged = result.outcomeRows.contains { $0.window.kind == .month }
            || result.retentionRows.contains { $0.window.kind == .month }
        if !sessionsOrScoresInMonth && !judged {
            throw .noDataInMonth(month, latestSession: input.latestSession, latestScore: input.latestScore)
        }
    }

    /// Whether any session (of the result's courses, which hold every
    /// session dated ≤ C of the catalogue's modalities) or score is dated in
    /// `month`, the result's month.
    public static func hasData(in month: YearMonth, result: OutcomeResult, scores: ScoreSource) throws -> Bool {
        precondition(month == result.month, "the result of another month")
        if result.summary.sessionInMonth { return true }
        return try scores.anyDated(month.firstDay...month.lastDay)
    }

    /// Whether the month ends after `today` or today: its report is partial.
    public static func isPartial(_ month: YearMonth, today: Day) -> Bool { today <= month.lastDay }
}
