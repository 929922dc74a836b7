/// The instruments and modalities a run uses: the SPEC's defaults, possibly
/// overridden or extended by a pipeline file.
///
/// Lookups by id or alias are case-insensitive (SPEC §1). A catalogue is
/// validated when it is made, so every later stage can trust it.
public struct Catalog: Sendable, Equatable {
    /// Instruments sorted by id.
    public let instruments: [Instrument]
    /// Modalities sorted by id.
    public let modalities: [Modality]

    private let instrumentIndexByName: [String: Int]
    private let modalityIndexByName: [String: Int]

    public init(instruments: [Instrument], modalities: [Modality]) throws(CatalogError) {
        self.instruments = instruments.sorted { $0.id < $1.id }
        self.modalities = modalities.sorted { $0.id < $1.id }
        instrumentIndexByName = try Catalog.nameIndex(self.instruments.map { ($0.id, $0.aliases) }, kind: "instrument")
        modalityIndexByName = try Catalog.nameIndex(self.modalities.map { ($0.id, $0.aliases) }, kind: "modality")
        for instrument in self.instruments { try Catalog.validate(instrument) }
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
        let target = Catalog.normalized(name)
        let scored = candidates.map { ($0, EditDistance.between(target, $0)) }
        guard let best = scored.map(\.1).min(), best <= max(2, target.count / 3) else { return [] }
        return scored.filter { $0.1 == best }.map(\.0).sorted()
    }

    /// Which names `closestNames` searches.
    public enum NameKind: Sendable { case instrument, modality }

    /// How names are compared: trimmed of nothing (ingest already trims), lower-cased.
    public static func normalized(_ name: String) -> String { name.lowercased() }

    private static func nameIndex(_ entries: [(id: String, aliases: [String])], kind: String) throws(CatalogError) -> [String: Int] {
        var index: [String: Int] = [:]
        for (position, entry) in entries.enumerated() {
            guard isValidID(entry.id) else {
                throw CatalogError("\(kind) id \"\(entry.id)\" must be lower-case letters, digits and _")
            }
            for name in [entry.id] + entry.aliases {
                let key = normalized(name)
                guard !key.isEmpty else { throw CatalogError("\(kind) \(entry.id) has an empty alias") }
                if let other = index[key], other != position {
                    throw CatalogError("\(kind) name \"\(name)\" is used by both \(entries[other].id) and \(entry.id)")
                }
                index[key] = position
            }
        }
        return index
    }

    private static func isValidID(_ id: String) -> Bool {
        !id.isEmpty && id.utf8.allSatisfy { ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 95 }
    }

    private static func validate(_ instrument: Instrument) throws(CatalogError) {
        let id = instrument.id
        guard instrument.floor < instrument.max else {
            throw CatalogError("instrument \(id): floor \(instrument.floor) must be below max \(instrument.max)")
        }
        guard (instrument.floor...instrument.max).contains(instrument.minBaseline) else {
            throw CatalogError("instrument \(id): min_baseline \(instrument.minBaseline) is outside \(instrument.floor)–\(instrument.max)")
        }
        switch instrument.response {
        case .percent(let percent) where !(1...100).contains(percent):
            throw CatalogError("instrument \(id): response percent \(percent) must be 1–100")
        case .points(let points) where points < 1:
            throw CatalogError("instrument \(id): response points \(points) must be at least 1")
        default: break
        }
        if let remission = instrument.remission, !(instrument.floor...instrument.max).contains(remission) {
            throw CatalogError("instrument \(id): remission \(remission) is outside \(instrument.floor)–\(instrument.max)")
        }
        if let change = instrument.reliableChange, change < 1 {
            throw CatalogError("instrument \(id): reliable change \(change) must be at least 1")
        }
    }

    private func validate(_ modality: Modality) throws(CatalogError) {
        let id = modality.id
        guard !modality.instruments.isEmpty else { throw CatalogError("modality \(id) lists no instruments") }
        for instrumentID in modality.instruments where instrumentIndex(id: instrumentID) == nil {
            throw CatalogError("modality \(id) uses unknown instrument \"\(instrumentID)\"")
        }
        if let headline = modality.headlineInstrument, !modality.instruments.contains(headline) {
            throw CatalogError("modality \(id): headline instrument \(headline) is not one of its instruments")
        }
        guard Set(modality.instruments).count == modality.instruments.count else {
            throw CatalogError("modality \(id) lists an instrument twice")
        }
        if let sessions = modality.acuteSessions, sessions < 1 {
            throw CatalogError("modality \(id): acute sessions \(sessions) must be at least 1")
        }
        if let horizon = modality.horizonDays, horizon < 0 {
            throw CatalogError("modality \(id): horizon days \(horizon) must not be negative")
        }
        guard modality.gapDays >= 1 else { throw CatalogError("modality \(id): gap days must be at least 1") }
        guard modality.followUpDays >= 0 else { throw CatalogError("modality \(id): follow-up days must not be negative") }
        if let retention = modality.retentionDays, retention < 1 {
            throw CatalogError("modality \(id): retention days \(retention) must be at least 1")
        }
    }
}

/// A catalogue that contradicts itself or the SPEC's constraints.
public struct CatalogError: Error, Equatable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// Levenshtein distance, for suggesting the closest id to a mistyped one.
enum EditDistance {
    static func between(_ a: String, _ b: String) -> Int {
        let a = Array(a.unicodeScalars), b = Array(b.unicodeScalars)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
