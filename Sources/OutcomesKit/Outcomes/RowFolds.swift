/// The rows of the three files, folded one course at a time: a report adds
/// each course as it is read or computed and never holds them all (its
/// memory is the tallies, a few per cell). `ResultFold` (MonthFold.swift)
/// holds the three with the summary; `OutcomeEngine.assemble` and
/// `outcomeRows` run them over a list.

/// DATA-CONTRACT §8: `outcomes.csv`'s rows.
struct OutcomeRowsFold {
    let windows: [ReportWindow]
    let catalog: Catalog
    let siteRows: Bool
    private var tallies: CellTallies<OutcomeTally>

    init(windows: [ReportWindow], catalog: Catalog, siteRows: Bool) {
        self.windows = windows
        self.catalog = catalog
        self.siteRows = siteRows
        tallies = CellTallies(cells: windows.count * catalog.modalities.count * catalog.instruments.count) { OutcomeTally() }
    }

    private func cell(window: Int, modality: Int, instrument: Int) -> Int {
        (window * catalog.modalities.count + modality) * catalog.instruments.count + instrument
    }

    /// Adds a course to every window its W falls in (open courses count nowhere).
    mutating func add(_ evaluated: EvaluatedCourse) {
        guard evaluated.isClosed else { return }
        let windowEnd = evaluated.course.windowEnd, modality = evaluated.course.modality
        let site = siteRows ? evaluated.course.site : nil
        for (windowIndex, window) in windows.enumerated() where window.contains(windowEnd) {
            for outcome in evaluated.outcomes {
                tallies.add(cell: cell(window: windowIndex, modality: modality, instrument: outcome.instrument), site: site) {
                    $0.add(outcome)
                }
            }
        }
    }

    /// One row per (window, modality, instrument, site) holding a closed
    /// course; `*` first, then sites in byte order.
    func rows(siteNames: [String], siteRank: [Int]) -> [OutcomeRow] {
        let instruments = catalog.instruments.count, modalities = catalog.modalities.count
        return tallies.ordered(siteRank: siteRank).map { entry in
            let instrument = entry.cell % instruments, modality = (entry.cell / instruments) % modalities
            return entry.tally.row(window: windows[entry.cell / (instruments * modalities)], modality: modality,
                                   instrument: instrument, catalog: catalog, site: SiteSelector(entry.site, siteNames))
        }
    }
}

/// DATA-CONTRACT §9: `retention.csv`'s rows.
struct RetentionRowsFold {
    let windows: [ReportWindow]
    let cut: Day
    let catalog: Catalog
    let siteRows: Bool
    private var tallies: CellTallies<(evaluable: Int, retained: Int)>

    init(windows: [ReportWindow], cut: Day, catalog: Catalog, siteRows: Bool) {
        self.windows = windows
        self.cut = cut
        self.catalog = catalog
        self.siteRows = siteRows
        tallies = CellTallies(cells: windows.count * catalog.modalities.count) { (evaluable: 0, retained: 0) }
    }

    /// Adds a course to every window its retention-evaluable day (≤ C) falls in.
    mutating func add(_ evaluated: EvaluatedCourse) {
        let course = evaluated.course, modalities = catalog.modalities.count
        let modality = catalog.modalities[course.modality]
        guard let day = retentionEvaluableDay(of: course, modality: modality), day <= cut else { return }
        let retained = isRetained(course, modality: modality) ? 1 : 0
        for (windowIndex, window) in windows.enumerated() where window.contains(day) {
            tallies.add(cell: windowIndex * modalities + course.modality, site: siteRows ? course.site : nil) { tally in
                tally = (tally.evaluable + 1, tally.retained + retained)
            }
        }
    }

    func rows(siteNames: [String], siteRank: [Int]) -> [RetentionRow] {
        let modalities = catalog.modalities.count
        return tallies.ordered(siteRank: siteRank).map { entry in
            RetentionRow(window: windows[entry.cell / modalities], modality: entry.cell % modalities,
                         site: SiteSelector(entry.site, siteNames), evaluable: entry.tally.evaluable, retained: entry.tally.retained,
                         retention: wilsonInterval(successes: entry.tally.retained, total: entry.tally.evaluable))
        }
    }
}

/// DATA-CONTRACT §6b: `timepoints.csv`'s rows, one per (window, modality
/// with time points, instrument, site, time point) where the window holds an
/// ITT course of the modality, at that site, whose first session has a
/// time; sorted as `outcomes.csv`, then by time point in the modality's order.
struct TimePointRowsFold {
    let windows: [ReportWindow]
    let catalog: Catalog
    let siteRows: Bool
    private let hasTimePoints: Bool
    private var tallies: CellTallies<TimePointTally?>

    init(windows: [ReportWindow], catalog: Catalog, siteRows: Bool) {
        self.windows = windows
        self.catalog = catalog
        self.siteRows = siteRows
        hasTimePoints = catalog.modalities.contains { !$0.timePoints.isEmpty }
        tallies = CellTallies(cells: windows.count * catalog.modalities.count * catalog.instruments.count) { nil }
    }

    /// Adds a closed course that started with a timed dose, for each of its
    /// intention-to-treat outcomes, to every window its W falls in.
    mutating func add(_ evaluated: EvaluatedCourse) {
        guard hasTimePoints, evaluated.isClosed, evaluated.course.startIsTimed else { return }
        let course = evaluated.course, instruments = catalog.instruments.count, modalities = catalog.modalities.count
        let points = catalog.modalities[course.modality].timePoints.count
        guard points > 0 else { return }
        for (windowIndex, window) in windows.enumerated() where window.contains(course.windowEnd) {
            for outcome in evaluated.outcomes where outcome.status.isIntentionToTreat {
                let cell = (windowIndex * modalities + course.modality) * instruments + outcome.instrument
                tallies.add(cell: cell, site: siteRows ? course.site : nil) { tally in
                    if tally == nil { tally = TimePointTally(timePoints: points) }
                    tally!.add(outcome, instrument: catalog.instruments[outcome.instrument])
                }
            }
        }
    }

    func rows(siteNames: [String], siteRank: [Int]) -> [TimePointRow] {
        let instruments = catalog.instruments.count, modalities = catalog.modalities.count
        return tallies.ordered(siteRank: siteRank).flatMap { entry -> [TimePointRow] in
            guard let tally = entry.tally else { return [] }
            let instrument = entry.cell % instruments, modality = (entry.cell / instruments) % modalities
            return tally.rows(window: windows[entry.cell / (instruments * modalities)], modality: modality, instrument: instrument,
                              catalog: catalog, site: SiteSelector(entry.site, siteNames))
        }
    }
}

extension SiteSelector {
    /// A tally's site: none for all sites, else the name of the store's site key.
    init(_ site: Int32?, _ siteNames: [String]) {
        self = site.map { .site(siteNames[Int($0)]) } ?? .allSites
    }
}
