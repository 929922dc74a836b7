/// A course with its outcome on each of its modality's instruments.
public struct EvaluatedCourse: Hashable, Sendable {
    public let course: Course
    /// Whether `W ≤ C`. Open courses have no outcomes and are in no count.
    public let isClosed: Bool
    /// One per instrument of the modality, in instrument-id order; empty when open.
    public let outcomes: [InstrumentOutcome]
}

/// Everything computed for one report month.
public struct OutcomeResult: Sendable {
    public let month: YearMonth
    public let cut: Day
    public let windows: [ReportWindow]
    /// Every course as of C, open or closed, sorted by patient, modality and start.
    public let courses: [EvaluatedCourse]
    /// `outcomes.csv`, in SPEC order.
    public let outcomeRows: [OutcomeRow]
    /// `retention.csv`, in SPEC order.
    public let retentionRows: [RetentionRow]
}

/// Events sorted and indexed once, so that several months (a report and its
/// trend) are computed without sorting again.
public struct PreparedEvents: Sendable {
    /// Sessions of known modalities, sorted by patient, modality, day and site rank.
    let sessions: [SessionEvent]
    let scores: ScoreIndex
    public let siteNames: [String]
    let siteRank: [Int]
    /// Earliest session day of any modality.
    public let firstSessionDay: Day?
}

/// The outcome engine: SPEC §5–9 as pure functions of the stored events, the
/// catalogue and the report month.
public enum OutcomeEngine {
    /// Computes one month from raw events.
    public static func compute(_ input: OutcomeInput, catalog: Catalog, month: YearMonth) -> OutcomeResult {
        compute(prepare(input, catalog: catalog), catalog: catalog, month: month)
    }

    /// Sorts and indexes the events once.
    public static func prepare(_ input: OutcomeInput, catalog: Catalog) -> PreparedEvents {
        let siteRank = byteOrderRanks(of: input.siteNames)
        return PreparedEvents(
            sessions: sortedSessions(input.sessions, siteRank: siteRank, modalities: catalog.modalities.count),
            scores: ScoreIndex(input.scores),
            siteNames: input.siteNames, siteRank: siteRank,
            firstSessionDay: input.firstSessionDay ?? input.sessions.lazy.map(\.day).min())
    }

    /// Computes month `month` as of its last day C. Sessions after C are
    /// ignored here; scores after C need no filtering, because a closed course
    /// only ever looks at scores dated up to its W ≤ C.
    public static func compute(_ events: PreparedEvents, catalog: Catalog, month: YearMonth) -> OutcomeResult {
        let cut = cutDate(of: month)
        let windows = reportWindows(month: month, firstSessionDay: events.firstSessionDay)
        // Instruments of each modality in output (id) order, as catalogue positions.
        let instrumentsByModality: [[Int]] = catalog.modalities.map { modality in
            modality.instruments.compactMap { catalog.instrumentIndex(id: $0) }.sorted()
        }

        let sessions = events.sessions
        var courses: [EvaluatedCourse] = []
        var groupStart = sessions.startIndex
        while groupStart < sessions.endIndex {
            let first = sessions[groupStart]
            var groupEnd = groupStart + 1
            while groupEnd < sessions.endIndex, sessions[groupEnd].patient == first.patient,
                  sessions[groupEnd].modality == first.modality { groupEnd += 1 }
            // Days are sorted within the group: the sessions up to C are a prefix.
            var lastKnown = groupStart
            while lastKnown < groupEnd, sessions[lastKnown].day <= cut { lastKnown += 1 }
            let modalityIndex = Int(first.modality)
            let modality = catalog.modalities[modalityIndex]
            for course in buildCourses(patient: first.patient, modalityIndex: modalityIndex, modality: modality,
                                       sessions: sessions[groupStart..<lastKnown]) {
                let closed = course.isClosed(asOf: cut)
                let outcomes = closed ? instrumentsByModality[modalityIndex].map { index in
                    evaluate(course, instrumentIndex: index, instrument: catalog.instruments[index],
                             scores: events.scores.scores(patient: course.patient, instrument: index))
                } : []
                courses.append(EvaluatedCourse(course: course, isClosed: closed, outcomes: outcomes))
            }
            groupStart = groupEnd
        }

        return OutcomeResult(
            month: month, cut: cut, windows: windows, courses: courses,
            outcomeRows: outcomeRows(courses, windows: windows, catalog: catalog, siteNames: events.siteNames,
                                     siteRank: events.siteRank),
            retentionRows: retentionRows(courses, windows: windows, cut: cut, catalog: catalog,
                                         siteNames: events.siteNames, siteRank: events.siteRank))
    }

    /// SPEC §8: one row per (window, modality, instrument, site) whose window
    /// holds a closed course of the modality at that site; `*` first.
    static func outcomeRows(_ courses: [EvaluatedCourse], windows: [ReportWindow], catalog: Catalog,
                            siteNames: [String], siteRank: [Int]) -> [OutcomeRow] {
        struct Key: Hashable { let window: Int, modality: Int, instrument: Int, site: Int32 }
        var tallies: [Key: OutcomeTally] = [:]
        for evaluated in courses where evaluated.isClosed {
            let course = evaluated.course
            for (windowIndex, window) in windows.enumerated() where window.contains(course.windowEnd) {
                for outcome in evaluated.outcomes {
                    for site in [allSitesKey, course.site] {
                        tallies[Key(window: windowIndex, modality: course.modality, instrument: outcome.instrument, site: site),
                                default: OutcomeTally()].add(outcome)
                    }
                }
            }
        }
        let keys = tallies.keys.sorted {
            ($0.window, $0.modality, $0.instrument, siteOrder($0.site, siteRank))
                < ($1.window, $1.modality, $1.instrument, siteOrder($1.site, siteRank))
        }
        return keys.map { key in
            tallies[key]!.row(window: windows[key.window], modality: catalog.modalities[key.modality],
                              instrument: catalog.instruments[key.instrument],
                              site: selector(key.site, siteNames))
        }
    }

    /// SPEC §9: one row per (window, modality, site) with an evaluable course.
    static func retentionRows(_ courses: [EvaluatedCourse], windows: [ReportWindow], cut: Day, catalog: Catalog,
                              siteNames: [String], siteRank: [Int]) -> [RetentionRow] {
        struct Key: Hashable { let window: Int, modality: Int, site: Int32 }
        var tallies: [Key: (evaluable: Int, retained: Int)] = [:]
        for evaluated in courses {
            let course = evaluated.course
            let modality = catalog.modalities[course.modality]
            guard let day = retentionEvaluableDay(of: course, modality: modality), day <= cut else { continue }
            let retained = isRetained(course, modality: modality) ? 1 : 0
            for (windowIndex, window) in windows.enumerated() where window.contains(day) {
                for site in [allSitesKey, course.site] {
                    let key = Key(window: windowIndex, modality: course.modality, site: site)
                    let tally = tallies[key, default: (0, 0)]
                    tallies[key] = (tally.evaluable + 1, tally.retained + retained)
                }
            }
        }
        let keys = tallies.keys.sorted {
            ($0.window, $0.modality, siteOrder($0.site, siteRank)) < ($1.window, $1.modality, siteOrder($1.site, siteRank))
        }
        return keys.map { key in
            let tally = tallies[key]!
            return RetentionRow(window: windows[key.window], modality: catalog.modalities[key.modality].id,
                                site: selector(key.site, siteNames), evaluable: tally.evaluable,
                                retained: tally.retained,
                                retention: wilsonInterval(successes: tally.retained, total: tally.evaluable))
        }
    }

    /// The tally key that stands for all sites together.
    static let allSitesKey: Int32 = -1

    private static func siteOrder(_ site: Int32, _ siteRank: [Int]) -> Int {
        site == allSitesKey ? -1 : siteRank[Int(site)]
    }

    private static func selector(_ site: Int32, _ siteNames: [String]) -> SiteSelector {
        site == allSitesKey ? .allSites : .site(siteNames[Int(site)])
    }

    /// Each site's position when names are ordered by their UTF-8 bytes (SPEC §8).
    static func byteOrderRanks(of names: [String]) -> [Int] {
        let order = names.indices.sorted { names[$0].utf8.lexicographicallyPrecedes(names[$1].utf8) }
        var rank = [Int](repeating: 0, count: names.count)
        for (position, index) in order.enumerated() { rank[index] = position }
        return rank
    }

    /// Sessions of known modalities, sorted by patient, modality, day and site rank.
    static func sortedSessions(_ sessions: [SessionEvent], siteRank: [Int], modalities: Int) -> [SessionEvent] {
        var kept = sessions.filter { $0.modality >= 0 && Int($0.modality) < modalities }
        kept.sort {
            ($0.patient, $0.modality, $0.day.ordinal, siteRank[Int($0.site)])
                < ($1.patient, $1.modality, $1.day.ordinal, siteRank[Int($1.site)])
        }
        return kept
    }
}

/// Scores grouped by (patient, instrument) and sorted by day.
struct ScoreIndex: Sendable {
    private let scores: [ScoreEvent]
    private let ranges: [Int64: Range<Int>]

    init(_ all: [ScoreEvent]) {
        var kept = all
        let inOrder = zip(kept, kept.dropFirst()).allSatisfy { ScoreIndex.precedes($0, $1) }
        if !inOrder { kept.sort(by: ScoreIndex.precedes) }
        var ranges: [Int64: Range<Int>] = [:]
        var start = 0
        while start < kept.count {
            var end = start + 1
            while end < kept.count, kept[end].patient == kept[start].patient,
                  kept[end].instrument == kept[start].instrument { end += 1 }
            ranges[ScoreIndex.key(kept[start].patient, Int(kept[start].instrument))] = start..<end
            start = end
        }
        scores = kept
        self.ranges = ranges
    }

    /// One patient's scores of one instrument, sorted by day.
    func scores(patient: Int32, instrument: Int) -> ArraySlice<ScoreEvent> {
        guard let range = ranges[ScoreIndex.key(patient, instrument)] else { return [] }
        return scores[range]
    }

    private static func key(_ patient: Int32, _ instrument: Int) -> Int64 {
        Int64(patient) << 32 | Int64(UInt32(truncatingIfNeeded: instrument))
    }

    private static func precedes(_ a: ScoreEvent, _ b: ScoreEvent) -> Bool {
        (a.patient, a.instrument, a.day.ordinal) < (b.patient, b.instrument, b.day.ordinal)
    }
}
