/// Every count of people one report prints, in every file and sentence, as
/// cells of a `DisclosureLedger`, with the identities a reader knows between
/// them. Complementary suppression works on these cells, so that a count
/// withheld in one place cannot be worked out from another:
///
/// - within an `outcomes.csv` row: `courses = no_baseline + below_threshold
///   + itt_n`; `completer_responders = responders` (every responder finished
///   the series, by definition); the nested populations (evaluable ≤ ITT,
///   completers ≤ evaluable, …); and the groups beside each rate, which no
///   file prints but anyone can subtract (the non-responders, those without
///   a follow-up score);
/// - `courses` is the same number on every scale of a modality;
/// - the `*` row is the sum of the site rows, in every file;
/// - a month lies inside its 12 months, and those inside all time;
/// - the trend's months add up to the 12-month row;
/// - `timepoints.csv`: `itt_timed` is the same at every time point and at
///   most `itt_n`;
/// - the Markdown's totals (closed courses, item 9, rejected rows) are the
///   sums of what they total.
struct ReportFigures: Sendable {
    typealias Cell = DisclosureLedger.Cell

    var ledger = DisclosureLedger()
    /// `outcomes.csv` row → a cell per `OutcomeCountColumn` (nil: not applicable).
    var outcome: [[Cell?]] = []
    /// `outcomes.csv` row → ITT courses without a follow-up score (printed for all-sites 12-month rows).
    var noFollowup: [Cell] = []
    /// `retention.csv` row → evaluable, retained.
    var retention: [(evaluable: Cell, retained: Cell)] = []
    /// `timepoints.csv` row → itt_timed, n, responders, remitters.
    var timePoint: [(ittTimed: Cell, n: Cell, responders: Cell, remitters: Cell?)] = []
    /// Modality → each trend point's evaluable courses and responders on its
    /// main scale, oldest first (a month, or a trailing three months).
    var trend: [Int: [(evaluable: Cell, responders: Cell)]] = [:]
    /// Modality → its item-9 counts, in `ItemNineCount` order; and their totals.
    var itemNine: [Int: [Cell]] = [:]
    var itemNineTotal: [Cell] = []
    /// Rejected rows per reason (`RejectReason.allCases` order), their total,
    /// and the records, loaded rows and duplicates of every file.
    var rejects: [Cell] = []
    var rejectedTotal = 0, records = 0, loaded = 0, duplicates = 0
    /// Closed courses in the store (the introduction's count).
    var closedCourses = 0
    /// Modality → evaluable courses with a timed first session (the rapid-response chart's endpoint).
    var endpointTimed: [Int: Cell] = [:]
    /// `dropout.csv`: row (window, modality) → courses that reached session 1…n.
    var dropout: [[Cell]] = []
    /// `by_sessions.csv` row → evaluable, responders, remitters.
    var bySessions: [(evaluable: Cell, responders: Cell, remitters: Cell?)] = []

    /// The cells and identities of a report's content.
    init(_ content: ReportContent) {
        let result = content.result
        registerOutcomes(result.outcomeRows)
        registerTimePoints(result.timePointRows, outcomeRows: result.outcomeRows)
        registerRetention(result.retentionRows)
        registerTrend(content)
        registerItemNine(content)
        registerEndpointTimed(content)
        registerRejects(content)
        registerFieldViews(content)
        var perModality: [Int: Cell] = [:]
        for (index, row) in result.outcomeRows.enumerated() where row.window.kind == .all && row.site == .allSites {
            perModality[row.modality] = outcome[index][0]!  // the same cell on every scale
        }
        closedCourses = ledger.cell(result.summary.closedCourses, shown: true, total: true)
        ledger.sum(closedCourses, perModality.keys.sorted().map { perModality[$0]! })
    }

    // MARK: outcomes.csv

    struct RowKey: Hashable {
        let window: WindowKind
        let modality: Int
        let instrument: Int
        let site: SiteSelector
    }

    func outcomeKeys(_ rows: [OutcomeRow]) -> [RowKey: Int] {
        var keys: [RowKey: Int] = [:]
        for (index, row) in rows.enumerated() {
            keys[RowKey(window: row.window.kind, modality: row.modality, instrument: row.instrument, site: row.site)] = index
        }
        return keys
    }

    private mutating func registerOutcomes(_ rows: [OutcomeRow]) {
        struct CoursesKey: Hashable { let window: WindowKind, modality: Int, site: SiteSelector }
        var coursesCell: [CoursesKey: Cell] = [:]
        // Latent cells per row, in a fixed order, for the sums across sites and windows.
        var latent: [[Cell?]] = []
        for row in rows {
            let total = row.site == .allSites
            func shown(_ value: Int?, weight: UInt8 = 1) -> Cell? { value.map { ledger.cell($0, shown: true, total: total, weight: weight) } }
            let key = CoursesKey(window: row.window.kind, modality: row.modality, site: row.site)
            let courses = coursesCell[key] ?? ledger.cell(row.courses, shown: true, total: total)
            coursesCell[key] = courses
            let noBaseline = shown(row.noBaseline)!, belowThreshold = shown(row.belowThreshold)!
            // The headline rates rest on evaluable courses, responders and remitters.
            let itt = shown(row.intentionToTreat)!, evaluable = shown(row.evaluable, weight: 2)!, completers = shown(row.completers)!
            let responders = shown(row.responders, weight: 2)!
            let remitters = shown(row.remitters, weight: 2), recovered = shown(row.recovered)
            let completerRemitters = shown(row.completerRemitters)
            let improved = shown(row.improved), deteriorated = shown(row.deteriorated), early = shown(row.earlyResponders)!
            // completer_responders is responders (every responder finished the series): one cell.
            outcome.append([courses, noBaseline, belowThreshold, itt, evaluable, completers, responders, remitters, recovered,
                            responders, completerRemitters, improved, deteriorated, early])
            ledger.sum(courses, [noBaseline, belowThreshold, itt])
            let withoutFollowup = ledger.remainder(itt, minus: [evaluable], shown: row.window.kind == .twelveMonths && total)
            noFollowup.append(withoutFollowup)
            let notFinished = ledger.remainder(evaluable, minus: [completers])
            // Those with a baseline beside "no baseline (12 %)": its share is printed for all-sites 12-month rows only.
            let withBaseline = row.window.kind == .twelveMonths && total ? ledger.remainder(courses, minus: [noBaseline]) : nil
            var rest: [Cell?] = [withoutFollowup, notFinished, withBaseline]
            for population in [itt, evaluable, completers] { rest.append(ledger.remainder(population, minus: [responders])) }
            if let remitters, let completerRemitters {
                rest.append(ledger.remainder(itt, minus: [remitters]))
                rest.append(ledger.remainder(evaluable, minus: [remitters]))
                rest.append(ledger.remainder(completers, minus: [completerRemitters]))
                ledger.atMost([completerRemitters], [remitters])
                ledger.atMost([remitters], [completerRemitters, notFinished])
            } else {
                rest += [nil, nil, nil]
            }
            if let recovered, let remitters {
                rest.append(ledger.remainder(evaluable, minus: [recovered]))
                ledger.atMost([recovered], [remitters])
                if let improved { ledger.atMost([recovered], [improved]) }
            } else {
                rest.append(nil)
            }
            if let improved, let deteriorated { ledger.atMost([improved, deteriorated], [evaluable]) }
            ledger.atMost([early], [itt])
            latent.append(rest)
        }
        // Sums across sites and order across windows, column by column (latent ones too).
        let cells = zip(outcome, latent).map { $0 + $1 }
        relate(rows.indices.map { index in
            (group: [AnyHashable(rows[index].window.kind), rows[index].modality, rows[index].instrument],
             line: [AnyHashable(rows[index].modality), rows[index].instrument, rows[index].site],
             window: rows[index].window.kind, site: rows[index].site, cells: cells[index])
        })
    }

    /// For rows of one file: the all-sites row is the sum of its site rows,
    /// and month ≤ 12 months ≤ all time, for each column present in both.
    /// `group` says which rows share an all-sites row; `line` which rows are
    /// the same figure in the three windows.
    private mutating func relate(_ rows: [(group: [AnyHashable], line: [AnyHashable], window: WindowKind, site: SiteSelector, cells: [Cell?])]) {
        var groups: [[AnyHashable]: (total: Int?, sites: [Int])] = [:], groupOrder: [[AnyHashable]] = []
        var lines: [[AnyHashable]: [WindowKind: Int]] = [:], lineOrder: [[AnyHashable]] = []
        for (index, row) in rows.enumerated() {
            if groups[row.group] == nil { groupOrder.append(row.group) }
            if row.site == .allSites { groups[row.group, default: (nil, [])].total = index } else { groups[row.group, default: (nil, [])].sites.append(index) }
            if lines[row.line] == nil { lineOrder.append(row.line) }
            lines[row.line, default: [:]][row.window] = index
        }
        var related = Set<[Int]>()  // a shared cell (courses) is related once
        for key in groupOrder {
            guard let group = groups[key], let total = group.total, !group.sites.isEmpty else { continue }
            for column in rows[total].cells.indices {
                guard let sum = rows[total].cells[column] else { continue }
                let parts = group.sites.compactMap { rows[$0].cells[column] }
                guard parts.count == group.sites.count, related.insert([sum] + parts).inserted else { continue }
                ledger.sum(sum, parts)
            }
        }
        for key in lineOrder {
            let windows = [WindowKind.month, .twelveMonths, .all].compactMap { lines[key]![$0] }
            for (smaller, larger) in zip(windows, windows.dropFirst()) {
                for column in rows[smaller].cells.indices {
                    guard let a = rows[smaller].cells[column], let b = rows[larger].cells[column],
                          related.insert([a, b]).inserted else { continue }
                    ledger.atMost([a], [b])
                }
            }
        }
    }

    // MARK: timepoints.csv

    private mutating func registerTimePoints(_ rows: [TimePointRow], outcomeRows: [OutcomeRow]) {
        let keys = outcomeKeys(outcomeRows)
        var timedCell: [RowKey: Cell] = [:]
        var latent: [[Cell?]] = []
        for row in rows {
            let total = row.site == .allSites
            let key = RowKey(window: row.window.kind, modality: row.modality, instrument: row.instrument, site: row.site)
            let ittTimed = timedCell[key] ?? ledger.cell(row.ittTimed, shown: true, total: total)
            if timedCell[key] == nil, let outcomeRow = keys[key] { ledger.atMost([ittTimed], [outcome[outcomeRow][3]!]) }
            timedCell[key] = ittTimed
            let n = ledger.cell(row.n, shown: true, total: total)
            let responders = ledger.cell(row.responders, shown: true, total: total)
            let remitters = row.remitters.map { ledger.cell($0, shown: true, total: total) }
            timePoint.append((ittTimed, n, responders, remitters))
            latent.append([ledger.remainder(ittTimed, minus: [n]), ledger.remainder(n, minus: [responders]),
                           remitters.map { ledger.remainder(n, minus: [$0]) }])
        }
        relate(rows.indices.map { index in
            let row = rows[index], cells = timePoint[index]
            return (group: [AnyHashable(row.window.kind), row.modality, row.instrument, row.timePoint],
                    line: [AnyHashable(row.modality), row.instrument, row.site, row.timePoint],
                    window: row.window.kind, site: row.site,
                    cells: [cells.ittTimed, cells.n, cells.responders, cells.remitters] + latent[index])
        })
    }

    // MARK: retention.csv

    private mutating func registerRetention(_ rows: [RetentionRow]) {
        var latent: [Cell] = []
        for row in rows {
            let total = row.site == .allSites
            let evaluable = ledger.cell(row.evaluable, shown: true, total: total, weight: 2)
            let retained = ledger.cell(row.retained, shown: true, total: total, weight: 2)
            retention.append((evaluable, retained))
            latent.append(ledger.remainder(evaluable, minus: [retained]))
        }
        relate(rows.indices.map { index in
            let row = rows[index]
            return (group: [AnyHashable(row.window.kind), row.modality], line: [AnyHashable(row.modality), row.site],
                    window: row.window.kind, site: row.site,
                    cells: [retention[index].evaluable, retention[index].retained, latent[index]])
        })
    }

    // MARK: dropout.csv and by_sessions.csv

    /// Dropout: session 1 is reached by every course (the `courses` of the
    /// main scale's row), each session by no more than the one before, and
    /// those who stopped between two sessions are a group of their own.
    /// Outcomes by sessions: the bins add up to the row's evaluable courses,
    /// responders and remitters. A month's counts are at most the 12 months'.
    private mutating func registerFieldViews(_ content: ReportContent) {
        let result = content.result, keys = outcomeKeys(result.outcomeRows)
        func outcomeCell(_ window: WindowKind, _ modality: Int, _ column: OutcomeCountColumn) -> Cell? {
            let instrument = result.mainScale(of: modality, catalog: content.catalog)
            return keys[RowKey(window: window, modality: modality, instrument: instrument, site: .allSites)]
                .flatMap { outcome[$0][column.rawValue] }
        }
        var dropoutByWindow: [WindowKind: [Int: [Cell]]] = [:]
        for row in content.views.dropout {
            let cells = row.reached.map { ledger.cell($0, shown: true, total: true) }
            if let courses = outcomeCell(row.window.kind, row.modality, .courses) { ledger.sum(courses, [cells[0]]) }
            for k in cells.indices.dropLast() { _ = ledger.remainder(cells[k], minus: [cells[k + 1]]) }
            dropout.append(cells)
            dropoutByWindow[row.window.kind, default: [:]][row.modality] = cells
        }
        var binsByWindow: [WindowKind: [Int: [(evaluable: Cell, responders: Cell, remitters: Cell?)]]] = [:]
        for row in content.views.bySessions {
            let evaluable = ledger.cell(row.evaluable, shown: true, total: false)
            let responders = ledger.cell(row.responders, shown: true, total: false)
            let remitters = row.remitters.map { ledger.cell($0, shown: true, total: false) }
            _ = ledger.remainder(evaluable, minus: [responders])
            if let remitters { _ = ledger.remainder(evaluable, minus: [remitters]) }
            bySessions.append((evaluable, responders, remitters))
            binsByWindow[row.window.kind, default: [:]][row.modality, default: []].append((evaluable, responders, remitters))
        }
        // In a fixed order: the ledger's identities must not depend on hashing.
        for window in [WindowKind.month, .twelveMonths, .all] {
            for (modality, bins) in (binsByWindow[window] ?? [:]).sorted(by: { $0.key < $1.key }) {
                if let total = outcomeCell(window, modality, .evaluable) { ledger.sum(total, bins.map(\.evaluable)) }
                if let total = outcomeCell(window, modality, .responders) { ledger.sum(total, bins.map(\.responders)) }
                let remitters = bins.compactMap(\.remitters)
                if remitters.count == bins.count, let total = outcomeCell(window, modality, .remitters) {
                    ledger.sum(total, remitters)
                }
            }
        }
        for (smaller, larger) in [(WindowKind.month, WindowKind.twelveMonths), (.twelveMonths, .all)] {
            for (modality, cells) in (dropoutByWindow[smaller] ?? [:]).sorted(by: { $0.key < $1.key }) {
                guard let wider = dropoutByWindow[larger]?[modality], wider.count == cells.count else { continue }
                for k in cells.indices { ledger.atMost([cells[k]], [wider[k]]) }
            }
            for (modality, bins) in (binsByWindow[smaller] ?? [:]).sorted(by: { $0.key < $1.key }) {
                guard let wider = binsByWindow[larger]?[modality], wider.count == bins.count else { continue }
                for bin in bins.indices {
                    ledger.atMost([bins[bin].evaluable], [wider[bin].evaluable])
                    ledger.atMost([bins[bin].responders], [wider[bin].responders])
                }
            }
        }
    }

    // MARK: The Markdown's own figures

    /// The trend: each month's evaluable courses and responders on the main
    /// scale (the report month is the `month` row itself), and the months of
    /// the last 12 add up to the 12-month row. With a trailing three-month
    /// rate, the months are latent and each point printed is the sum of its
    /// month and the two before.
    private mutating func registerTrend(_ content: ReportContent) {
        let result = content.result, keys = outcomeKeys(result.outcomeRows)
        guard let twelveMonths = result.windows.first(where: { $0.kind == .twelveMonths }) else { return }
        let smoothing = content.trendSmoothing, monthsShown = smoothing == 1
        for modality in content.catalog.modalities.indices {
            let instrument = result.mainScale(of: modality, catalog: content.catalog)
            func cells(_ kind: WindowKind) -> (evaluable: Cell, responders: Cell)? {
                keys[RowKey(window: kind, modality: modality, instrument: instrument, site: .allSites)].map {
                    (outcome[$0][4]!, outcome[$0][6]!)
                }
            }
            var months: [(evaluable: Cell, responders: Cell)] = []
            var inTwelveMonths: [(evaluable: Cell, responders: Cell)] = []
            for entry in content.trend {
                let cell: (evaluable: Cell, responders: Cell)
                if entry.month == result.month, let reportMonth = cells(.month) {
                    cell = reportMonth
                } else {
                    let row = entry.rows.first { $0.modality == modality && $0.instrument == instrument && $0.site == .allSites }
                    cell = (ledger.cell(row?.evaluable ?? 0, shown: monthsShown, total: true),
                            ledger.cell(row?.responders ?? 0, shown: monthsShown, total: true))
                    _ = ledger.remainder(cell.evaluable, minus: [cell.responders])
                }
                months.append(cell)
                if YearMonth(containing: twelveMonths.periodStart) <= entry.month && entry.month <= result.month {
                    inTwelveMonths.append(cell)
                }
            }
            if monthsShown {
                trend[modality] = months
            } else {
                trend[modality] = (smoothing - 1..<months.count).map { last in
                    let window = months[(last - smoothing + 1)...last]
                    let evaluable = ledger.cell(window.reduce(0) { $0 + ledger.values[$1.evaluable] }, shown: true, total: true)
                    let responders = ledger.cell(window.reduce(0) { $0 + ledger.values[$1.responders] }, shown: true, total: true)
                    ledger.sum(evaluable, window.map(\.evaluable))
                    ledger.sum(responders, window.map(\.responders))
                    _ = ledger.remainder(evaluable, minus: [responders])
                    return (evaluable, responders)
                }
            }
            if let total = cells(.twelveMonths) {
                if inTwelveMonths.count == 12 {
                    ledger.sum(total.evaluable, inTwelveMonths.map(\.evaluable))
                    ledger.sum(total.responders, inTwelveMonths.map(\.responders))
                } else {
                    ledger.atMost(inTwelveMonths.map(\.evaluable), [total.evaluable])
                    ledger.atMost(inTwelveMonths.map(\.responders), [total.responders])
                }
            }
            if let total = cells(.all), months.count > inTwelveMonths.count {
                ledger.atMost(months.map(\.evaluable), [total.evaluable])
                ledger.atMost(months.map(\.responders), [total.responders])
            }
        }
    }

    /// Item 9 per modality and in total: positive at baseline = resolved +
    /// still positive + not recorded at the endpoint; newly positive among
    /// those negative at baseline; recorded at most the courses with a baseline.
    private mutating func registerItemNine(_ content: ReportContent) {
        let result = content.result
        guard let itemNineInstrument = content.catalog.itemNineInstrument else { return }
        guard result.windows.contains(where: { $0.kind == .twelveMonths }) else { return }
        let keys = outcomeKeys(result.outcomeRows)
        let summaries = result.summary.itemNine.filter { $0.baselineRecorded > 0 }
        var columns = Array(repeating: [Cell](), count: ItemNineCount.allCases.count)
        for summary in summaries {
            let cells = ItemNineCount.allCases.map { ledger.cell($0.value(in: summary), shown: true, total: false) }
            itemNine[summary.modality] = cells
            for (column, cell) in cells.enumerated() { columns[column].append(cell) }
            relateItemNine(cells)
            let key = RowKey(window: .twelveMonths, modality: summary.modality, instrument: itemNineInstrument, site: .allSites)
            if let row = keys[key] { ledger.atMost([cells[0]], [outcome[row][2]!, outcome[row][3]!]) }
        }
        guard !summaries.isEmpty else { return }
        itemNineTotal = columns.map { parts in
            let total = ledger.cell(parts.reduce(0) { $0 + ledger.values[$1] }, shown: true, total: true)
            ledger.sum(total, parts)
            return total
        }
        relateItemNine(itemNineTotal)
    }

    private mutating func relateItemNine(_ cells: [Cell]) {
        let recorded = cells[0], positive = cells[1], emergent = cells[5]
        ledger.sum(positive, [cells[2], cells[3], cells[4]])
        let negative = ledger.remainder(recorded, minus: [positive])
        ledger.atMost([emergent], [negative])
    }

    /// The rapid-response chart's endpoint: evaluable courses whose first session had a time.
    private mutating func registerEndpointTimed(_ content: ReportContent) {
        let result = content.result, keys = outcomeKeys(result.outcomeRows)
        var timedKeys: [RowKey: Cell] = [:]
        for (row, cells) in zip(result.timePointRows, timePoint) {
            let key = RowKey(window: row.window.kind, modality: row.modality, instrument: row.instrument, site: row.site)
            if timedKeys[key] == nil { timedKeys[key] = cells.ittTimed }
        }
        for modality in content.catalog.modalities.indices where !content.catalog.modalities[modality].timePoints.isEmpty {
            let instrument = content.catalog.headlineInstrument(of: modality)
            let n = result.endpointChangeOfTimedCourses(modality, instrument, catalog: content.catalog).n
            let cell = ledger.cell(n, shown: true, total: true)
            endpointTimed[modality] = cell
            let key = RowKey(window: .twelveMonths, modality: modality, instrument: instrument, site: .allSites)
            if let row = keys[key] { ledger.atMost([cell], [outcome[row][4]!]) }
            if let timed = timedKeys[key] { ledger.atMost([cell], [timed]) }
        }
    }

    /// Rejected rows per reason add up to the rejected total; records = loaded + duplicates + rejected.
    private mutating func registerRejects(_ content: ReportContent) {
        rejects = content.rejectCounts.map { ledger.cell($0.count, shown: true, total: false) }
        let files = content.files
        rejectedTotal = ledger.cell(files.reduce(0) { $0 + $1.rejected }, shown: true, total: true)
        records = ledger.cell(files.reduce(0) { $0 + $1.records }, shown: true, total: true)
        loaded = ledger.cell(files.reduce(0) { $0 + $1.loaded }, shown: true, total: true)
        duplicates = ledger.cell(files.reduce(0) { $0 + $1.duplicates }, shown: true, total: true)
        ledger.sum(rejectedTotal, rejects)
        ledger.sum(records, [loaded, duplicates, rejectedTotal])
    }
}

/// The item-9 counts the safety table prints, in its column order.
enum ItemNineCount: CaseIterable {
    case recorded, positiveAtBaseline, resolved, persisted, unknownAtEndpoint, emergent

    func value(in summary: ItemNineSummary) -> Int {
        switch self {
        case .recorded: return summary.baselineRecorded
        case .positiveAtBaseline: return summary.positiveAtBaseline
        case .resolved: return summary.resolved
        case .persisted: return summary.persisted
        case .unknownAtEndpoint: return summary.unknownAtEndpoint
        case .emergent: return summary.emergent
        }
    }
}

extension ItemNineCount {
    /// Position in `allCases` (and in the safety table's count columns).
    var index: Int { Self.allCases.firstIndex(of: self)! }
}
