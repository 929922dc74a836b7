import Foundation
import Logging

/// What a pipeline run did.
public struct RunOutcome: Sendable {
    public let month: YearMonth
    /// One per input file, in order.
    public let ingested: [FileIngestReport]
    /// Where the report went; nil when it was not written (a refused or held-back file).
    public let reportFolder: String?

    public var refused: [FileIngestReport] { ingested.filter(\.isRefused) }
    public var heldBack: [FileIngestReport] { ingested.filter(\.isHeldBack) }

    /// One line on what this run loaded and rejected, the rejects by reason
    /// (most frequent first), for a run at default verbosity; nil when no
    /// file was loaded.
    public var ingestSummaryLine: String? {
        var files = 0, rows = 0, rejected = 0, reasons: [RejectReason: Int] = [:]
        for report in ingested {
            guard case .loaded(let summary) = report.outcome else { continue }
            files += 1
            rows += summary.loaded
            rejected += summary.rejected
            for (reason, count) in summary.rejects { reasons[reason, default: 0] += count }
        }
        guard files > 0 else { return nil }
        let skipped = ingested.count - files - refused.count - heldBack.count
        var line = "ingested \(files) new file\(files == 1 ? "" : "s")"
        if skipped > 0 { line += " (\(skipped) seen before, skipped)" }
        line += ": \(rows) row\(rows == 1 ? "" : "s") loaded, \(rejected) rejected"
        if rejected > 0 {
            let ordered = reasons.sorted { ($0.value, $1.key.rawValue) > ($1.value, $0.key.rawValue) }
            line += " (" + ordered.map { "\($0.key.rawValue) \($0.value)" }.joined(separator: ", ") + "; every one in rejects.csv)"
        }
        return line
    }
}

/// `outcomes run PIPELINE`: the monthly job. Under one lock per store it
/// ingests the pipeline's new exports (seen ones are skipped by their
/// SHA-256), applies the data-quality gate, and replaces
/// `<reports>/<YYYY-MM>/` atomically with the month's report.
///
/// If any input is refused or held back by the gate, no report is written:
/// the previous one stays as it was, and the run says why.
public final class PipelineRunner {
    public let pipeline: PipelineDefinition
    private let logger: Logger
    /// Progress of each file being read.
    public var onProgress: ((IngestProgress) -> Void)?
    /// The time ingests record (fixed by tests and the worked example).
    public var clock: @Sendable () -> Date = IngestClock.now

    public init(pipeline: PipelineDefinition, logger: Logger = Logger(label: "outcomes.run")) {
        self.pipeline = pipeline
        self.logger = logger
    }

    /// The lock file guarding the pipeline's store.
    public var lockPath: String { pipeline.store + ".lock" }

    /// Runs the pipeline for `month`. Refuses a month that has not ended
    /// (unless `allowPartial`: the report then says "partial month"), and
    /// writes no report when there is nothing new: no input file at all, no
    /// new file since the last report (for a later month), or no session or
    /// score dated in the month. The previous report then stays as it was.
    public func run(month: YearMonth, allowPartial: Bool = false, today: Day = .today()) throws -> RunOutcome {
        try Freshness.requireEnded(month, today: today, allowPartial: allowPartial)
        // The group is checked before anything is written.
        let access = try pipeline.fileAccess()
        try access.createFolder(FilePath.folder(of: pipeline.store))
        let lock = try RunLock(path: lockPath, purpose: "outcomes run \(pipeline.path) --month \(month)", access: access)
        defer { withExtendedLifetime(lock) {} }
        ReportWriter.recoverInterruptedSwaps(in: pipeline.reportsRoot)

        let reports = try ingest(access: access, onProgress: onProgress)
        for file in [pipeline.store + "-wal", pipeline.store + "-shm"] where FileAccess.exists(file) {
            try access.secureFile(file)
        }
        let outcome = RunOutcome(month: month, ingested: reports, reportFolder: nil)
        guard outcome.refused.isEmpty, outcome.heldBack.isEmpty else {
            logger.error("report for \(month) not written: fix the files above and run again; the previous report is unchanged")
            return outcome
        }

        let folder = (pipeline.reportsRoot as NSString).appendingPathComponent(month.description)
        var settings = ReportSettings(month: month, catalog: pipeline.catalog, options: pipeline.report,
                                      pipeline: pipeline.manifestEntry)
        settings.partialMonth = Freshness.isPartial(month, today: today)
        // The report opens the store afresh, with a reader's page cache: the
        // ingest's 64 MiB one went with its connection (10M rows: a run peaked
        // at 339 MB when the report read through the ingest's connection, 273 MB so).
        let store = try OutcomeStore(path: pipeline.store, mode: .existing, access: access)
        store.clock = clock
        let input = try store.reportInput(catalog: pipeline.catalog, asOf: cutDate(of: month))
        // A later month's report needs a file the last report did not have (another
        // pipeline sharing the store may have ingested it).
        if !FileAccess.exists(folder), let last = ReportWriter.latestReportMonth(in: pipeline.reportsRoot), last < month,
           let used = ReportWriter.inputsOfReport(in: (pipeline.reportsRoot as NSString).appendingPathComponent(last.description)),
           input.files.allSatisfy({ used.contains($0.sha256) }) {
            throw FreshnessError.noNewFiles(month, lastReport: last)
        }
        let dataThrough = DataThrough(input), scores = input.scoreSource
        let sites = input.events.siteNames.count
        if sites > pipeline.report.maxSitesShown {
            logger.warning("the store holds \(sites) distinct site names; the report's tables list the \(pipeline.report.maxSitesShown) busiest (report.max_sites_shown), the CSVs all of them. Check the exports' site column.")
        }
        let built = try ReportBuilder.build(consume input, settings: settings)
        try Freshness.requireData(in: month, dataThrough, sessionsOrScoresInMonth: try Freshness.hasData(in: month, result: built.result, scores: scores),
                                   result: built.result)
        try ReportWriter.replaceFolder(folder, with: built.files, access: access)
        logger.info("report for \(month) written to \(folder)")
        return RunOutcome(month: month, ingested: reports, reportFolder: folder)
    }

    /// Ingests the pipeline's inputs through a store connection that ends with it.
    private func ingest(access: FileAccess, onProgress: ((IngestProgress) -> Void)?) throws -> [FileIngestReport] {
        let store = try OutcomeStore(path: pipeline.store, mode: .create, access: access)
        store.clock = clock
        let inputs = pipeline.mappedInputFiles()
        if inputs.isEmpty { throw FreshnessError.noInputFiles(patterns: pipeline.inputs + pipeline.sources.flatMap(\.files)) }
        logger.info("ingesting \(inputs.count) file\(inputs.count == 1 ? "" : "s") into \(pipeline.store)")
        let ingestor = Ingestor(store: store, catalog: pipeline.catalog)
        ingestor.maxRejectRate = pipeline.quality.maxRejectRate
        ingestor.onProgress = onProgress
        return try ingestor.ingest(inputs) { report in
            switch report.outcome {
            case .loaded: logger.info("\(report.line)")
            case .skipped: logger.debug("\(report.line)")
            case .refused, .heldBack: logger.error("\(report.line)")
            }
        }
    }

    /// The last complete month before `today` (local calendar): the default
    /// month of a run. Which month is chosen depends on the date; what the
    /// report holds does not.
    public static func lastCompleteMonth(today: Date = Date(), calendar: Calendar = .current) -> YearMonth {
        let parts = calendar.dateComponents([.year, .month], from: today)
        return YearMonth(year: parts.year!, month: parts.month!)!.adding(months: -1)
    }
}
