/// The `detail` column of `course_results`: what a course record holds
/// besides its key columns (patient, modality, site, W), as variable-length
/// integers. A course of 10 sessions with two scales takes about 80 bytes,
/// so a report reads every stored course in a few pages per thousand.
///
/// Decoding checks every length, position and value against the catalogue:
/// a damaged or tampered value is a clear error, never a trap.
enum CourseRecordCoding {
    /// Bumped with any change to the layout below (part of the catalogue
    /// fingerprint through `OutcomeEngine.recordVersion`'s text).
    static let layoutVersion = 1

    static func encode(_ record: CourseRecord, into bytes: inout [UInt8]) {
        var writer = VarintWriter(bytes: bytes)
        let course = record.course
        writer.unsigned(course.sessions)
        var previous: Int32 = 0
        for index in 0..<course.sessions {
            let day = course.sessionDays[course.sessionDays.startIndex + index].ordinal
            writer.signed(Int(day) - Int(previous))
            writer.unsigned(Int(course.sessionTimes[course.sessionTimes.startIndex + index]) + 1)
            previous = day
        }
        writer.unsigned(record.outcomes.count)
        for (outcome, times) in zip(record.outcomes, record.times) {
            writer.unsigned(outcome.instrument)
            writer.unsigned(CourseStatus.allCases.firstIndex(of: outcome.status)!)
            writer.unsigned(outcome.followUps)
            writer.flags([outcome.isResponder, outcome.isCompleter])
            for flag in [outcome.isRemitter, outcome.isReliablyImproved, outcome.isReliablyDeteriorated, outcome.isRecovered] {
                writer.unsigned(flag.map { $0 ? 2 : 1 } ?? 0)
            }
            writer.unsigned(outcome.sessionsToResponse.map { $0 + 1 } ?? 0)
            for score in [outcome.baseline, outcome.endpoint, outcome.earlyResponse, outcome.firstResponse] { writer.score(score) }
            writer.unsigned(outcome.timePointScores.count)
            outcome.timePointScores.forEach { writer.score($0) }
            if let times {
                writer.unsigned(1)
                writer.survival(times.toResponse)
                writer.unsigned(times.durability == nil ? 0 : 1)
                if let durability = times.durability { writer.survival(durability) }
            } else {
                writer.unsigned(0)
            }
        }
        bytes = writer.bytes
    }

    /// The record stored for `patient`'s course of modality position
    /// `modality` at site `site`, judged on `windowEnd`.
    static func decode(_ bytes: UnsafeRawBufferPointer, patient: Int32, modality: Int, site: Int32, windowEnd: Day,
                       catalog: Catalog) throws -> CourseRecord {
        var reader = VarintReader(bytes: bytes)
        guard catalog.modalities.indices.contains(modality) else { throw reader.damaged("modality position \(modality)") }
        let sessions = try reader.unsigned(limit: 1_000_000)
        guard sessions > 0 else { throw reader.damaged("a course without sessions") }
        var days: [Day] = [], instants: [Int64] = [], times: [Int32] = []
        days.reserveCapacity(sessions)
        instants.reserveCapacity(sessions)
        times.reserveCapacity(sessions)
        var day = 0
        for index in 0..<sessions {
            let step = try reader.signed()
            day = index == 0 ? step : day + step
            let time = try reader.unsigned(limit: 86_400) - 1
            guard let ordinal = Int32(exactly: day) else { throw reader.damaged("a session day") }
            days.append(Day(ordinal: ordinal))
            times.append(Int32(time))
            instants.append(Int64(ordinal) * 86_400 + Int64(max(time, 0)))
        }
        let course = Course(patient: patient, modality: modality, sessionDays: days[...], sessionInstants: instants[...],
                            sessionTimes: times[...], site: site, windowEnd: windowEnd)
        let count = try reader.unsigned(limit: catalog.instruments.count)
        var outcomes: [InstrumentOutcome] = [], scoreTimes: [OutcomeEngine.ScoreTimes?] = []
        for _ in 0..<count {
            let instrument = try reader.unsigned(limit: catalog.instruments.count - 1)
            let status = CourseStatus.allCases[try reader.unsigned(limit: CourseStatus.allCases.count - 1)]
            let followUps = try reader.unsigned(limit: Int(Int32.max))
            let flags = try reader.flags(2)
            let optionalFlags = try (0..<4).map { _ in try reader.optionalFlag() }
            let toResponse = try reader.unsigned(limit: Int(Int32.max))
            let scores = try (0..<4).map { _ in try reader.score(patient: patient, instrument: instrument) }
            let points = try reader.unsigned(limit: catalog.modalities[modality].timePoints.count)
            let pointScores = try (0..<points).map { _ in try reader.score(patient: patient, instrument: instrument) }
            outcomes.append(InstrumentOutcome(
                instrument: instrument, status: status, baseline: scores[0], endpoint: scores[1], followUps: followUps,
                isResponder: flags[0], isRemitter: optionalFlags[0], isReliablyImproved: optionalFlags[1],
                isReliablyDeteriorated: optionalFlags[2], isRecovered: optionalFlags[3], isCompleter: flags[1],
                earlyResponse: scores[2], firstResponse: scores[3], sessionsToResponse: toResponse == 0 ? nil : toResponse - 1,
                timePointScores: pointScores))
            if try reader.unsigned(limit: 1) == 1 {
                let response = try reader.survival()
                let durability = try reader.unsigned(limit: 1) == 1 ? try reader.survival() : nil
                scoreTimes.append(OutcomeEngine.ScoreTimes(toResponse: response, durability: durability))
            } else {
                scoreTimes.append(nil)
            }
        }
        guard reader.isAtEnd else { throw reader.damaged("bytes after the last outcome") }
        return CourseRecord(course: course, outcomes: outcomes, times: scoreTimes)
    }
}

/// Appends LEB128 integers (zigzag for signed ones).
private struct VarintWriter {
    var bytes: [UInt8]

    mutating func unsigned(_ value: Int) {
        var rest = UInt64(value)
        while rest >= 0x80 {
            bytes.append(UInt8(rest & 0x7F) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }

    mutating func signed(_ value: Int) { unsigned(Int(bitPattern: UInt(bitPattern: (value << 1) ^ (value >> 63)))) }

    mutating func flags(_ values: [Bool]) {
        unsigned(values.enumerated().reduce(0) { $0 | ($1.element ? 1 << $1.offset : 0) })
    }

    mutating func score(_ score: ScoreEvent?) {
        guard let score else { return unsigned(0) }
        unsigned(1)
        signed(Int(score.day.ordinal))
        unsigned(Int(score.time) + 1)
        signed(Int(score.score))
        unsigned(Int(score.item9) + 1)
    }

    mutating func survival(_ time: SurvivalTime) {
        signed(time.time)
        unsigned(time.isEvent ? 1 : 0)
    }
}

/// Reads what `VarintWriter` wrote, checking every bound.
private struct VarintReader {
    let bytes: UnsafeRawBufferPointer
    var position = 0

    init(bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    var isAtEnd: Bool { position == bytes.count }

    func damaged(_ what: String) -> StoreError {
        StoreError.inconsistent("a stored course result is damaged (\(what)); `outcomes doctor --deep` checks them, and deleting the store's course_results rebuilds them")
    }

    mutating func raw() throws -> UInt64 {
        var value: UInt64 = 0, shift: UInt64 = 0
        while true {
            guard position < bytes.count, shift < 64 else { throw damaged("a number runs past its end") }
            let byte = bytes[position]
            position += 1
            value |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return value }
            shift += 7
        }
    }

    mutating func unsigned(limit: Int) throws -> Int {
        let value = try raw()
        guard value <= UInt64(limit) else { throw damaged("a value of \(value) where at most \(limit) is possible") }
        return Int(value)
    }

    mutating func signed() throws -> Int {
        let value = try raw()
        let decoded = Int64(bitPattern: value >> 1) ^ -Int64(bitPattern: value & 1)
        guard let narrow = Int32(exactly: decoded) else { throw damaged("a value of \(decoded) out of range") }
        return Int(narrow)
    }

    mutating func flags(_ count: Int) throws -> [Bool] {
        let value = try unsigned(limit: (1 << count) - 1)
        return (0..<count).map { value & (1 << $0) != 0 }
    }

    mutating func optionalFlag() throws -> Bool? {
        switch try unsigned(limit: 2) {
        case 0: return nil
        case 1: return false
        default: return true
        }
    }

    mutating func score(patient: Int32, instrument: Int) throws -> ScoreEvent? {
        guard try unsigned(limit: 1) == 1 else { return nil }
        let day = try signed(), time = try unsigned(limit: 86_400) - 1, score = try signed(), item9 = try unsigned(limit: 4) - 1
        guard Catalog.scoreRange.contains(score) else { throw damaged("a score of \(score)") }
        return ScoreEvent(patient: patient, instrument: instrument, day: Day(ordinal: Int32(day)), time: Int32(time),
                          score: Int32(score), item9: Int8(item9))
    }

    mutating func survival() throws -> SurvivalTime {
        SurvivalTime(time: try signed(), isEvent: try unsigned(limit: 1) == 1)
    }
}
