import Foundation

/// What a report is made of, besides the store's data.
public struct ReportSettings: Sendable {
    public var month: YearMonth
    public var catalog: Catalog
    public var options: ReportOptions
    /// The pipeline the report comes from, for the manifest; nil for `outcomes report`.
    public var pipeline: Manifest.Pipeline?
    /// Off only in tests: primary suppression alone, to show what it leaks.
    var complementarySuppression = true
    /// The month has not ended (`--allow-partial`): every page says so.
    public var partialMonth = false

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
        let policy = SmallCellPolicy(minCell: settings.options.minCell)
        let rejects = input.rejects, schemaVersion = input.schemaVersion
        let (content, result) = try self.content(input, settings: settings)
        let rejectCounts = content.rejectCounts
        let disclosure = Disclosure.plan(content, complementary: settings.complementarySuppression)
        let shown = content.result
        var report = ReportFiles(files: [
            ("outcomes.csv", OutcomeFiles.outcomesCSV(shown.outcomeRows, catalog: catalog, disclosure: disclosure)),
            ("retention.csv", OutcomeFiles.retentionCSV(shown.retentionRows, catalog: catalog, disclosure: disclosure)),
            ("timepoints.csv", OutcomeFiles.timePointsCSV(shown.timePointRows, catalog: catalog, disclosure: disclosure)),
            ("survival.csv", FieldFiles.survivalCSV(content.views, rows: shown.outcomeRows, catalog: catalog, disclosure: disclosure)),
            ("dropout.csv", FieldFiles.dropoutCSV(content.views, catalog: catalog, disclosure: disclosure)),
            ("by_sessions.csv", FieldFiles.bySessionsCSV(content.views, catalog: catalog, disclosure: disclosure)),
            ("rejects.csv", policy.isOn ? RejectFile.summaryCSV(rejectCounts, disclosure: disclosure) : RejectFile.csv(rejects)),
        ] + DirectorReport.render(content, disclosure: disclosure))
        let manifest = Manifest(
            tool: .init(name: ToolInfo.name, version: ToolInfo.version),
            month: month.description, cut: result.cut.description, pipeline: settings.pipeline,
            catalogSHA256: Digest.sha256(Manifest.catalogDescription(catalog)),
            smallCellMinimum: policy.minCell, partialMonth: settings.partialMonth ? true : nil,
            inputs: content.files.map { file in
                Manifest.Input(name: file.name, sha256: file.sha256, kind: file.kind.rawValue, bytes: file.bytes,
                               records: policy.isOn ? nil : file.records, loaded: policy.isOn ? nil : file.loaded,
                               duplicates: policy.isOn ? nil : file.duplicates, rejected: policy.isOn ? nil : file.rejected)
            },
            store: .init(fingerprint: Manifest.storeFingerprint(of: content.files, schema: schemaVersion, includingCounts: !policy.isOn),
                         schema: schemaVersion),
            files: report.files.map { Manifest.OutputFile(name: $0.name, sha256: Digest.sha256($0.contents)) })
        report.files.append(("manifest.json", try manifest.json()))
        return BuiltReport(result: result, files: report)
    }

    /// What a month's report shows, computed and not yet formatted: the
    /// engine's result (without site rows when the report has none), the
    /// trend, the files and rejects. A query under a pipeline plans its
    /// disclosure from the same content, so it shows what the report shows.
    /// Also returns the full result (site rows included).
    public static func content(_ input: consuming ReportInput, settings: ReportSettings) throws -> (ReportContent, OutcomeResult) {
        let month = settings.month
        let catalog = settings.catalog
        guard ReportOptions.trendMonthsRange.contains(settings.options.trendMonths) else {
            throw ReportError.invalidOption("trend_months must be \(ReportOptions.trendMonthsRange.lowerBound)–\(ReportOptions.trendMonthsRange.upperBound), not \(settings.options.trendMonths)")
        }
        // The trend: each earlier month's courses as the report's cut knows them,
        // so that the months add up to the 12-month and all-time rows; two more
        // months before the first, for a trailing three-month rate.
        let shown = settings.options.trendMonths
        let trendMonths = (0..<(shown + 2)).reversed().map { month.adding(months: -$0) }
        // Each course is folded into the month's tallies as it comes and then
        // dropped: the report never holds every course (issue 15).
        var fold = MonthFold(month: month, firstSessionDay: input.events.firstSessionDay ?? input.events.sessions.lazy.map(\.day).min(),
                             siteNames: input.events.siteNames, catalog: catalog, trendMonths: trendMonths)
        if let courses = input.courses {
            // The store's course results: kept records read back, the rest computed patient by patient.
            try courses { fold.add($0) }
        } else {
            // Patient by patient: the scores are read a chunk of patients at a
            // time, so they are never all in memory at once.
            let source = input.scoreSource
            input.events.scores = []
            try OutcomeEngine.foldByPatient(&input.events, scores: source.read, into: &fold)
        }
        let (result, views, trendRows) = fold.finish()
        // A query of this month then reads these rows, not the courses.
        try input.keepRows?(ReportRows(outcomeRows: result.outcomeRows, timePointRows: result.timePointRows))
        let monthly = zip(trendMonths, trendRows).map { (month: $0, rows: $1) }
        // A suppressed report keeps each month's own rate: overlapping
        // three-month totals would give the months away by subtraction.
        let smoothing = settings.options.minCell != nil ? 1 : settings.options.trendSmoothing
            ?? trendSmoothing(for: monthly.suffix(shown).map(\.rows), result: result, catalog: catalog)
        let trend = Array(monthly.suffix(shown + smoothing - 1))
        var perReason: [RejectReason: Int] = [:]
        for reject in input.rejects { perReason[reject.reason, default: 0] += 1 }
        let rejectCounts = RejectReason.allCases.map { (reason: $0, count: perReason[$0] ?? 0) }
        let content = ReportContent(title: settings.options.title, pipeline: settings.pipeline?.name, catalog: catalog,
                                    policy: SmallCellPolicy(minCell: settings.options.minCell),
                                    siteBreakdown: settings.options.siteBreakdown, maxSitesShown: settings.options.maxSitesShown,
                                    result: settings.options.siteBreakdown ? result : result.withoutSiteRows(),
                                    trend: trend, files: input.files, rejectCounts: rejectCounts,
                                    dataThrough: DataThrough(input), partialMonth: settings.partialMonth,
                                    trendSmoothing: smoothing, views: views)
        return (content, result)
    }

    /// A trailing three-month rate when most months of the trend hold fewer
    /// than 10 evaluable courses on a modality's main scale (of the months
    /// that hold any), else each month's own.
    static func trendSmoothing(for months: [[OutcomeRow]], result: OutcomeResult, catalog: Catalog) -> Int {
        var small = 0, holding = 0
        for modality in catalog.modalities.indices {
            let scale = result.mainScale(of: modality, catalog: catalog)
            for rows in months {
                let evaluable = rows.first { $0.modality == modality && $0.instrument == scale && $0.site == .allSites }?.evaluable ?? 0
                guard evaluable > 0 else { continue }
                holding += 1
                if evaluable < 10 { small += 1 }
            }
        }
        return holding > 0 && small * 2 > holding ? 3 : 1
    }
}
