import Foundation

/// What `outcomes synth` makes.
public struct SyntheticOptions: Sendable {
    public var patients: Int
    public var seed: UInt64
    /// First and last day of the export period.
    public var from: Day
    public var to: Day
    /// Share of extra messy rows (every reject kind, plus exact duplicates).
    public var messyRate: Double
    /// Number of files per kind, each covering a consecutive slice of the period.
    public var split: Int
    /// How the files spell their headers and names, and in which order rows come.
    public var style: SyntheticStyle = .plain

    public init(patients: Int, seed: UInt64, from: Day, to: Day, messyRate: Double, split: Int, style: SyntheticStyle = .plain) {
        self.style = style
        self.patients = patients
        self.seed = seed
        self.from = from
        self.to = to
        self.messyRate = messyRate
        self.split = split
    }

    /// The fixed default period: the 24 months up to 2026-10. Fixed rather
    /// than relative to today, so the same arguments give the same bytes on
    /// any day.
    public static let defaultFrom = Day(iso: "2024-11-01")!
    public static let defaultTo = Day(iso: "2026-10-31")!
}

/// How `outcomes synth` writes its rows.
public enum SyntheticStyle: String, CaseIterable, Sendable {
    /// This project's own spelling: lower-case headers and ids, rows grouped by patient.
    case plain
    /// Exports as other tools write them: a byte-order mark, headers in upper
    /// and mixed case, modalities and instruments as catalogue aliases in mixed
    /// case, patients in random order and rows shuffled among neighbouring
    /// patients. The same rows as `plain`, so the outcomes are the same.
    case messyHeaders = "messy-headers"
}

/// Counts of what was written.
public struct SyntheticSummary: Sendable {
    public var files: [String] = []
    public var sessionRows = 0
    public var scoreRows = 0
    public var messyRows = 0
    public var bytes = 0
    /// What the ingest must make of the messy rows: rejects per contract reason,
    /// and exact duplicates (counted, not stored). Every other row is stored.
    public var expectedRejects: [RejectReason: Int] = [:]
    public var expectedDuplicates = 0
    public var rows: Int { sessionRows + scoreRows }
}

/// Writes deterministic synthetic sessions and scores exports: realistic
/// schedules and trajectories (SyntheticPatient), split by period, with a
/// controlled rate of messy rows of every kind the ingest must catch.
public enum SyntheticExport {
    /// The messy-row kinds for each file kind. Every reject reason of DATA-CONTRACT §2
    /// is here, plus exact duplicates (counted, not rejected).
    enum Mess: CaseIterable {
        case badEncoding, malformed, missingField, badPatientID, badDate, unknownName, badScore, outOfRange,
             conflictingDuplicate, exactDuplicate
    }

    public static func write(_ options: SyntheticOptions, to folder: String) throws -> SyntheticSummary {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let periods = SyntheticExport.periods(from: options.from, to: options.to, count: max(1, options.split))
        func fileName(_ kind: String, _ index: Int) -> String {
            periods.count == 1 ? "\(kind).csv" : "\(kind)_\(periods[index].first)_\(periods[index].last).csv"
        }
        let split = periods.count
        let sessionFiles = try (0..<split).map { try BufferedFile(path: (folder as NSString).appendingPathComponent(fileName("sessions", $0))) }
        let scoreFiles = try (0..<split).map { try BufferedFile(path: (folder as NSString).appendingPathComponent(fileName("scores", $0))) }
        let messyStyle = options.style == .messyHeaders
        for file in sessionFiles {
            file.append(messyStyle ? "\u{FEFF}PATIENT_ID,Session_Date,MODALITY,SITE\n" : "patient_id,session_date,modality,site\n")
        }
        for file in scoreFiles {
            file.append(messyStyle ? "\u{FEFF}Patient_ID,ASSESSMENT_DATE,Instrument,SCORE,Item9\n" : "patient_id,assessment_date,instrument,score,item9\n")
        }
        if messyStyle {
            for (index, file) in (sessionFiles + scoreFiles).enumerated() {
                file.shuffle = SyntheticRandom(seed: options.seed ^ 0x5B0F_F1E5, stream: UInt64(index))
            }
        }
        let spellings = SyntheticSpellings(catalog: .standard)

        func slice(_ day: Day) -> Int {
            var low = 0, high = split - 1
            while low < high {
                let mid = (low + high + 1) / 2
                if periods[mid].first <= day { low = mid } else { high = mid - 1 }
            }
            return low
        }

        var summary = SyntheticSummary()
        var line: [UInt8] = []
        line.reserveCapacity(128)
        for position in 0..<options.patients {
            // The messy style writes patients in a shuffled order (a bijection of their numbers, so each is written once).
            let index = messyStyle ? shuffledPosition(position, count: options.patients, seed: options.seed) : position
            var patient = SyntheticPatient(seed: options.seed, index: index, from: options.from, to: options.to)
            patient.simulate()
            let id = pseudonym(index)
            var mess = SyntheticRandom(seed: options.seed ^ 0x5EED_0F_BAD, stream: UInt64(index))
            var spelling = SyntheticRandom(seed: options.seed ^ 0xA11A_5E5, stream: UInt64(index))
            if messyStyle, position % BufferedFile.shuffleWindowPatients == 0 {
                for file in sessionFiles + scoreFiles { file.writeShuffled() }
            }
            for session in patient.sessions where session.day >= options.from {
                line.removeAll(keepingCapacity: true)
                let modality = messyStyle ? spellings.modality(session.modality, &spelling) : session.modality
                sessionLine(&line, id: id, day: session.day, time: session.time, modality: modality, site: session.site)
                let file = sessionFiles[slice(session.day)]
                file.append(line)
                summary.sessionRows += 1
                if mess.chance(options.messyRate) {
                    summary.expect(messySession(&mess, id: id, session: session, into: file))
                }
            }
            for score in patient.scores where score.day >= options.from {
                line.removeAll(keepingCapacity: true)
                let instrument = messyStyle ? spellings.instrument(score.instrument, &spelling) : score.instrument
                scoreLine(&line, id: id, day: score.day, time: score.time, instrument: instrument, score: String(score.score),
                          item9: score.item9)
                let file = scoreFiles[slice(score.day)]
                file.append(line)
                summary.scoreRows += 1
                if mess.chance(options.messyRate) {
                    summary.expect(messyScore(&mess, id: id, score: score, into: file))
                }
            }
        }
        for file in sessionFiles + scoreFiles {
            try file.close()
            summary.bytes += file.bytesWritten
            summary.files.append((file.path as NSString).lastPathComponent)
        }
        summary.files.sort()
        return summary
    }

    /// `count` consecutive periods covering `from...to`: whole calendar months
    /// when the period spans at least `count` months (so `--split 24` over two
    /// years gives monthly exports), else equal runs of days.
    static func periods(from: Day, to: Day, count: Int) -> [(first: Day, last: Day)] {
        let firstMonth = YearMonth(containing: from), lastMonth = YearMonth(containing: to)
        let months = (lastMonth.year * 12 + lastMonth.month) - (firstMonth.year * 12 + firstMonth.month) + 1
        var starts: [Day]
        if months >= count {
            starts = (0..<count).map { max(from, firstMonth.adding(months: $0 * months / count).firstDay) }
        } else {
            let days = to - from + 1
            starts = (0..<count).map { from + $0 * days / count }
        }
        starts = starts.reduce(into: []) { result, start in if result.last != start { result.append(start) } }
        return starts.indices.map { index in
            (starts[index], index + 1 < starts.count ? starts[index + 1] - 1 : to)
        }
    }

    /// Position `position` of a shuffled order of `0..<count`: a bijection
    /// (an affine map modulo `count` with a multiplier prime to it), so every
    /// patient is written exactly once without holding the order in memory.
    static func shuffledPosition(_ position: Int, count: Int, seed: UInt64) -> Int {
        guard count > 1 else { return position }
        var multiplier = Int(seed % UInt64(count)) | 1
        func gcd(_ a: Int, _ b: Int) -> Int { b == 0 ? a : gcd(b, a % b) }
        while gcd(multiplier, count) != 1 { multiplier += 2 }
        let offset = Int((seed >> 17) % UInt64(count))
        return Int((UInt64(position) &* UInt64(multiplier) &+ UInt64(offset)) % UInt64(count))
    }

    /// A stable pseudonym for patient `index`: `P` and seven base-32
    /// characters of a 32-bit bijective mix, unique and not sequential.
    static func pseudonym(_ index: Int) -> String {
        var x = UInt32(truncatingIfNeeded: index)
        x = (x ^ (x >> 16)) &* 0x7FEB_352D
        x = (x ^ (x >> 15)) &* 0x846C_A68B
        x ^= x >> 16
        let alphabet = Array("ABCDEFGHJKMNPQRSTVWXYZ0123456789".utf8)
        var characters: [UInt8] = [UInt8(ascii: "P")]
        for shift in stride(from: 30, through: 0, by: -5) { characters.append(alphabet[Int((x >> UInt32(shift)) & 31)]) }
        return String(decoding: characters, as: UTF8.self)
    }

    // MARK: Lines

    static func sessionLine(_ line: inout [UInt8], id: String, day: Day?, time: Int32? = nil, dayText: String? = nil,
                            modality: String, site: String?) {
        line.append(contentsOf: id.utf8)
        line.append(UInt8(ascii: ","))
        if let day { appendISO(day, time: time, to: &line) } else { line.append(contentsOf: (dayText ?? "").utf8) }
        line.append(UInt8(ascii: ","))
        line.append(contentsOf: modality.utf8)
        if let site {
            line.append(UInt8(ascii: ","))
            appendField(site, to: &line)
        }
        line.append(0x0A)
    }

    static func scoreLine(_ line: inout [UInt8], id: String, day: Day?, time: Int32? = nil, dayText: String? = nil,
                          instrument: String, score: String, item9: Int?) {
        line.append(contentsOf: id.utf8)
        line.append(UInt8(ascii: ","))
        if let day { appendISO(day, time: time, to: &line) } else { line.append(contentsOf: (dayText ?? "").utf8) }
        line.append(UInt8(ascii: ","))
        line.append(contentsOf: instrument.utf8)
        line.append(UInt8(ascii: ","))
        line.append(contentsOf: score.utf8)
        line.append(UInt8(ascii: ","))
        if let item9 { line.append(UInt8(ascii: "0") + UInt8(item9)) }
        line.append(0x0A)
    }

    private static func appendField(_ text: String, to line: inout [UInt8]) {
        if text.utf8.contains(UInt8(ascii: ",")) || text.utf8.contains(UInt8(ascii: "\"")) {
            line.append(contentsOf: CSVFormat.quoted(text).utf8)
        } else {
            line.append(contentsOf: text.utf8)
        }
    }

    /// `YYYY-MM-DD`, or `YYYY-MM-DDTHH:MM` with a time, without going through String.
    static func appendISO(_ day: Day, time: Int32? = nil, to line: inout [UInt8]) {
        let (year, month, dayOfMonth) = day.civil
        for divisor in [1000, 100, 10, 1] { line.append(UInt8(ascii: "0") + UInt8(year / divisor % 10)) }
        line.append(UInt8(ascii: "-"))
        line.append(UInt8(ascii: "0") + UInt8(month / 10))
        line.append(UInt8(ascii: "0") + UInt8(month % 10))
        line.append(UInt8(ascii: "-"))
        line.append(UInt8(ascii: "0") + UInt8(dayOfMonth / 10))
        line.append(UInt8(ascii: "0") + UInt8(dayOfMonth % 10))
        if let time {
            let hours = Int(time / 3600), minutes = Int(time % 3600 / 60)
            line.append(UInt8(ascii: "T"))
            line.append(contentsOf: [UInt8(ascii: "0") + UInt8(hours / 10), UInt8(ascii: "0") + UInt8(hours % 10), UInt8(ascii: ":"),
                                     UInt8(ascii: "0") + UInt8(minutes / 10), UInt8(ascii: "0") + UInt8(minutes % 10)])
        }
    }

    // MARK: Messy rows

    /// Writes one messy session row and says what the ingest must make of it.
    private static func messySession(_ random: inout SyntheticRandom, id: String, session: PlannedSession,
                                     into file: BufferedFile) -> RejectReason? {
        var line: [UInt8] = []
        let kinds: [Mess] = [.badEncoding, .malformed, .missingField, .badPatientID, .badDate, .unknownName,
                             .conflictingDuplicate, .exactDuplicate]
        let kind = random.pick(kinds)
        defer { file.append(line) }
        switch kind {
        case .badEncoding:
            // A Latin-1 export: "Ponte Védra" with é as the single byte 0xE9.
            sessionLine(&line, id: id, day: session.day, time: session.time, modality: session.modality, site: "")
            line.removeLast()
            line.append(contentsOf: Array("Ponte V".utf8) + [0xE9] + Array("dra\n".utf8))
        case .malformed:
            sessionLine(&line, id: id, day: session.day, time: session.time, modality: session.modality, site: nil)
        case .missingField:
            switch random.int(0...2) {
            case 0: sessionLine(&line, id: "", day: session.day, time: session.time, modality: session.modality, site: session.site)
            case 1: sessionLine(&line, id: id, day: nil, dayText: "", modality: session.modality, site: session.site)
            default: sessionLine(&line, id: id, day: session.day, time: session.time, modality: "", site: session.site)
            }
        case .badPatientID:
            sessionLine(&line, id: ssnLike(&random), day: session.day, time: session.time, modality: session.modality, site: session.site)
        case .badDate:
            sessionLine(&line, id: id, day: nil, dayText: usDate(session.day), modality: session.modality, site: session.site)
        case .unknownName:
            sessionLine(&line, id: id, day: session.day, time: session.time, modality: random.pick(["Reiki", "Psychotherapy", "ECT"]), site: session.site)
        case .conflictingDuplicate:
            let other = SyntheticPatient.sites.first { $0 != session.site } ?? "Elsewhere"
            sessionLine(&line, id: id, day: session.day, time: session.time, modality: session.modality, site: other)
        case .exactDuplicate, .badScore, .outOfRange:
            sessionLine(&line, id: id, day: session.day, time: session.time, modality: session.modality, site: session.site)
        }
        return kind.expectedReason(unknown: .unknownModality)
    }

    /// Writes one messy score row and says what the ingest must make of it.
    private static func messyScore(_ random: inout SyntheticRandom, id: String, score: PlannedScore,
                                   into file: BufferedFile) -> RejectReason? {
        var line: [UInt8] = []
        defer { file.append(line) }
        let spec = Catalog.standard.instrument(named: score.instrument)!
        func write(id: String = id, day: Day? = score.day, dayText: String? = nil, instrument: String = score.instrument,
                   value: String = String(score.score)) {
            scoreLine(&line, id: id, day: day, time: score.time, dayText: dayText, instrument: instrument, score: value,
                      item9: score.item9)
        }
        let kind = random.pick(Mess.allCases)
        switch kind {
        case .badEncoding:
            // A Latin-1 no-break space (the single byte 0xA0) in item9.
            scoreLine(&line, id: id, day: score.day, time: score.time, instrument: score.instrument, score: String(score.score), item9: nil)
            line.removeLast()
            line.append(contentsOf: [0xA0, 0x0A])
        case .malformed:
            write()
            line.removeLast()
            line.append(contentsOf: Array(",extra\n".utf8))
        case .missingField: write(value: "")
        case .badPatientID: write(id: random.chance(0.5) ? ssnLike(&random) : "P " + String(random.int(100...999)))
        case .badDate: write(day: nil, dayText: random.chance(0.5) ? usDate(score.day) : "2026-02-30")
        case .unknownName: write(instrument: random.pick(["HADS", "PSQI", "AUDIT"]))
        case .badScore: write(value: random.pick(["\(score.score).5", "n/a", "\(score.score)a"]))
        case .outOfRange: write(value: String(spec.max + random.int(1...20)))
        case .conflictingDuplicate: write(value: String(score.score == spec.max ? score.score - 1 : score.score + 1))
        case .exactDuplicate: write()
        }
        return kind.expectedReason(unknown: .unknownInstrument)
    }

    private static func ssnLike(_ random: inout SyntheticRandom) -> String {
        "\(random.int(100...899))-\(random.int(10...99))-\(random.int(1000...9999))"
    }

    /// The US spelling of a date (MM/DD/YYYY), a classic export mistake.
    private static func usDate(_ day: Day) -> String {
        let (year, month, dayOfMonth) = day.civil
        return String(format: "%02d/%02d/%04d", month, dayOfMonth, year)
    }
}

extension SyntheticExport.Mess {
    /// The reject reason this kind of messy row must get; nil for an exact duplicate.
    func expectedReason(unknown: RejectReason) -> RejectReason? {
        switch self {
        case .badEncoding: return .badEncoding
        case .malformed: return .malformedRecord
        case .missingField: return .missingField
        case .badPatientID: return .badPatientID
        case .badDate: return .badDate
        case .unknownName: return unknown
        case .badScore: return .badScore
        case .outOfRange: return .scoreOutOfRange
        case .conflictingDuplicate: return .conflictingDuplicate
        case .exactDuplicate: return nil
        }
    }
}

extension SyntheticSummary {
    mutating func expect(_ reason: RejectReason?) {
        messyRows += 1
        if let reason { expectedRejects[reason, default: 0] += 1 } else { expectedDuplicates += 1 }
    }
}

/// An output file written through a 1 MiB buffer.
final class BufferedFile {
    let path: String
    private let descriptor: Int32
    private var buffer: [UInt8] = []
    private(set) var bytesWritten = 0
    /// When set, lines are held and written in a shuffled order, a window of
    /// patients at a time (`writeShuffled`), so memory stays bounded.
    var shuffle: SyntheticRandom?
    private var held: [[UInt8]] = []
    static let shuffleWindowPatients = 500

    init(path: String) throws {
        self.path = path
        descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard descriptor >= 0 else { throw SyntheticError.cannotWrite(path, String(cString: strerror(errno))) }
        buffer.reserveCapacity(1 << 20)
    }

    func append(_ text: String) { append(Array(text.utf8)) }

    func append(_ bytes: [UInt8]) {
        // Set only after the header is written, so the header stays first.
        if shuffle != nil { held.append(bytes) } else { write(bytes) }
    }

    private func write(_ bytes: [UInt8]) {
        buffer.append(contentsOf: bytes)
        if buffer.count >= 1 << 20 { try? flush() }
    }

    func flush() throws {
        try buffer.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let written = Foundation.write(descriptor, raw.baseAddress! + offset, raw.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    throw SyntheticError.cannotWrite(path, String(cString: strerror(errno)))
                }
                offset += written
            }
            bytesWritten += raw.count
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Writes the held lines in a shuffled order (Fisher–Yates).
    func writeShuffled() {
        guard var random = shuffle, !held.isEmpty else { return }
        for index in stride(from: held.count - 1, to: 0, by: -1) { held.swapAt(index, random.int(0...index)) }
        shuffle = random
        for line in held { write(line) }
        held.removeAll(keepingCapacity: true)
    }

    func close() throws {
        writeShuffled()
        try flush()
        Foundation.close(descriptor)
    }
}

/// A synthetic export that could not be written.
public enum SyntheticError: Error, Equatable, Sendable, CustomStringConvertible {
    case cannotWrite(String, String)

    public var description: String {
        switch self {
        case .cannotWrite(let path, let why): return "\(path): cannot write (\(why))"
        }
    }
}

/// Catalogue spellings of modality and instrument ids for the messy style:
/// the id or one of its aliases, in lower, upper or title case.
struct SyntheticSpellings {
    private let modalities: [String: [String]]
    private let instruments: [String: [String]]

    init(catalog: Catalog) {
        modalities = Dictionary(catalog.modalities.map { ($0.id, [$0.id] + $0.aliases) }, uniquingKeysWith: { first, _ in first })
        instruments = Dictionary(catalog.instruments.map { ($0.id, [$0.id] + $0.aliases) }, uniquingKeysWith: { first, _ in first })
    }

    func modality(_ id: String, _ random: inout SyntheticRandom) -> String { Self.spell(modalities[id] ?? [id], &random) }
    func instrument(_ id: String, _ random: inout SyntheticRandom) -> String { Self.spell(instruments[id] ?? [id], &random) }

    private static func spell(_ names: [String], _ random: inout SyntheticRandom) -> String {
        let name = names[random.int(0...names.count - 1)]
        switch random.int(0...2) {
        case 0: return name.lowercased()
        case 1: return name.uppercased()
        default: return name.capitalized
        }
    }
}
