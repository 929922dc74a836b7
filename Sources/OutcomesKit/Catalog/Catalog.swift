/// The instruments and modalities a run uses: the contract's defaults, possibly
/// overridden or extended by a pipeline file.
///
/// Lookups by id or alias are case-insensitive (DATA-CONTRACT §1). A catalogue is
/// validated when it is made, so every later stage can trust it.
public struct Catalog: Sendable, Equatable {
    /// Instruments sorted by id.
    public let instruments: [Instrument]
    /// Modalities sorted by id.
    public let modalities: [Modality]

    /// Position of the instrument whose item 9 (thoughts of self-harm) is
    /// read and reported: the PHQ-9 by default (`Instrument.recordsItemNine`).
    public let itemNineInstrument: Int?

    private let instrumentIndexByName: [String: Int]
    private let modalityIndexByName: [String: Int]

    public init(instruments: [Instrument], modalities: [Modality]) throws(CatalogError) {
        let sortedInstruments = instruments.sorted { $0.id < $1.id }
        self.instruments = sortedInstruments
        self.modalities = modalities.sorted { $0.id < $1.id }
        instrumentIndexByName = try Catalog.nameIndex(self.instruments.map { ($0.id, $0.aliases) }, kind: "instrument")
        modalityIndexByName = try Catalog.nameIndex(self.modalities.map { ($0.id, $0.aliases) }, kind: "modality")
        for instrument in self.instruments { try Catalog.validate(instrument) }
        let itemNine = sortedInstruments.indices.filter { sortedInstruments[$0].recordsItemNine }
        guard itemNine.count <= 1 else {
            throw CatalogError.invalidRule(subject: "instruments", problem: "only one instrument may record item 9")
        }
        itemNineInstrument = itemNine.first
        for modality in self.modalities { try validate(modality) }
    }

    public static func == (lhs: Catalog, rhs: Catalog) -> Bool {
        lhs.instruments == rhs.instruments && lhs.modalities == rhs.modalities
    }

    /// The instrument whose id or alias is `name`, ignoring case.
    public func instrument(named name: String) -> Instrument? {
        instrumentIndexByName[Catalog.normalized(name)].map { instruments[$0] }
    }

    /// The modality whose id or alias is `name`, ignoring case.
    public func modality(named name: String) -> Modality? {
        modalityIndexByName[Catalog.normalized(name)].map { modalities[$0] }
    }

    /// Position of the instrument with this canonical id in `instruments`.
    public func instrumentIndex(id: String) -> Int? {
        instruments.firstIndex { $0.id == id }
    }

    /// Position of the modality with this canonical id in `modalities`.
    public func modalityIndex(id: String) -> Int? {
        modalities.firstIndex { $0.id == id }
    }

    /// The ids and aliases that are closest to `name`, for "did you mean" hints.
    public func closestNames(to name: String, among kind: NameKind) -> [String] {
        let candidates: [String]
        switch kind {
        case .instrument: candidates = Array(instrumentIndexByName.keys)
        case .modality: candidates = Array(modalityIndexByName.keys)
        }
        return EditDistance.suggestions(for: Catalog.normalized(name), among: candidates)
    }

    /// Which names `closestNames` searches.
    public enum NameKind: Sendable { case instrument, modality }

    /// How names are compared: trimmed of nothing (ingest already trims), lower-cased.
    public static func normalized(_ name: String) -> String { name.lowercased() }

    private static func nameIndex(_ entries: [(id: String, aliases: [String])], kind: String) throws(CatalogError) -> [String: Int] {
        var index: [String: Int] = [:]
        for (position, entry) in entries.enumerated() {
            guard isValidID(entry.id) else {
                throw CatalogError.invalidID(kind: kind, id: entry.id)
            }
            for name in [entry.id] + entry.aliases {
                let key = normalized(name)
                guard !key.isEmpty else { throw CatalogError.emptyAlias(kind: kind, id: entry.id) }
                if let other = index[key], other != position {
                    throw CatalogError.nameUsedTwice(kind: kind, name: name, first: entries[other].id, second: entry.id)
                }
                index[key] = position
            }
        }
        return index
    }

    private static func isValidID(_ id: String) -> Bool {
        !id.isEmpty && id.utf8.allSatisfy { ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 95 }
    }

    /// Scores, floors and maxima a catalogue may use: far beyond any scale,
    /// and far from the integer limits, so no rule's arithmetic can overflow.
    public static let scoreRange = -1_000_000...1_000_000
    /// Days any rule may span (gap, follow-up, horizon, retention): 100 years.
    public static let maxDays = 36_500
    /// Most acute sessions a modality may name.
    public static let maxSessions = 10_000

    private static func validate(_ instrument: Instrument) throws(CatalogError) {
        let id = instrument.id
        guard scoreRange.contains(instrument.floor), scoreRange.contains(instrument.max) else {
            throw CatalogError.invalidRule(subject: "instrument \(id)", problem: "floor and max must be within ±1,000,000")
        }
        guard instrument.floor < instrument.max else {
            throw CatalogError.invalidRule(subject: "instrument \(id)", problem: "floor \(instrument.floor) must be below max \(instrument.max)")
        }
        guard (instrument.floor...instrument.max).contains(instrument.minBaseline) else {
            throw CatalogError.invalidRule(subject: "instrument \(id)", problem: "min_baseline \(instrument.minBaseline) is outside \(instrument.floor)–\(instrument.max)")
        }
        switch instrument.response {
        case .percent(let percent) where !(1...100).contains(percent):
            throw CatalogError.invalidRule(subject: "instrument \(id)", problem: "response percent \(percent) must be 1–100")
        case .points(let points) where points < 1 || points > 2 * scoreRange.upperBound:
            throw CatalogError.invalidRule(subject: "instrument \(id)", problem: "response points \(points) must be 1–2,000,000")
        default: break
        }
        if let remission = instrument.remission, !(instrument.floor...instrument.max).contains(remission) {
            throw CatalogError.invalidRule(subject: "instrument \(id)", problem: "remission \(remission) is outside \(instrument.floor)–\(instrument.max)")
        }
        if let change = instrument.reliableChange, change < 1 || change > 2 * scoreRange.upperBound {
            throw CatalogError.invalidRule(subject: "instrument \(id)", problem: "reliable change \(change) must be 1–2,000,000")
        }
    }

    private func validate(_ modality: Modality) throws(CatalogError) {
        let id = modality.id
        guard !modality.instruments.isEmpty else { throw CatalogError.invalidRule(subject: "modality \(id)", problem: "lists no instruments") }
        for instrumentID in modality.instruments where instrumentIndex(id: instrumentID) == nil {
            throw CatalogError.invalidRule(subject: "modality \(id)", problem: "uses unknown instrument \"\(instrumentID)\"")
        }
        switch modality.headline {
        case .instrument(let headline) where !modality.instruments.contains(headline):
            throw CatalogError.invalidRule(subject: "modality \(id)", problem: "headline \(headline) is not one of its instruments")
        case .retention where modality.retentionDays == nil:
            throw CatalogError.invalidRule(subject: "modality \(id)", problem: "headline retention needs retention days")
        default: break
        }
        if let completion = modality.completionSessions, !(1...Catalog.maxSessions).contains(completion) {
            throw CatalogError.invalidRule(subject: "modality \(id)", problem: "completion sessions \(completion) must be 1–\(Catalog.maxSessions)")
        }
        var labels = Set<String>()
        for point in modality.timePoints {
            guard !point.label.isEmpty, labels.insert(point.label).inserted else {
                throw CatalogError.invalidRule(subject: "modality \(id)", problem: "time point labels must be given and differ (\"\(point.label)\")")
            }
            guard 0 <= point.earliest, point.earliest <= point.target, point.target <= point.latest,
                  point.latest <= Catalog.maxDays * 86_400 else {
                throw CatalogError.invalidRule(subject: "modality \(id)",
                                               problem: "time point \(point.label): need 0 ≤ earliest ≤ target ≤ latest")
            }
        }
        guard Set(modality.instruments).count == modality.instruments.count else {
            throw CatalogError.invalidRule(subject: "modality \(id)", problem: "lists an instrument twice")
        }
        if let sessions = modality.acuteSessions, !(1...Catalog.maxSessions).contains(sessions) {
            throw CatalogError.invalidRule(subject: "modality \(id)", problem: "acute sessions \(sessions) must be 1–\(Catalog.maxSessions)")
        }
        let days = 0...Catalog.maxDays
        if let horizon = modality.horizonDays, !days.contains(horizon) {
            throw CatalogError.invalidRule(subject: "modality \(id)", problem: "horizon days \(horizon) must be 0–\(Catalog.maxDays)")
        }
        guard (1...Catalog.maxDays).contains(modality.gapDays) else {
            throw CatalogError.invalidRule(subject: "modality \(id)", problem: "gap days must be 1–\(Catalog.maxDays)")
        }
        guard days.contains(modality.followUpDays) else {
            throw CatalogError.invalidRule(subject: "modality \(id)", problem: "follow-up days must be 0–\(Catalog.maxDays)")
        }
        if let retention = modality.retentionDays, !(1...Catalog.maxDays).contains(retention) {
            throw CatalogError.invalidRule(subject: "modality \(id)", problem: "retention days \(retention) must be 1–\(Catalog.maxDays)")
        }
    }
}

/// A catalogue that contradicts itself or the contract's constraints.
public enum CatalogError: Error, Equatable, Sendable, CustomStringConvertible {
    /// An id that is not lower-case letters, digits and `_`.
    case invalidID(kind: String, id: String)
    case emptyAlias(kind: String, id: String)
    /// One name (id or alias) used by two entries.
    case nameUsedTwice(kind: String, name: String, first: String, second: String)
    /// A rule of one instrument or modality that cannot hold.
    case invalidRule(subject: String, problem: String)

    public var description: String {
        switch self {
        case .invalidID(let kind, let id): return "\(kind) id \"\(id)\" must be lower-case letters, digits and _"
        case .emptyAlias(let kind, let id): return "\(kind) \(id) has an empty alias"
        case .nameUsedTwice(let kind, let name, let first, let second):
            return "\(kind) name \"\(name)\" is used by both \(first) and \(second)"
        case .invalidRule(let subject, let problem): return "\(subject): \(problem)"
        }
    }
}

extension Catalog {
    /// Positions of a modality's instruments: in id order (the order of
    /// `outcomes.csv` and the report's tables), or as the modality lists them.
    public func instrumentIndices(of modality: Modality, inListedOrder: Bool = false) -> [Int] {
        let indices = modality.instruments.compactMap { instrumentIndex(id: $0) }
        return inListedOrder ? indices : indices.sorted()
    }

    /// Position of the instrument a modality's headline sentence uses.
    public func headlineInstrument(of modality: Int) -> Int {
        instrumentIndex(id: modalities[modality].primaryInstrument)!
    }
}
