/// Everything the clinical director's report shows, computed before any
/// text is written.
public struct ReportContent: Sendable {
    public let title: String
    /// The pipeline the report came from, if any.
    public let pipeline: String?
    public let catalog: Catalog
    public let policy: SmallCellPolicy
    public let siteBreakdown: Bool
    public let result: OutcomeResult
    /// Each trend month's `month`-window rows, oldest first, ending with the report month.
    public let trend: [(month: YearMonth, rows: [OutcomeRow])]
    public let files: [IngestedFile]
    /// Rejects in the store per reason, in the contract's order.
    public let rejectCounts: [(reason: RejectReason, count: Int)]

    public init(title: String, pipeline: String?, catalog: Catalog, policy: SmallCellPolicy, siteBreakdown: Bool,
                result: OutcomeResult, trend: [(month: YearMonth, rows: [OutcomeRow])], files: [IngestedFile],
                rejectCounts: [(reason: RejectReason, count: Int)]) {
        self.title = title
        self.pipeline = pipeline
        self.catalog = catalog
        self.policy = policy
        self.siteBreakdown = siteBreakdown
        self.result = result
        self.trend = trend
        self.files = files
        self.rejectCounts = rejectCounts
    }
}

/// `outcomes.md`: the report a clinical director reads and may publish parts
/// of. Plain-language headlines first, then the tables behind them, safety,
/// measurement quality, and a Methods section generated from the catalogue
/// actually used, so that every number can be reproduced. Each section is
/// its own file (`*Section.swift`), over the `Markdown` builder.
public enum DirectorReport {
    /// Chart files, relative to the report folder.
    public static let responseChart = "charts/response-12m.svg"
    public static let trendChart = "charts/trend.svg"

    public static func markdown(_ content: ReportContent) -> String {
        let view = ReportView(content)
        var markdown = Markdown()
        markdown.raw("# \(Markdown.escape(content.title)): \(Markdown.monthName(content.result.month))\n\n")
        view.introduction(into: &markdown)
        markdown.heading(2, "Headlines")
        view.headlines(into: &markdown)
        markdown.raw("\n![Response and remission by modality, last 12 months](\(responseChart))\n")
        markdown.heading(2, "Results by modality")
        view.modalityTables(into: &markdown)
        if content.siteBreakdown {
            markdown.heading(2, "Sites")
            view.siteTables(into: &markdown)
        }
        markdown.heading(2, "Trend")
        view.trendSection(into: &markdown)
        markdown.heading(2, "Retention")
        view.retentionSection(into: &markdown)
        markdown.heading(2, "Safety")
        view.safetySection(into: &markdown)
        markdown.heading(2, "Measurement quality")
        view.qualitySection(into: &markdown)
        markdown.heading(2, "Methods")
        view.methodsSection(into: &markdown)
        return markdown.text
    }

    /// The SVG charts the Markdown refers to.
    public static func charts(_ content: ReportContent) -> [(name: String, contents: String)] {
        let view = ReportView(content)
        return [(responseChart, view.responseChartSVG()), (trendChart, view.trendChartSVG())]
    }
}

/// What every section reads: the content, with rows masked once so that
/// small-cell suppression applies to every figure the same way.
struct ReportView {
    let content: ReportContent
    let masked: [MaskedOutcomeRow]
    let retention: [MaskedRetentionRow]
    let month: YearMonth

    init(_ content: ReportContent) {
        self.content = content
        masked = content.policy.mask(content.result.outcomeRows)
        retention = content.policy.mask(content.result.retentionRows)
        month = content.result.month
    }

    var catalog: Catalog { content.catalog }
    var policy: SmallCellPolicy { content.policy }

    func row(_ kind: WindowKind, _ modality: Int, _ instrument: Int, site: SiteSelector = .allSites) -> MaskedOutcomeRow? {
        masked.first { $0.row.window.kind == kind && $0.row.modality == modality && $0.row.instrument == instrument && $0.row.site == site }
    }

    /// An instrument's display name, escaped for Markdown.
    func instrumentName(_ index: Int) -> String { Markdown.escape(catalog.instruments[index].name) }

    /// A modality's display name, escaped for Markdown.
    func modalityName(_ index: Int) -> String { Markdown.escape(catalog.modalities[index].name) }

    func window(_ kind: WindowKind) -> ReportWindow { content.result.windows.first { $0.kind == kind }! }

    /// A count with small-cell suppression, as Markdown.
    func count(_ value: Int) -> String { Markdown.count(policy.cell(value)) }

    static let windowLabels: [WindowKind: String] = [.month: "This month", .twelveMonths: "Last 12 months", .all: "All time"]

    /// How a scale defines a response, in words: "fell by at least 50 %"
    /// (short: "at least 50 %").
    func responseRule(_ instrument: Instrument, short: Bool = false) -> String {
        let lead = short ? "" : "fell by "
        switch instrument.response {
        case .percent(let percent):
            return instrument.floor == 0 ? "\(lead)at least \(percent) %"
                : "\(lead)at least \(percent) % of its range above \(instrument.floor)"
        case .points(let points): return "\(lead)at least \(points) points"
        }
    }
}
