/// One synthetic session row before it is written.
struct PlannedSession {
    let day: Day
    /// Seconds since midnight, or nil for an export without a time.
    var time: Int32? = nil
    /// The modality as the export spells it (an id or an alias).
    let modality: String
    let site: String
}

/// One synthetic score row before it is written.
struct PlannedScore {
    let day: Day
    /// Seconds since midnight, or nil for an export without a time.
    var time: Int32? = nil
    /// The instrument as the export spells it.
    let instrument: String
    let score: Int
    /// PHQ-9 item 9, when recorded.
    let item9: Int?
}

/// How a patient's symptoms move during a course.
struct Trajectory {
    /// Endpoint as a fraction of baseline (0.3: a 70 % fall; 1.2: worse).
    let endFraction: Double
    /// Days to half of the change: small for ketamine, larger for TMS.
    let halfLife: Double

    /// The fraction of baseline expected `days` after the start.
    func fraction(after days: Int) -> Double {
        let t = Double(max(days, 0))
        return 1 - (1 - endFraction) * t / (t + halfLife)
    }
}

/// Simulates one patient's treatment: the sessions of one or two courses and
/// the rating scales taken around them. Everything is drawn from the
/// patient's own random stream, so a patient's rows do not depend on how many
/// other patients there are.
struct SyntheticPatient {
    static let sites = ["St. Augustine", "Jacksonville", "Gainesville", "Ponte Vedra"]
    static let siteWeights = [0.36, 0.30, 0.20, 0.14]

    /// Share of patients per modality, roughly a mixed interventional practice.
    static let modalityWeights: [(id: String, weight: Double)] = [
        ("ketamine_iv", 0.24), ("esketamine", 0.12), ("tms", 0.18), ("ort", 0.18),
        ("lai", 0.10), ("bhrt", 0.10), ("ait", 0.08),
    ]

    /// How exports spell each modality.
    static let spellings: [String: [String]] = [
        "ketamine_iv": ["Ketamine Infusion", "ketamine", "IV Ketamine"],
        "esketamine": ["Spravato", "esketamine"],
        "tms": ["NeuroStar TMS", "TMS", "rTMS"],
        "ort": ["Suboxone", "buprenorphine", "MOUD"],
        "lai": ["Invega Sustenna", "LAI", "paliperidone"],
        "bhrt": ["HRT", "bhrt"],
        "ait": ["Allergy Shots", "SCIT"],
    ]

    var random: SyntheticRandom
    let from: Day
    let to: Day
    var sessions: [PlannedSession] = []
    var scores: [PlannedScore] = []
    private var site: String = ""
    /// Instrument, day and time already scored, so that a patient never has
    /// two scores under one key (that would be a conflict, which only the
    /// messy-row injector should make).
    private var scoredKeys = Set<Int64>()

    init(seed: UInt64, index: Int, from: Day, to: Day) {
        random = SyntheticRandom(seed: seed, stream: UInt64(index))
        self.from = from
        self.to = to
    }

    mutating func simulate() {
        site = Self.sites[random.weighted(Self.siteWeights)]
        let modality = Self.modalityWeights[random.weighted(Self.modalityWeights.map(\.weight))].id
        let span = to - from
        // Long treatments (ORT, LAI, AIT) may have started before the window.
        let lead = ["ort", "lai", "ait"].contains(modality) ? 180 : 30
        let start = from - lead + random.int(0...(span + lead))
        simulateCourse(modality, start: start)
        // Some come back for a second course after a relapse.
        if ["ketamine_iv", "esketamine", "tms"].contains(modality), random.chance(0.18) {
            let restart = (sessions.last?.day ?? start) + random.int(120...300)
            if restart <= to { simulateCourse(modality, start: restart) }
        }
        sessions.removeAll { $0.day > to }
        scores.removeAll { $0.day > to }
    }

    private mutating func simulateCourse(_ modality: String, start: Day) {
        switch modality {
        case "ketamine_iv": ketamine(start)
        case "esketamine": esketamine(start)
        case "tms": tms(start)
        case "ort": ort(start)
        case "lai": lai(start)
        case "bhrt": hormoneTherapy(start)
        default: immunotherapy(start)
        }
    }

    // MARK: Schedules

    /// Six infusions over 2–3 weeks, some boosters; a few stop early.
    private mutating func ketamine(_ start: Day) {
        var days = [start]
        for _ in 1..<6 { days.append(days.last! + random.int(2...4)) }
        if random.chance(0.12) { days = Array(days.prefix(random.int(1...4))) }
        else if random.chance(0.5) {
            for _ in 0..<random.int(1...4) { days.append(days.last! + random.int(21...42)) }
        }
        let times = clinicTimes(count: days.count, chance: 0.6)
        addSessions(days, modality: "ketamine_iv", times: times)
        let trajectory = drawTrajectory(responders: 0.55, partial: 0.2, worse: 0.05, halfLife: 3)
        let acuteEnd = days[min(5, days.count - 1)]
        let phq9Baseline = selfReport("phq9", days: days, start: start, trajectory: trajectory, baselineMean: 18,
                                      extra: [acuteEnd + random.int(7...14)])
        postDose("phq9", baseline: phq9Baseline, start: start, firstTime: times[0], trajectory: trajectory)
        selfReport("gad7", days: days, start: start, trajectory: trajectory, baselineMean: 14, extra: [])
        if random.chance(0.45) {
            let baseline = clinicianRated("madrs", at: [start, acuteEnd + random.int(0...10)], start: start, trajectory: trajectory,
                                          baselineMean: 30)
            postDose("madrs", baseline: baseline, start: start, firstTime: times[0], trajectory: trajectory)
        }
        if random.chance(0.3) {
            selfReport("pcl5", days: [start, acuteEnd], start: start, trajectory: trajectory, baselineMean: 48, extra: [])
        }
    }

    /// Twice weekly for four weeks, then weekly.
    private mutating func esketamine(_ start: Day) {
        var days = [start]
        for index in 1..<8 { days.append(days.last! + (index % 2 == 1 ? 3 : 4)) }
        for _ in 0..<random.int(0...8) { days.append(days.last! + random.int(6...9)) }
        if random.chance(0.15) { days = Array(days.prefix(random.int(2...6))) }
        let times = clinicTimes(count: days.count, chance: 0.6)
        addSessions(days, modality: "esketamine", times: times)
        let trajectory = drawTrajectory(responders: 0.5, partial: 0.25, worse: 0.05, halfLife: 5)
        let weekly = stride(from: 0, to: days.count, by: 2).map { days[$0] }
        let phq9Baseline = selfReport("phq9", days: weekly, start: start, trajectory: trajectory, baselineMean: 18, extra: [])
        postDose("phq9", baseline: phq9Baseline, start: start, firstTime: times[0], trajectory: trajectory)
        let madrsBaseline = clinicianRated("madrs", at: [start, days[min(7, days.count - 1)] + random.int(0...7)], start: start,
                                           trajectory: trajectory, baselineMean: 31)
        postDose("madrs", baseline: madrsBaseline, start: start, firstTime: times[0], trajectory: trajectory)
    }

    /// 36 weekday sessions (a few missed days), gradual response.
    private mutating func tms(_ start: Day) {
        var first = start
        while Self.isWeekend(first) { first = first + 1 }
        var days: [Day] = []
        var current = first
        while days.count < 36 {
            if !Self.isWeekend(current), !random.chance(0.04) { days.append(current) }
            current = current + 1
        }
        if random.chance(0.1) { days = Array(days.prefix(random.int(3...25))) }
        addSessions(days, modality: "tms", times: clinicTimes(count: days.count, chance: 0.3))
        let trajectory = drawTrajectory(responders: 0.55, partial: 0.22, worse: 0.03, halfLife: 5)
        let weekly = stride(from: 0, to: days.count, by: 5).map { days[$0] }
        selfReport("phq9", days: weekly, start: first, trajectory: trajectory, baselineMean: 18,
                   extra: [days.last! + random.int(0...10)])
        selfReport("gad7", days: [first, days.last!], start: first, trajectory: trajectory, baselineMean: 13, extra: [])
    }

    /// Weekly visits, then monthly; many leave within six months.
    private mutating func ort(_ start: Day) {
        let stays = random.chance(0.55)
        let length = stays ? random.int(200...720) : random.int(1...170)
        var days = [start]
        let weeklyPhase = random.int(4...12) * 7
        while true {
            let step = days.last! - start < weeklyPhase ? 7 : 28
            let next = days.last! + step + random.int(-1...2)
            if next - start > length { break }
            days.append(next)
        }
        addSessions(days, modality: "ort")
        let trajectory = drawTrajectory(responders: 0.4, partial: 0.3, worse: 0.08, halfLife: 25)
        let monthly = days.enumerated().filter { $0.offset == 0 || ($0.element - start) % 28 < 7 }.map(\.element)
        selfReport("phq9", days: monthly, start: start, trajectory: trajectory, baselineMean: 14, extra: [])
        selfReport("gad7", days: monthly, start: start, trajectory: trajectory, baselineMean: 12, extra: [])
    }

    /// Monthly injections for months to years.
    private mutating func lai(_ start: Day) {
        var days = [start]
        let months = random.int(2...24)
        for _ in 0..<months { days.append(days.last! + random.int(26...31)) }
        addSessions(days, modality: "lai")
        let trajectory = drawTrajectory(responders: 0.45, partial: 0.3, worse: 0.07, halfLife: 60)
        let assessments = stride(from: 0, to: days.count, by: 2).map { days[$0] }
        clinicianRated("bprs", at: assessments, start: start, trajectory: trajectory, baselineMean: 58)
        clinicianRated("cgi_s", at: assessments, start: start, trajectory: trajectory, baselineMean: 5)
        if random.chance(0.4) { clinicianRated("ymrs", at: assessments, start: start, trajectory: trajectory, baselineMean: 26) }
        if random.chance(0.3) { selfReport("phq9", days: assessments, start: start, trajectory: trajectory, baselineMean: 12, extra: []) }
    }

    /// A few visits months apart.
    private mutating func hormoneTherapy(_ start: Day) {
        var days = [start]
        for _ in 0..<random.int(0...5) { days.append(days.last! + random.int(42...100)) }
        addSessions(days, modality: "bhrt")
        let trajectory = drawTrajectory(responders: 0.55, partial: 0.25, worse: 0.04, halfLife: 15)
        selfReport("mrs", days: [start, start + random.int(40...80)], start: start, trajectory: trajectory,
                   baselineMean: 18, extra: [])
    }

    /// Weekly build-up injections, then maintenance every 3–4 weeks.
    private mutating func immunotherapy(_ start: Day) {
        var days = [start]
        let buildUp = random.int(12...20)
        for _ in 0..<buildUp { days.append(days.last! + random.int(6...8)) }
        for _ in 0..<random.int(0...30) { days.append(days.last! + random.int(21...28)) }
        addSessions(days, modality: "ait")
        let trajectory = drawTrajectory(responders: 0.4, partial: 0.3, worse: 0.05, halfLife: 90)
        let assessments = stride(from: 0, to: days.count, by: 6).map { days[$0] }
        selfReport("tnss", days: assessments, start: start, trajectory: trajectory, baselineMean: 8, extra: [])
    }

    // MARK: Rows

    private mutating func addSessions(_ days: [Day], modality: String, times: [Int32?]? = nil) {
        let spellings = Self.spellings[modality]!
        let spelling = spellings[random.weighted(spellings.indices.map { $0 == 0 ? 6 : 1 })]
        for (index, day) in days.enumerated() {
            // Now and then a session is charted at another site.
            let where_ = random.chance(0.03) ? Self.sites[random.weighted(Self.siteWeights)] : site
            sessions.append(PlannedSession(day: day, time: times?[index], modality: spelling, site: where_))
        }
    }

    /// Clinic times for a course's sessions (a share of courses only; other
    /// exports give dates alone): the patient's usual slot, 07:30 to 16:00,
    /// give or take an hour, on quarter hours.
    private mutating func clinicTimes(count: Int, chance: Double) -> [Int32?] {
        guard random.chance(chance) else { return Array(repeating: nil, count: count) }
        let slot = random.int(30...64) * 15   // minutes since midnight: 07:30 to 16:00
        return (0..<count).map { _ in Int32(max(7 * 60, min(17 * 60, slot + random.int(-4...4) * 15)) * 60) }
    }

    /// Scores read within hours of a timed first dose (ketamine, esketamine):
    /// sometimes a pre-dose score on the day, and post-dose scores about 4 h
    /// (2–8 h) and about 24 h later, showing the drug's rapid effect.
    private mutating func postDose(_ instrument: String, baseline: Double?, start: Day, firstTime: Int32?, trajectory: Trajectory) {
        guard let firstTime, let baseline, let spec = Catalog.standard.instrument(named: instrument) else { return }
        let range = Double(spec.max - spec.floor)
        // The rapid effect: a drop of some of the course's eventual change, more for those who respond.
        let rapid = (1 - trajectory.endFraction) * (0.35 + random.unit() * 0.5)
        if random.chance(0.3) {
            let before = Int64(firstTime) - Int64(random.int(2...6) * 15 * 60)
            if before >= 0 { addTimed(instrument, spec: spec, value: baseline + random.normal(mean: 0, sd: max(1, range * 0.03)), at: start, offset: before) }
        }
        if random.chance(0.75) {
            let offset = Int64(firstTime) + Int64(random.int(150...420) * 60)
            addTimed(instrument, spec: spec, value: baseline * (1 - rapid * 0.8) + random.normal(mean: 0, sd: max(1, range * 0.04)),
                     at: start, offset: offset)
        }
        if random.chance(0.6) {
            let offset = Int64(firstTime) + Int64(random.int(20 * 60...30 * 60) * 60)
            addTimed(instrument, spec: spec, value: baseline * (1 - rapid) + random.normal(mean: 0, sd: max(1, range * 0.04)),
                     at: start, offset: offset)
        }
    }

    /// A score `offset` seconds after the start of `day` (may fall on a later day).
    private mutating func addTimed(_ instrument: String, spec: Instrument, value: Double, at day: Day, offset: Int64) {
        let score = min(max(Int(value.rounded()), spec.floor), spec.max)
        add(score: score, instrument: instrument, spec: spec, day: day + Int(offset / 86_400), time: Int32(offset % 86_400))
    }

    private mutating func drawTrajectory(responders: Double, partial: Double, worse: Double, halfLife: Double) -> Trajectory {
        let kind = random.weighted([responders, partial, 1 - responders - partial - worse, worse])
        let fraction: Double
        switch kind {
        case 0: fraction = random.unit() * 0.34
        case 1: fraction = 0.52 + random.unit() * 0.2
        case 2: fraction = 0.75 + random.unit() * 0.3
        default: fraction = 1.15 + random.unit() * 0.35
        }
        return Trajectory(endFraction: fraction, halfLife: halfLife * (0.6 + random.unit() * 0.8))
    }

    /// A self-report scale: a baseline around the first session (sometimes
    /// early, late or missing) and a score on the given days. Returns the
    /// patient's true baseline severity.
    @discardableResult
    private mutating func selfReport(_ instrument: String, days: [Day], start: Day, trajectory: Trajectory,
                                     baselineMean: Double, extra: [Day]) -> Double? {
        scoreSeries(instrument, days: days + extra, start: start, trajectory: trajectory, baselineMean: baselineMean,
                    attendance: 0.85)
    }

    @discardableResult
    private mutating func clinicianRated(_ instrument: String, at days: [Day], start: Day, trajectory: Trajectory,
                                         baselineMean: Double) -> Double? {
        scoreSeries(instrument, days: days, start: start, trajectory: trajectory, baselineMean: baselineMean, attendance: 0.9)
    }

    private mutating func scoreSeries(_ instrument: String, days: [Day], start: Day, trajectory: Trajectory,
                                      baselineMean: Double, attendance: Double) -> Double? {
        guard let spec = Catalog.standard.instrument(named: instrument) else { return nil }
        let range = Double(spec.max - spec.floor)
        // A mild case now and then: below the instrument's threshold.
        let mild = random.chance(0.1)
        let baseline = mild ? Double(spec.floor) + Double(spec.minBaseline - spec.floor) * random.unit()
                            : random.normal(mean: baselineMean, sd: range * 0.08)
        for (index, scheduled) in days.enumerated() {
            var when = scheduled
            if index == 0 {
                // Baseline: usually the first session day, sometimes days before,
                // sometimes too early or late to count, sometimes never taken.
                let draw = random.unit()
                if draw < 0.05 { continue }
                else if draw < 0.08 { when = start - random.int(31...45) }
                else if draw < 0.11 { when = start + random.int(1...3) }
                else if draw < 0.3 { when = start - random.int(1...14) }
            } else if !random.chance(attendance) {
                continue
            }
            let expected = baseline * trajectory.fraction(after: when - start)
            let noise = random.normal(mean: 0, sd: max(1, range * 0.04))
            let value = Int((expected + noise).rounded())
            let score = min(max(value, spec.floor), spec.max)
            add(score: score, instrument: instrument, spec: spec, day: when)
        }
        return baseline
    }

    private mutating func add(score: Int, instrument: String, spec: Instrument, day: Day, time: Int32? = nil) {
        let key = (Int64(day.ordinal) << 26 | Int64(time.map { $0 + 1 } ?? 0)) << 8 | Int64(Catalog.standard.instrumentIndex(id: spec.id) ?? 0)
        guard scoredKeys.insert(key).inserted else { return }
        var item9: Int? = nil
        if instrument == "phq9", random.chance(0.9) {
            let risk = Double(score) / 27
            item9 = random.chance(risk * 0.5) ? random.int(1...3) : 0
        }
        let spelling = instrument == "phq9" && random.chance(0.3) ? "PHQ-9" : instrument
        scores.append(PlannedScore(day: day, time: time, instrument: spelling, score: score, item9: item9))
    }

    static func isWeekend(_ day: Day) -> Bool {
        // 1970-01-01 was a Thursday: ordinal 2 is Saturday, 3 Sunday.
        let weekday = ((Int(day.ordinal) % 7) + 7) % 7
        return weekday == 2 || weekday == 3
    }
}
