/// Everything the clinical director's report shows, computed before any
/// text is written.
public struct ReportContent: Sendable {
    /// The months the trend shows (the last of `trend`, after any lead months).
    public var shownTrendMonths: Int { max(0, trend.count - (trendSmoothing - 1)) }

    public let title: String
    /// The pipeline the report came from, if any.
    public let pipeline: String?
    public let catalog: Catalog
    public let policy: SmallCellPolicy
    public let siteBreakdown: Bool
    /// Most sites a table lists.
    public let maxSitesShown: Int
    public let result: OutcomeResult
    /// Each trend month's `month`-window rows, oldest first, ending with the
    /// report month; with a trailing rate (`trendSmoothing` 3), the two months
    /// before the first month shown come first.
    public let trend: [(month: YearMonth, rows: [OutcomeRow])]
    /// 1: each month's own rate; 3: a trailing three months.
    public let trendSmoothing: Int
    public let files: [IngestedFile]
    /// Rejects in the store per reason, in the contract's order.
    public let rejectCounts: [(reason: RejectReason, count: Int)]
    /// The latest data stored and the last file ingested.
    public let dataThrough: DataThrough?
    /// The month had not ended when the report was made (`--allow-partial`).
    public let partialMonth: Bool
    /// Time to response, durability, dropout, outcomes by sessions and each
    /// course's change (`details.md` and its files).
    public let views: FieldViews

    public init(title: String, pipeline: String?, catalog: Catalog, policy: SmallCellPolicy, siteBreakdown: Bool,
                maxSitesShown: Int = 50, result: OutcomeResult, trend: [(month: YearMonth, rows: [OutcomeRow])],
                files: [IngestedFile], rejectCounts: [(reason: RejectReason, count: Int)], dataThrough: DataThrough? = nil,
                partialMonth: Bool = false, trendSmoothing: Int = 1, views: FieldViews = FieldViews()) {
        self.views = views
        self.trendSmoothing = trendSmoothing
        self.dataThrough = dataThrough
        self.partialMonth = partialMonth
        self.maxSitesShown = maxSitesShown
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
    public static let rapidResponseChart = "charts/rapid-response.svg"
    /// The chapter with a part per treatment (each starts a printed page).
    static let modalityChapter = "Results by modality"

    public static func markdown(_ content: ReportContent) -> String { markdown(ReportView(content)) }

    static func markdown(_ view: ReportView) -> String {
        let content = view.content
        var markdown = Markdown()
        markdown.raw("# \(Markdown.escape(content.title)): \(Markdown.monthName(content.result.month))"
                     + (content.partialMonth ? " (partial month)" : "") + "\n\n")
        view.introduction(into: &markdown)
        markdown.heading(2, "Headlines")
        view.headlines(into: &markdown)
        markdown.raw("\n![Response and remission by modality, last 12 months](\(responseChart))\n")
        markdown.heading(2, modalityChapter)
        view.modalityTables(into: &markdown)
        markdown.paragraph("How soon courses responded, how long responses lasted, where courses stopped and outcomes by "
                           + "sessions received are in [details.md](\(ReportView.detailsFile)), with a chart each.")
        markdown.heading(2, "Rapid response after the first dose")
        view.rapidResponseSection(into: &markdown)
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
    public static func charts(_ content: ReportContent) -> [(name: String, contents: String)] { charts(ReportView(content)) }

    static func charts(_ view: ReportView) -> [(name: String, contents: String)] {
        [(responseChart, view.responseChartSVG()), (trendChart, view.trendChartSVG()),
         (rapidResponseChart, view.rapidResponseChartSVG())]
    }

    /// The Markdown, its charts, and both as one HTML page, from one view of the content.
    public static func render(_ content: ReportContent, disclosure: Disclosure? = nil) -> [(name: String, contents: String)] {
        let view = ReportView(content, disclosure: disclosure)
        let text = markdown(view), charts = charts(view)
        let details = view.details(), detailsCharts = view.detailsCharts()
        return [("outcomes.md", text), ("outcomes.html", HTMLReport.page(markdown: text, charts: charts, partialMonth: content.partialMonth)),
                (ReportView.detailsFile, details),
                ("details.html", HTMLReport.page(markdown: details, charts: detailsCharts, partialMonth: content.partialMonth))]
            + charts + detailsCharts
    }
}

/// What every section reads: the content, its rows indexed by cell and
/// shown through one `Disclosure`, so that small-cell suppression applies to
/// every figure the same way.
struct ReportView {
    let content: ReportContent
    let disclosure: Disclosure
    let retention: [MaskedRetentionRow]
    let month: YearMonth
    /// Each modality's main scale (`OutcomeResult.mainScale`).
    let mainScales: [Int]
    /// Positions in `outcomeRows` of each (window, modality, instrument)'s rows, all sites first.
    private let cells: [Cell: [Int]]

    struct Cell: Hashable {
        let window: WindowKind
        let modality: Int
        let instrument: Int
    }

    init(_ content: ReportContent, disclosure: Disclosure? = nil) {
        self.content = content
        let disclosure = disclosure ?? Disclosure.plan(content)
        self.disclosure = disclosure
        retention = content.result.retentionRows.enumerated().map { disclosure.retention($1, at: $0) }
        month = content.result.month
        mainScales = content.catalog.modalities.indices.map { content.result.mainScale(of: $0, catalog: content.catalog) }
        var cells: [Cell: [Int]] = [:]
        for (index, row) in content.result.outcomeRows.enumerated() {
            cells[Cell(window: row.window.kind, modality: row.modality, instrument: row.instrument), default: []].append(index)
        }
        self.cells = cells
    }

    var catalog: Catalog { content.catalog }
    var policy: SmallCellPolicy { content.policy }

    /// The rows of one cell, masked: all sites first, then each site in byte order.
    func rows(_ kind: WindowKind, _ modality: Int, _ instrument: Int) -> [MaskedOutcomeRow] {
        (cells[Cell(window: kind, modality: modality, instrument: instrument)] ?? []).map {
            disclosure.outcome(content.result.outcomeRows[$0], at: $0)
        }
    }

    func row(_ kind: WindowKind, _ modality: Int, _ instrument: Int, site: SiteSelector = .allSites) -> MaskedOutcomeRow? {
        guard let indices = cells[Cell(window: kind, modality: modality, instrument: instrument)] else { return nil }
        let outcomeRows = content.result.outcomeRows
        return indices.first { outcomeRows[$0].site == site }.map { disclosure.outcome(outcomeRows[$0], at: $0) }
    }

    /// Every all-sites row of a window, in `outcomes.csv` order.
    func allSitesRows(_ kind: WindowKind) -> [MaskedOutcomeRow] { allSitesRowIndices(kind).map(outcomeRow(at:)) }

    /// Positions in `outcomes.csv` of a window's all-sites rows, in the file's order.
    func allSitesRowIndices(_ kind: WindowKind) -> [Int] {
        catalog.modalities.indices.flatMap { modality in
            catalog.instruments.indices.compactMap { instrument in
                cells[Cell(window: kind, modality: modality, instrument: instrument)]?.first {
                    content.result.outcomeRows[$0].site == .allSites
                }
            }
        }
    }

    /// An instrument's display name, escaped for Markdown.
    func instrumentName(_ index: Int) -> String { Markdown.escape(catalog.instruments[index].name) }

    /// A modality's display name, escaped for Markdown.
    func modalityName(_ index: Int) -> String { Markdown.escape(catalog.modalities[index].name) }

    func window(_ kind: WindowKind) -> ReportWindow { content.result.windows.first { $0.kind == kind }! }

    /// A count of rows or files (not people) with primary suppression, as Markdown.
    func count(_ value: Int) -> String { Markdown.count(policy.cell(value)) }

    /// Row `index` of `outcomes.csv`, as shown.
    func outcomeRow(at index: Int) -> MaskedOutcomeRow { disclosure.outcome(content.result.outcomeRows[index], at: index) }

    /// At most `maxSitesShown` site rows (the busiest, by `weight`), in their
    /// original order, and how many were left out; all-sites rows always stay.
    func limitingSites<Row>(_ rows: [Row], site: (Row) -> SiteSelector, weight: (Row) -> Int) -> (rows: [Row], omitted: Int) {
        let siteRows = rows.indices.filter { site(rows[$0]) != .allSites }
        guard siteRows.count > content.maxSitesShown else { return (rows, 0) }
        let kept = Set(siteRows.sorted { (-weight(rows[$0]), $0) < (-weight(rows[$1]), $1) }.prefix(content.maxSitesShown))
        return (rows.indices.filter { site(rows[$0]) == .allSites || kept.contains($0) }.map { rows[$0] },
                siteRows.count - content.maxSitesShown)
    }

    /// "…and 12 more sites, listed in outcomes.csv."
    static func omittedSites(_ count: Int, file: String) -> String {
        "\n…and \(count) more site\(count == 1 ? "" : "s") with fewer courses, listed in `\(file)`.\n"
    }

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
