/// A treatment course: a run of one patient's sessions of one modality with
/// no gap longer than the modality's gap days (DATA-CONTRACT §5).
public struct Course: Hashable, Sendable {
    public let patient: Int32
    /// Position of the modality in `Catalog.modalities`.
    public let modality: Int
    /// The course's session dates in instant order (several sessions may
    /// share a date): a slice of one array shared by all courses, so a course
    /// costs no allocation of its own. Index it through `sessionDay(_:)`.
    public let sessionDays: ArraySlice<Day>
    /// The sessions' instants, at the same positions (DATA-CONTRACT §5: the
    /// start of the date for a session without a time).
    public let sessionInstants: ArraySlice<Int64>
    /// The sessions' times of day as written (seconds since midnight, -1
    /// when untimed), at the same positions.
    public let sessionTimes: ArraySlice<Int32>
    /// Site of the first session (on ties, the smallest site by bytes).
    public let site: Int32
    /// `W`, the day the course is judged on.
    public let windowEnd: Day

    public init(patient: Int32, modality: Int, sessionDays: ArraySlice<Day>, sessionInstants: ArraySlice<Int64>? = nil,
                sessionTimes: ArraySlice<Int32>? = nil, site: Int32, windowEnd: Day) {
        self.patient = patient
        self.modality = modality
        self.sessionDays = sessionDays
        self.sessionInstants = sessionInstants ?? ArraySlice(sessionDays.map { Int64($0.ordinal) * 86_400 })
        self.sessionTimes = sessionTimes ?? ArraySlice(Array(repeating: -1, count: sessionDays.count))
        self.site = site
        self.windowEnd = windowEnd
    }

    public var start: Day { sessionDays.first! }
    public var end: Day { sessionDays.last! }
    public var sessions: Int { sessionDays.count }
    /// The first session's instant.
    public var startInstant: Int64 { sessionInstants.first! }
    /// Whether the first session has a time of day (time points need one).
    public var startIsTimed: Bool { sessionTimes.first! >= 0 }

    /// The i-th session's date and time as written (1-based).
    public func sessionValue(_ i: Int) -> DateTimeValue? {
        guard let day = sessionDay(i) else { return nil }
        return DateTimeValue(day: day, storedTime: sessionTimes[sessionTimes.startIndex + i - 1])
    }

    /// `d(i)`, the date of the i-th session (1-based, as the contract counts).
    public func sessionDay(_ i: Int) -> Day? {
        i >= 1 && i <= sessionDays.count ? sessionDays[sessionDays.startIndex + i - 1] : nil
    }

    /// The instant of the i-th session (1-based).
    public func sessionInstant(_ i: Int) -> Int64? {
        i >= 1 && i <= sessionInstants.count ? sessionInstants[sessionInstants.startIndex + i - 1] : nil
    }

    /// A course is closed when `W ≤ C`; open courses are in no count.
    public func isClosed(asOf cut: Day) -> Bool { windowEnd <= cut }

    /// DATA-CONTRACT §6: the number of the course's sessions that come before
    /// a score at `instant`. At one instant the score comes first, so only
    /// sessions strictly earlier count.
    public func sessionsBefore(scoreAt instant: Int64) -> Int {
        var low = sessionInstants.startIndex, high = sessionInstants.endIndex
        while low < high {
            let mid = (low + high) / 2
            if sessionInstants[mid] < instant { low = mid + 1 } else { high = mid }
        }
        return low - sessionInstants.startIndex
    }
}

/// `W` and which case of DATA-CONTRACT §5 set it, for explaining a course to a person.
public struct WindowEnd: Hashable, Sendable {
    public enum Rule: Hashable, Sendable {
        /// `d(n) + g`: the acute course was complete.
        case acutePlusFollowUp(acuteSessions: Int)
        /// `d(n+1)`: the next session came before `d(n) + g`.
        case nextSession(acuteSessions: Int)
        /// `end + g`: no acute course, or fewer than `n` sessions.
        case endPlusFollowUp
        /// `start + h`: capped by the horizon.
        case horizon
    }

    public let day: Day
    public let rule: Rule
}

/// DATA-CONTRACT §5: window end `W`.
/// - with `n` acute sessions and at least `n` sessions: `d(n) + g`, or
///   `d(n+1)` if that is earlier;
/// - otherwise `end + g`;
/// - with a horizon `h`: at most `start + h`.
public func windowEnd(sessionDays days: ArraySlice<Day>, modality: Modality) -> Day {
    windowEndDetail(sessionDays: days, modality: modality).day
}

/// DATA-CONTRACT §5: window end `W` of session days given as an array.
public func windowEnd(sessionDays days: [Day], modality: Modality) -> Day {
    windowEnd(sessionDays: days[...], modality: modality)
}

/// DATA-CONTRACT §5: window end `W`, with the case that set it. Day
/// arithmetic uses dates alone.
public func windowEndDetail(sessionDays days: ArraySlice<Day>, modality: Modality) -> WindowEnd {
    /// d(i), 1-based as the contract counts.
    func d(_ i: Int) -> Day { days[days.startIndex + i - 1] }
    var end: WindowEnd
    if let n = modality.acuteSessions, days.count >= n {
        end = WindowEnd(day: d(n) + modality.followUpDays, rule: .acutePlusFollowUp(acuteSessions: n))
        if days.count > n, d(n + 1) < end.day { end = WindowEnd(day: d(n + 1), rule: .nextSession(acuteSessions: n)) }
    } else {
        end = WindowEnd(day: days.last! + modality.followUpDays, rule: .endPlusFollowUp)
    }
    if let horizon = modality.horizonDays, days.first! + horizon < end.day {
        end = WindowEnd(day: days.first! + horizon, rule: .horizon)
    }
    return end
}

/// DATA-CONTRACT §5: splits one patient's sessions of one modality into
/// courses. A session dated more than `gap days` after the previous one's
/// date starts a new course.
///
/// `sessions` are the patient's sessions of `modality` dated ≤ C, in instant
/// order (equal instants: smallest site first, then the untimed one first),
/// so that the first session's site is the course's site. `days` and
/// `instants` hold their dates and instants at the same indices; each
/// course's are slices of them.
public func buildCourses(patient: Int32, modalityIndex: Int, modality: Modality, sessions: ArraySlice<SessionEvent>,
                         days: ArraySlice<Day>, instants: ArraySlice<Int64>, times: ArraySlice<Int32>) -> [Course] {
    var courses: [Course] = []
    var first = sessions.startIndex
    func finish(before end: Int) {
        guard first < end else { return }
        let slice = days[first..<end]
        courses.append(Course(patient: patient, modality: modalityIndex, sessionDays: slice, sessionInstants: instants[first..<end],
                              sessionTimes: times[first..<end], site: sessions[first].site,
                              windowEnd: windowEnd(sessionDays: slice, modality: modality)))
        first = end
    }
    for index in sessions.indices where index > sessions.startIndex && days[index] - days[index - 1] > modality.gapDays {
        finish(before: index)
    }
    finish(before: sessions.endIndex)
    return courses
}

/// DATA-CONTRACT §5, for sessions given on their own (tests, one patient),
/// already in instant order.
public func buildCourses(patient: Int32, modalityIndex: Int, modality: Modality,
                         sessions: ArraySlice<SessionEvent>) -> [Course] {
    buildCourses(patient: patient, modalityIndex: modalityIndex, modality: modality,
                 sessions: Array(sessions)[...], days: sessions.map(\.day)[...], instants: sessions.map(\.instant)[...],
                 times: sessions.map(\.time)[...])
}
