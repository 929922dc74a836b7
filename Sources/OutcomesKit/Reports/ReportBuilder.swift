import Foundation

/// Results computed on several threads, each written once into its own slot.
private final class ResultSlots<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [Value?]

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func store(_ index: Int, _ value: Value) {
        lock.lock()
        slots[index] = value
        lock.unlock()
    }

    var values: [Value] { slots.map { $0! } }
}

/// What a report is made of, besides the store's data.
public struct ReportSettings: Sendable {
    public var month: YearMonth
    public var catalog: Catalog
    public var options: ReportOptions
    /// The pipeline the report comes from, for the manifest; nil for `outcomes report`.
    public var pipeline: Manifest.Pipeline?

    public init(month: YearMonth, catalog: Catalog = .standard, options: ReportOptions = ReportOptions(),
                pipeline: Manifest.Pipeline? = nil) {
        self.month = month
        self.catalog = catalog
        self.options = options
        self.pipeline = pipeline
    }
}

/// A report computed and formatted, not yet written.
public struct BuiltReport: Sendable {
    public let result: OutcomeResult
    public let files: ReportFiles
}

/// Builds a month's report from the store's data (a `ReportInput`, read once
/// by the store): compute, format. Nothing here reads the store or writes a
/// file, so the result can be compared in tests.
public enum ReportBuilder {
    /// The report for `settings.month`: `outcomes.csv`, `retention.csv`,
    /// `rejects.csv`, `outcomes.md`, its charts and `manifest.json`.
    ///
    /// The input is consumed: its events are let go once sorted, so a large
    /// store is not held twice while the report is computed.
    public static func build(_ input: consuming ReportInput, settings: ReportSettings) throws -> BuiltReport {
        let month = settings.month
        let catalog = settings.catalog
        guard ReportOptions.trendMonthsRange.contains(settings.options.trendMonths) else {
            throw ReportError.invalidOption("trend_months must be \(ReportOptions.trendMonthsRange.lowerBound)–\(ReportOptions.trendMonthsRange.upperBound), not \(settings.options.trendMonths)")
        }
        let policy = SmallCellPolicy(minCell: settings.options.minCell)
        let events = OutcomeEngine.prepare(input.events, catalog: catalog)
        input.events = OutcomeInput(sessions: [], scores: [], siteNames: [])
        // The month and its trend months are independent pure computations over
        // the same events: they run on all cores, each result in its own slot.
        // The trend keeps each earlier month's all-sites `month` rows only.
        let trendMonths = (0..<settings.options.trendMonths).reversed().map { month.adding(months: -$0) }
        let slots = ResultSlots<(result: OutcomeResult?, rows: [OutcomeRow])>(count: trendMonths.count)
        DispatchQueue.concurrentPerform(iterations: trendMonths.count) { index in
            let current = trendMonths[index]
            if current == month {
                let result = OutcomeEngine.compute(events, catalog: catalog, month: current)
                slots.store(index, (result, result.outcomeRows.filter { $0.window.kind == .month && $0.site == .allSites }))
            } else {
                let rows = OutcomeEngine.compute(events, catalog: catalog, month: current, only: [.month], siteRows: false).outcomeRows
                slots.store(index, (nil, rows))
            }
        }
        let computed = slots.values
        let result = computed[trendMonths.count - 1].result!
        let trend = zip(trendMonths, computed).map { trendMonth, entry in (month: trendMonth, rows: entry.rows) }
        var perReason: [RejectReason: Int] = [:]
        for reject in input.rejects { perReason[reject.reason, default: 0] += 1 }
        let rejectCounts = RejectReason.allCases.map { (reason: $0, count: perReason[$0] ?? 0) }
        let content = ReportContent(title: settings.options.title, pipeline: settings.pipeline?.name, catalog: catalog,
                                    policy: policy, siteBreakdown: settings.options.siteBreakdown,
                                    maxSitesShown: settings.options.maxSitesShown, result: result,
                                    trend: trend, files: input.files, rejectCounts: rejectCounts)

        let mask = policy.plan(result.outcomeRows)
        var report = ReportFiles(files: [
            ("outcomes.csv", OutcomeFiles.outcomesCSV(result.outcomeRows, catalog: catalog, mask: mask)),
            ("retention.csv", OutcomeFiles.retentionCSV(result.retentionRows, catalog: catalog, policy: policy)),
            ("timepoints.csv", OutcomeFiles.timePointsCSV(result.timePointRows, catalog: catalog, policy: policy)),
            ("rejects.csv", policy.isOn ? RejectFile.summaryCSV(rejectCounts, policy: policy) : RejectFile.csv(input.rejects)),
        ] + DirectorReport.render(content, mask: mask))
        let manifest = Manifest(
            tool: .init(name: ToolInfo.name, version: ToolInfo.version),
            month: month.description, cut: result.cut.description, pipeline: settings.pipeline,
            catalogSHA256: Digest.sha256(Manifest.catalogDescription(catalog)),
            smallCellMinimum: policy.minCell,
            inputs: input.files.map { file in
                Manifest.Input(name: file.name, sha256: file.sha256, kind: file.kind.rawValue, bytes: file.bytes,
                               records: policy.isOn ? nil : file.records, loaded: policy.isOn ? nil : file.loaded,
                               duplicates: policy.isOn ? nil : file.duplicates, rejected: policy.isOn ? nil : file.rejected)
            },
            store: .init(fingerprint: Manifest.storeFingerprint(of: input.files, schema: input.schemaVersion, includingCounts: !policy.isOn),
                         schema: input.schemaVersion),
            files: report.files.map { Manifest.OutputFile(name: $0.name, sha256: Digest.sha256($0.contents)) })
        report.files.append(("manifest.json", try manifest.json()))
        return BuiltReport(result: result, files: report)
    }
}
