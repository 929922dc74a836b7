/// What a report reads of a month's courses besides the three files' rows.
public struct CourseSummary: Hashable, Sendable {
    /// Courses closed by the cut (W ≤ C).
    public var closedCourses = 0
    /// Whether some course has a session dated in the month.
    public var sessionInMonth = false
    /// PHQ-9 item 9 across the closed courses judged in the 12-month window
    /// (`ItemNineFold`); empty without that window.
    public var itemNine: [ItemNineSummary] = []
    /// Endpoint − baseline of the evaluable courses judged in the 12-month
    /// window whose first session has a time, per modality with time points
    /// and scale: the rapid-response chart's endpoint.
    public var timedEndpointChanges: [Scale: ChangeTally] = [:]

    public struct Scale: Hashable, Sendable {
        public let modality: Int
        public let instrument: Int
    }

    /// Count, sum and sum of squares of changes (`MeanChange`'s inputs).
    public struct ChangeTally: Hashable, Sendable {
        public var n = 0, sum = 0, squares = 0

        mutating func add(_ change: Int) {
            n += 1
            sum += change
            squares += change * change
        }
    }

    public init(closedCourses: Int = 0, sessionInMonth: Bool = false, itemNine: [ItemNineSummary] = []) {
        self.closedCourses = closedCourses
        self.sessionInMonth = sessionInMonth
        self.itemNine = itemNine
    }
}

/// `CourseSummary` folded one course at a time.
struct CourseSummaryFold {
    private var summary = CourseSummary()
    private let month: ClosedRange<Day>
    private var itemNine: ItemNineFold?
    private let twelveMonths: ReportWindow?
    private let hasTimePoints: [Bool]

    init(month: YearMonth, windows: [ReportWindow], catalog: Catalog) {
        self.month = month.firstDay...month.lastDay
        twelveMonths = windows.first { $0.kind == .twelveMonths }
        itemNine = twelveMonths.map { ItemNineFold(window: $0, catalog: catalog) }
        hasTimePoints = catalog.modalities.map { !$0.timePoints.isEmpty }
    }

    mutating func add(_ evaluated: EvaluatedCourse) {
        if evaluated.isClosed { summary.closedCourses += 1 }
        let course = evaluated.course
        if !summary.sessionInMonth, course.start <= month.upperBound, course.end >= month.lowerBound,
           course.sessionDays.contains(where: month.contains) {
            summary.sessionInMonth = true
        }
        itemNine?.add(evaluated)
        if evaluated.isClosed, course.startIsTimed, hasTimePoints[course.modality],
           twelveMonths?.contains(course.windowEnd) == true {
            for outcome in evaluated.outcomes where outcome.status.isEvaluable {
                guard let baseline = outcome.baseline, let endpoint = outcome.endpoint else { continue }
                let change = Int(endpoint.score) - Int(baseline.score)
                summary.timedEndpointChanges[CourseSummary.Scale(modality: course.modality, instrument: outcome.instrument), default: .init()]
                    .add(change)
            }
        }
    }

    var result: CourseSummary {
        var summary = summary
        summary.itemNine = itemNine?.summaries ?? []
        return summary
    }
}

/// The three files' rows and the summary of a month, folded one course at a
/// time: what `OutcomeEngine.assemble` makes of a list of courses and
/// `MonthFold` of a stream of them.
struct ResultFold {
    let month: YearMonth
    let cut: Day
    let windows: [ReportWindow]
    private var outcomes: OutcomeRowsFold
    private var retention: RetentionRowsFold
    private var timePoints: TimePointRowsFold
    private var summary: CourseSummaryFold

    init(month: YearMonth, cut: Day, windows: [ReportWindow], catalog: Catalog, siteRows: Bool) {
        self.month = month
        self.cut = cut
        self.windows = windows
        outcomes = OutcomeRowsFold(windows: windows, catalog: catalog, siteRows: siteRows)
        retention = RetentionRowsFold(windows: windows, cut: cut, catalog: catalog, siteRows: siteRows)
        timePoints = TimePointRowsFold(windows: windows, catalog: catalog, siteRows: siteRows)
        summary = CourseSummaryFold(month: month, windows: windows, catalog: catalog)
    }

    mutating func add(_ evaluated: EvaluatedCourse) {
        outcomes.add(evaluated)
        retention.add(evaluated)
        timePoints.add(evaluated)
        summary.add(evaluated)
    }

    /// The result, holding `courses` (none when they were streamed).
    func result(courses: [EvaluatedCourse] = [], siteNames: [String], siteRank: [Int]) -> OutcomeResult {
        OutcomeResult(month: month, cut: cut, windows: windows, courses: courses,
                      outcomeRows: outcomes.rows(siteNames: siteNames, siteRank: siteRank),
                      retentionRows: retention.rows(siteNames: siteNames, siteRank: siteRank),
                      timePointRows: timePoints.rows(siteNames: siteNames, siteRank: siteRank),
                      summary: summary.result)
    }
}

/// A month's report from its courses, added one at a time in any order:
/// the three files' rows, the field views, the trend's monthly rows and the
/// summary, kept as tallies (a few per cell), never as the list of courses.
/// So a report's memory does not grow with the store (issue 15). The result
/// holds no courses (`OutcomeResult.courses` is empty).
public struct MonthFold {
    public let month: YearMonth
    public let cut: Day
    let windows: [ReportWindow]
    let trendWindows: [ReportWindow]
    public let catalog: Catalog
    let siteNames: [String]
    private var rows: ResultFold
    private var trend: OutcomeRowsFold
    private var views: FieldViewsFold

    /// `trendMonths`: the months (at or before `month`) whose own window's
    /// all-sites rows the trend shows, judged as of `month`'s cut.
    public init(month: YearMonth, firstSessionDay: Day?, siteNames: [String], catalog: Catalog, trendMonths: [YearMonth] = []) {
        self.month = month
        cut = cutDate(of: month)
        windows = reportWindows(month: month, firstSessionDay: firstSessionDay)
        trendWindows = trendMonths.map { OutcomeEngine.monthWindow($0, asOf: cutDate(of: month)) }
        self.catalog = catalog
        self.siteNames = siteNames
        rows = ResultFold(month: month, cut: cut, windows: windows, catalog: catalog, siteRows: true)
        trend = OutcomeRowsFold(windows: trendWindows, catalog: catalog, siteRows: false)
        views = FieldViewsFold(windows: windows, catalog: catalog)
    }

    /// Adds one course as the month's cut sees it.
    public mutating func add(_ record: CourseRecord) {
        let evaluated = record.evaluated(asOf: cut)
        rows.add(evaluated)
        trend.add(evaluated)
        views.add(evaluated, times: record.scoreTimes(asOf: cut))
    }

    /// The month's result (without its courses), its field views, and the
    /// trend's rows (one list per trend month, in the order given).
    public func finish() -> (result: OutcomeResult, views: FieldViews, trend: [[OutcomeRow]]) {
        let result = rows.result(siteNames: siteNames, siteRank: OutcomeEngine.byteOrderRanks(of: siteNames))
        let mainScales = catalog.modalities.indices.map { result.mainScale(of: $0, catalog: catalog) }
        return (result, views.views(mainScales: mainScales),
                OutcomeEngine.rowsByWindow(trend.rows(siteNames: [], siteRank: []), windows: trendWindows))
    }
}
