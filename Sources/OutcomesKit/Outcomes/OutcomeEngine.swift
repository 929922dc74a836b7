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
    /// Every course as of C, open or closed, sorted by patient, modality and
    /// start, when computed from events (`compute`); empty when the courses
    /// were folded one at a time (`MonthFold`, a report): read `summary`.
    public let courses: [EvaluatedCourse]
    /// `outcomes.csv`, in the contract's order.
    public let outcomeRows: [OutcomeRow]
    /// `retention.csv`, in the contract's order.
    public let retentionRows: [RetentionRow]
    /// `timepoints.csv`, in the contract's order.
    public let timePointRows: [TimePointRow]
    /// What the report reads of the courses besides the rows.
    public let summary: CourseSummary
}

/// Events sorted and indexed once, so that several months (a report and its
/// trend) are computed without sorting again.
public struct PreparedEvents: Sendable {
    /// Sessions of known modalities, sorted by patient, modality, instant,
    /// site rank and untimed first (DATA-CONTRACT §5).
    let sessions: [SessionEvent]
    /// The sessions' dates and instants, at the same indices: courses hold slices of them.
    let days: [Day]
    let instants: [Int64]
    let times: [Int32]
    let scores: ScoreIndex
    public let siteNames: [String]
    let siteRank: [Int]
    /// Earliest session day of any modality.
    public let firstSessionDay: Day?

    /// Sessions already sorted (`OutcomeEngine.sortSessions`), with their
    /// dates, instants and times laid out for the courses to slice.
    init(sorted sessions: [SessionEvent], scores: [ScoreEvent], siteNames: [String], siteRank: [Int], firstSessionDay: Day?) {
        self.sessions = sessions
        days = sessions.map(\.day)
        instants = sessions.map(\.instant)
        times = sessions.map(\.time)
        self.scores = ScoreIndex(scores)
        self.siteNames = siteNames
        self.siteRank = siteRank
        self.firstSessionDay = firstSessionDay
    }
}

/// The outcome engine: DATA-CONTRACT §5–9 as pure functions of the stored events, the
/// catalogue and the report month.
public enum OutcomeEngine {
    /// Computes one month from raw events.
    public static func compute(_ input: OutcomeInput, catalog: Catalog, month: YearMonth) -> OutcomeResult {
        compute(prepare(input, catalog: catalog), catalog: catalog, month: month)
    }

    /// Sorts and indexes the events once.
    public static func prepare(_ input: OutcomeInput, catalog: Catalog) -> PreparedEvents {
        let siteRank = byteOrderRanks(of: input.siteNames)
        var sessions = input.sessions
        sortSessions(&sessions, siteRank: siteRank, modalities: catalog.modalities.count)
        return PreparedEvents(sorted: sessions, scores: input.scores, siteNames: input.siteNames, siteRank: siteRank,
                              firstSessionDay: input.firstSessionDay ?? input.sessions.lazy.map(\.day).min())
    }

    /// Computes month `month` as of its last day C. Sessions after C are
    /// ignored here; scores after C need no filtering, because a closed course
    /// only ever looks at scores dated up to its W ≤ C.
    ///
    /// With `only`, just those windows are computed (a trend needs only each
    /// month's `month` window), and only the courses judged in them are evaluated.
    /// Without `siteRows`, only the all-sites rows are made (a trend's).
    public static func compute(_ events: PreparedEvents, catalog: Catalog, month: YearMonth,
                               only: Set<WindowKind>? = nil, siteRows: Bool = true) -> OutcomeResult {
        let cut = cutDate(of: month)
        let windows = reportWindows(month: month, firstSessionDay: events.firstSessionDay)
            .filter { only?.contains($0.kind) ?? true }
        let courses = evaluateCourses(events, catalog: catalog, cut: cut, windows: windows, keepAll: only == nil)
        return assemble(courses, month: month, cut: cut, windows: windows, catalog: catalog,
                        siteNames: events.siteNames, siteRank: events.siteRank, siteRows: siteRows)
    }

    /// Computes month `month` patient by patient: the sessions are sorted
    /// once, then evaluated a chunk of patients at a time with only that
    /// chunk's scores (`scores` reads the scores dated ≤ the cut of a range
    /// of patient keys, in any order), so the scores of the whole store are
    /// never held at once, and each course is folded into the month's
    /// tallies (`MonthFold`) as it is made. The result equals
    /// `compute(prepare(…))`'s but holds no courses; the field views come
    /// with it, since they read the scores too. The input's sessions are
    /// taken (sorted in place, not copied), leaving it empty.
    public static func computeByPatient(_ input: inout OutcomeInput, scores: (ClosedRange<Int32>) throws -> [ScoreEvent],
                                        catalog: Catalog, month: YearMonth,
                                        sessionsPerChunk: Int = 1 << 16) rethrows -> (result: OutcomeResult, views: FieldViews) {
        var fold = MonthFold(month: month, firstSessionDay: input.firstSessionDay ?? input.sessions.lazy.map(\.day).min(),
                             siteNames: input.siteNames, catalog: catalog)
        try foldByPatient(&input, scores: scores, into: &fold, sessionsPerChunk: sessionsPerChunk)
        let (result, views, _) = fold.finish()
        return (result, views)
    }

    /// Adds every course of `input` as of the fold's cut to `fold`, a chunk
    /// of patients at a time (`forEachChunkOfCourseRecords`), taking the
    /// input's sessions.
    public static func foldByPatient(_ input: inout OutcomeInput, scores: (ClosedRange<Int32>) throws -> [ScoreEvent],
                                     into fold: inout MonthFold, sessionsPerChunk: Int = 1 << 16) rethrows {
        try forEachChunkOfCourseRecords(&input, scores: scores, catalog: fold.catalog, cut: fold.cut,
                                        sessionsPerChunk: sessionsPerChunk) { _, records in
            for record in records { fold.add(record) }
        }
    }

    /// The course records (`courseRecords`) of every patient of `input` as
    /// of `cut`, a chunk of patients at a time: the sessions sorted once (in
    /// place, leaving the input empty), each chunk's scores read by
    /// `scores`, and `chunk` called with the chunk's range of patient keys
    /// (ascending, disjoint) and its records in (patient, modality, start) order.
    public static func forEachChunkOfCourseRecords(
        _ input: inout OutcomeInput, scores: (ClosedRange<Int32>) throws -> [ScoreEvent], catalog: Catalog, cut: Day,
        sessionsPerChunk: Int = 1 << 16, _ chunk: (ClosedRange<Int32>, [CourseRecord]) throws -> Void
    ) rethrows {
        let siteNames = input.siteNames, siteRank = byteOrderRanks(of: input.siteNames)
        let firstSessionDay = input.firstSessionDay ?? input.sessions.lazy.map(\.day).min()
        // Sorted in place: the input's array is the only copy of the sessions held.
        var sessions = input.sessions
        input.sessions = []
        sortSessions(&sessions, siteRank: siteRank, modalities: catalog.modalities.count)
        var start = 0
        while start < sessions.count {
            // A chunk ends between patients.
            var end = min(start + max(1, sessionsPerChunk), sessions.count)
            while end < sessions.count, sessions[end].patient == sessions[end - 1].patient { end += 1 }
            let patients = sessions[start].patient...sessions[end - 1].patient
            let events = PreparedEvents(sorted: Array(sessions[start..<end]), scores: try scores(patients),
                                        siteNames: siteNames, siteRank: siteRank, firstSessionDay: firstSessionDay)
            try chunk(patients, courseRecords(events, catalog: catalog, cut: cut))
            start = end
        }
    }

    /// The course records of the patients whose sessions (any order; sorted
    /// here, in place) and scores (in patient order) are given, in
    /// (patient, modality, start) order: one chunk of a store read a range
    /// of patients at a time.
    public static func courseRecords(ofPatients sessions: inout [SessionEvent], scores: [ScoreEvent], siteNames: [String],
                                     siteRank: [Int], firstSessionDay: Day?, catalog: Catalog, cut: Day) -> [CourseRecord] {
        sortSessions(&sessions, siteRank: siteRank, modalities: catalog.modalities.count)
        let events = PreparedEvents(sorted: sessions, scores: scores, siteNames: siteNames, siteRank: siteRank,
                                    firstSessionDay: firstSessionDay)
        return courseRecords(events, catalog: catalog, cut: cut)
    }

    /// Calls `body` for every course of `events` as of `cut` (built from the
    /// sessions dated ≤ C), in (patient, modality, start) order, with the
    /// catalogue positions of its modality's instruments in output (id) order.
    static func forEachCourse(_ events: PreparedEvents, catalog: Catalog, cut: Day, _ body: (Course, [Int]) -> Void) {
        let instrumentsByModality: [[Int]] = catalog.modalities.map { modality in
            modality.instruments.compactMap { catalog.instrumentIndex(id: $0) }.sorted()
        }
        let sessions = events.sessions
        var groupStart = sessions.startIndex
        while groupStart < sessions.endIndex {
            let first = sessions[groupStart]
            var groupEnd = groupStart + 1
            while groupEnd < sessions.endIndex, sessions[groupEnd].patient == first.patient,
                  sessions[groupEnd].modality == first.modality { groupEnd += 1 }
            // Instants are sorted within the group: the sessions dated up to C are a prefix.
            var lastKnown = groupStart
            while lastKnown < groupEnd, sessions[lastKnown].day <= cut { lastKnown += 1 }
            let modalityIndex = first.modality
            for course in buildCourses(patient: first.patient, modalityIndex: modalityIndex, modality: catalog.modalities[modalityIndex],
                                       sessions: sessions[groupStart..<lastKnown], days: events.days[groupStart..<lastKnown],
                                       instants: events.instants[groupStart..<lastKnown],
                                       times: events.times[groupStart..<lastKnown]) {
                body(course, instrumentsByModality[modalityIndex])
            }
            groupStart = groupEnd
        }
    }

    /// DATA-CONTRACT §5–7 for every course of `events` as of `cut`. With
    /// `keepAll` false, a course neither judged in `windows` nor due for a
    /// retention count in them is left out.
    static func evaluateCourses(_ events: PreparedEvents, catalog: Catalog, cut: Day, windows: [ReportWindow],
                                keepAll: Bool) -> [EvaluatedCourse] {
        let earliestJudged = windows.map(\.periodStart).min() ?? cut
        var courses: [EvaluatedCourse] = []
        forEachCourse(events, catalog: catalog, cut: cut) { course, instruments in
            let modality = catalog.modalities[course.modality]
            let closed = course.isClosed(asOf: cut)
            let judged = closed && course.windowEnd >= earliestJudged
            // With some windows only, a course neither judged nor due for a
            // retention count in them is not kept.
            if !keepAll, !judged, !windows.contains(where: { window in
                retentionEvaluableDay(of: course, modality: modality).map { $0 <= cut && window.contains($0) } ?? false
            }) { return }
            let outcomes = judged ? instruments.map { index in
                evaluate(course, modality: modality, instrumentIndex: index, instrument: catalog.instruments[index],
                         scores: events.scores.scores(patient: course.patient, instrument: index))
            } : []
            courses.append(EvaluatedCourse(course: course, isClosed: closed, outcomes: outcomes))
        }
        return courses
    }

    /// The rows of the three files and the summary from the evaluated courses, in one pass.
    static func assemble(_ courses: [EvaluatedCourse], month: YearMonth, cut: Day, windows: [ReportWindow], catalog: Catalog,
                         siteNames: [String], siteRank: [Int], siteRows: Bool) -> OutcomeResult {
        var fold = ResultFold(month: month, cut: cut, windows: windows, catalog: catalog, siteRows: siteRows)
        for course in courses { fold.add(course) }
        return fold.result(courses: courses, siteNames: siteNames, siteRank: siteRank)
    }

    /// The all-sites rows of the window of `month` (at or before the
    /// result's month) among the courses of `result`, judged as of the
    /// result's cut: a trend month as the report knows it today. The months
    /// of a 12-month window add up to its row exactly.
    public static func monthRows(of result: OutcomeResult, month: YearMonth, catalog: Catalog) -> [OutcomeRow] {
        monthRows(of: result, months: [month], catalog: catalog)[0]
    }

    /// `monthRows` for several months in one pass over the courses (the trend's months).
    public static func monthRows(of result: OutcomeResult, months: [YearMonth], catalog: Catalog) -> [[OutcomeRow]] {
        let windows = months.map { monthWindow($0, asOf: result.cut) }
        let rows = outcomeRows(result.courses, windows: windows, catalog: catalog, siteNames: [], siteRank: [], siteRows: false)
        return rowsByWindow(rows, windows: windows)
    }

    /// The window of `month`'s own courses, judged as of `cut` (a trend month).
    static func monthWindow(_ month: YearMonth, asOf cut: Day) -> ReportWindow {
        ReportWindow(kind: .month, periodStart: month.firstDay, periodEnd: min(month.lastDay, cut))
    }

    /// Rows split by window, in the order of `windows` (tally cells are ordered by window first).
    static func rowsByWindow(_ rows: [OutcomeRow], windows: [ReportWindow]) -> [[OutcomeRow]] {
        var byWindow = Array(repeating: [OutcomeRow](), count: windows.count)
        var next = 0
        for row in rows {
            while windows[next] != row.window { next += 1 }
            byWindow[next].append(row)
        }
        return byWindow
    }

    /// DATA-CONTRACT §8: one row per (window, modality, instrument, site) whose window
    /// holds a closed course of the modality at that site; `*` first, then
    /// sites in byte order.
    static func outcomeRows(_ courses: [EvaluatedCourse], windows: [ReportWindow], catalog: Catalog,
                            siteNames: [String], siteRank: [Int], siteRows: Bool = true) -> [OutcomeRow] {
        var fold = OutcomeRowsFold(windows: windows, catalog: catalog, siteRows: siteRows)
        for course in courses { fold.add(course) }
        return fold.rows(siteNames: siteNames, siteRank: siteRank)
    }

    /// Each site's position when names are ordered by their UTF-8 bytes (DATA-CONTRACT §8).
    static func byteOrderRanks(of names: [String]) -> [Int] {
        let order = names.indices.sorted { names[$0].utf8.lexicographicallyPrecedes(names[$1].utf8) }
        var rank = [Int](repeating: 0, count: names.count)
        for (position, index) in order.enumerated() { rank[index] = position }
        return rank
    }

    /// Keeps the sessions of known modalities, sorted by patient, modality and
    /// instant; at one instant the smallest site first, then the untimed one
    /// first (DATA-CONTRACT §5). In place, without a second buffer: the
    /// sessions are first placed by patient (`groupByPatient`), then each
    /// patient's few sorted. Sessions equal in this order are equal in every
    /// field, so the result does not depend on how the sort breaks ties.
    static func sortSessions(_ sessions: inout [SessionEvent], siteRank: [Int], modalities: Int) {
        sessions.removeAll { $0.modality < 0 || $0.modality >= modalities }
        func precedes(_ a: SessionEvent, _ b: SessionEvent) -> Bool {
            (a.patient, a.modality, a.instant, siteRank[Int(a.site)], a.isTimed ? 1 : 0)
                < (b.patient, b.modality, b.instant, siteRank[Int(b.site)], b.isTimed ? 1 : 0)
        }
        guard let groups = groupByPatient(&sessions) else {
            sessions.sort(by: precedes)
            return
        }
        sessions.withUnsafeMutableBufferPointer { buffer in
            for group in groups where group.count > 1 { buffer[group].sort(by: precedes) }
        }
    }

    /// Moves the sessions into ascending patient order in place (an American
    /// flag sort: one counting pass, then each session swapped straight into
    /// its patient's range) and returns each patient's range. A whole-array
    /// sort would need a buffer half the array's size: 62 MB at 6.2M
    /// sessions. Nil when the patient keys are too sparse for a count per key.
    static func groupByPatient(_ sessions: inout [SessionEvent]) -> [Range<Int>]? {
        guard let low = sessions.lazy.map(\.patient).min(), let high = sessions.lazy.map(\.patient).max() else { return [] }
        let keys = Int(high) - Int(low) + 1
        guard keys <= sessions.count * 4 + 1024 else { return nil }
        var ends = [Int](repeating: 0, count: keys)
        for session in sessions { ends[Int(session.patient) - Int(low)] += 1 }
        for key in 1..<keys { ends[key] += ends[key - 1] }
        // next[k]: where the next session of key k goes; key k's range ends at ends[k].
        var next = [Int](repeating: 0, count: keys)
        for key in 1..<keys { next[key] = ends[key - 1] }
        let starts = next
        sessions.withUnsafeMutableBufferPointer { buffer in
            for key in 0..<keys {
                while next[key] < ends[key] {
                    let target = Int(buffer[next[key]].patient) - Int(low)
                    if target == key {
                        next[key] += 1
                    } else {
                        buffer.swapAt(next[key], next[target])
                        next[target] += 1
                    }
                }
            }
        }
        return (0..<keys).compactMap { starts[$0] < ends[$0] ? starts[$0]..<ends[$0] : nil }
    }
}

/// Scores sorted by (patient, instrument) and instant order (at one instant
/// the untimed first), looked up by binary search: no hashing, no per-group storage.
struct ScoreIndex: Sendable {
    private let scores: [ScoreEvent]

    init(_ all: [ScoreEvent]) {
        var kept = all
        let inOrder = zip(kept, kept.dropFirst()).allSatisfy { ScoreIndex.precedes($0, $1) }
        if !inOrder { kept.sort(by: ScoreIndex.precedes) }
        scores = kept
    }

    /// One patient's scores of one instrument, in instant order.
    func scores(patient: Int32, instrument: Int) -> ArraySlice<ScoreEvent> {
        let key = (patient, instrument)
        let start = firstIndex { ($0.patient, $0.instrument) >= key }
        let end = firstIndex { ($0.patient, $0.instrument) > key }
        return scores[start..<end]
    }

    /// The first index whose score satisfies `isAtOrAfter` (which must be monotonic).
    private func firstIndex(where isAtOrAfter: (ScoreEvent) -> Bool) -> Int {
        var low = 0, high = scores.count
        while low < high {
            let mid = (low + high) / 2
            if isAtOrAfter(scores[mid]) { high = mid } else { low = mid + 1 }
        }
        return low
    }

    private static func precedes(_ a: ScoreEvent, _ b: ScoreEvent) -> Bool {
        if (a.patient, a.instrument) != (b.patient, b.instrument) { return (a.patient, a.instrument) < (b.patient, b.instrument) }
        return ScoreEvent.precedes(a, b)
    }
}
