/// Applies a pipeline's `catalog:` section to a base catalogue: override any
/// field of a known instrument or modality, or add new ones. The result is
/// validated as a whole (`Catalog.init`), so a pipeline cannot make a
/// catalogue that contradicts itself.
///
/// ```yaml
/// catalog:
///   instruments:
///     hamd17: { min_baseline: 0 }
///     hads: { name: HADS, floor: 0, max: 21, min_baseline: 8, response: 50%, remission: 7 }
///   modalities:
///     inpatient: { name: Inpatient care, instruments: [hamd17, bdi2], gap_days: 90, follow_up_days: 14 }
/// ```
enum CatalogOverrides {
    static let instrumentKeys = ["name", "measures", "aliases", "floor", "max", "min_baseline", "response",
                                 "remission", "reliable_change"]
    static let modalityKeys = ["name", "aliases", "instruments", "acute_sessions", "completion_sessions", "horizon_days",
                               "gap_days", "follow_up_days", "retention_days", "time_points", "headline",
                               "headline_instrument", "session_bins"]

    static func apply(_ section: YAMLValue, to base: Catalog) throws -> Catalog {
        if section.isNull { return base }
        let parts = try section.mapping(allowed: ["instruments", "modalities"])
        var instruments = base.instruments
        var modalities = base.modalities

        for (id, value) in try entries(parts["instruments"]) {
            let fields = try value.mapping(allowed: instrumentKeys)
            if let index = instruments.firstIndex(where: { $0.id == id }) {
                instruments[index] = try overriding(instruments[index], with: fields)
            } else {
                instruments.append(try newInstrument(id: id, fields, at: value))
            }
        }
        for (id, value) in try entries(parts["modalities"]) {
            let fields = try value.mapping(allowed: modalityKeys)
            if let index = modalities.firstIndex(where: { $0.id == id }) {
                modalities[index] = try overriding(modalities[index], with: fields)
            } else {
                modalities.append(try newModality(id: id, fields, at: value))
            }
        }
        do {
            return try Catalog(instruments: instruments, modalities: modalities)
        } catch {
            throw section.error(error.description)
        }
    }

    /// A section's entries in file order; none when the section is absent or null.
    private static func entries(_ section: YAMLValue?) throws -> [(key: String, value: YAMLValue)] {
        guard let section, !section.isNull else { return [] }
        return try section.mapping()
    }

    private static func overriding(_ base: Instrument, with fields: [String: YAMLValue]) throws -> Instrument {
        var instrument = base
        if let value = fields["name"] { instrument.name = try value.string() }
        if let value = fields["measures"] { instrument.measures = try value.string() }
        if let value = fields["aliases"] { instrument.aliases = try value.strings() }
        if let value = fields["floor"] { instrument.floor = try value.int(in: Catalog.scoreRange) }
        if let value = fields["max"] { instrument.max = try value.int(in: Catalog.scoreRange) }
        if let value = fields["min_baseline"] { instrument.minBaseline = try value.int(in: Catalog.scoreRange) }
        if let value = fields["response"] { instrument.response = try responseRule(value) }
        if let value = fields["remission"] { instrument.remission = try value.optionalInt(in: Catalog.scoreRange) }
        if let value = fields["reliable_change"] { instrument.reliableChange = try value.optionalInt(in: 1...Catalog.scoreRange.upperBound * 2) }
        return instrument
    }

    private static func newInstrument(id: String, _ fields: [String: YAMLValue], at value: YAMLValue) throws -> Instrument {
        for key in ["floor", "max", "min_baseline", "response"] where fields[key] == nil {
            throw value.error("a new instrument needs \(key)")
        }
        let base = Instrument(id: id, name: id.uppercased(), measures: "", aliases: [], floor: 0, max: 0, minBaseline: 0,
                              response: .percent(50), remission: nil, reliableChange: nil)
        return try overriding(base, with: fields)
    }

    private static func overriding(_ base: Modality, with fields: [String: YAMLValue]) throws -> Modality {
        var modality = base
        if let value = fields["name"] { modality.name = try value.string() }
        if let value = fields["aliases"] { modality.aliases = try value.strings() }
        if let value = fields["instruments"] { modality.instruments = try value.strings() }
        if let value = fields["acute_sessions"] { modality.acuteSessions = try value.optionalInt(in: 1...Catalog.maxSessions) }
        if let value = fields["horizon_days"] { modality.horizonDays = try value.optionalInt(in: 0...Catalog.maxDays) }
        if let value = fields["gap_days"] { modality.gapDays = try value.int(in: 1...Catalog.maxDays) }
        if let value = fields["follow_up_days"] { modality.followUpDays = try value.int(in: 0...Catalog.maxDays) }
        if let value = fields["retention_days"] { modality.retentionDays = try value.optionalInt(in: 1...Catalog.maxDays) }
        if let value = fields["completion_sessions"] { modality.completionSessions = try value.optionalInt(in: 1...Catalog.maxSessions) }
        if let value = fields["time_points"] { modality.timePoints = try timePoints(value) }
        if let value = fields["session_bins"] { modality.sessionBins = try sessionBins(value) }
        // `headline_instrument` is the name older pipelines used.
        for key in ["headline", "headline_instrument"] {
            guard let value = fields[key] else { continue }
            let text = try value.string()
            modality.headline = text.lowercased() == "retention" ? .retention : .instrument(text)
        }
        if fields["instruments"] != nil, fields["headline"] == nil, fields["headline_instrument"] == nil,
           case .instrument(let id) = modality.headline, !modality.instruments.contains(id) {
            // New instruments without a new headline: lead with the first of them.
            modality.headline = .instrument(modality.instruments.first ?? id)
        }
        return modality
    }

    private static func newModality(id: String, _ fields: [String: YAMLValue], at value: YAMLValue) throws -> Modality {
        for key in ["instruments", "gap_days", "follow_up_days"] where fields[key] == nil {
            throw value.error("a new modality needs \(key)")
        }
        let base = Modality(id: id, name: id, aliases: [], instruments: [], acuteSessions: nil, horizonDays: nil,
                            gapDays: 1, followUpDays: 0, retentionDays: nil, headline: .instrument(""))
        return try overriding(base, with: fields)
    }

    /// `[{ label: 4h, target: 4, earliest: 2, latest: 8 }, …]`, in hours.
    /// Bin lower bounds: whole numbers from 1, strictly ascending (`[1, 4, 6]`); null or `[]`: none.
    static func sessionBins(_ value: YAMLValue) throws -> [Int] {
        if value.isNull { return [] }
        let bounds = try value.sequence().map { try $0.int(in: 1...Catalog.maxSessions) }
        guard bounds.isEmpty || (bounds[0] == 1 && zip(bounds, bounds.dropFirst()).allSatisfy { $0 < $1 }) else {
            throw value.error("session_bins are the bins' first session numbers, starting at 1 and ascending, such as [1, 4, 6]")
        }
        return bounds
    }

    static func timePoints(_ value: YAMLValue) throws -> [TimePoint] {
        if value.isNull { return [] }
        return try value.sequence().map { entry in
            let fields = try entry.mapping(allowed: ["label", "target", "earliest", "latest"])
            for key in ["label", "target", "earliest", "latest"] where fields[key] == nil {
                throw entry.error("a time point needs \(key)")
            }
            let hours = 0.0...Double(Catalog.maxDays * 24)
            return TimePoint(label: try fields["label"]!.string(), targetHours: try fields["target"]!.double(in: hours),
                             earliestHours: try fields["earliest"]!.double(in: hours), latestHours: try fields["latest"]!.double(in: hours))
        }
    }

    /// `50%` (percent of the room above the floor) or `10 points`.
    static func responseRule(_ value: YAMLValue) throws -> ResponseRule {
        let text = try value.string().lowercased().replacingOccurrences(of: " ", with: "")
        if text.hasSuffix("%"), let percent = Int(text.dropLast()) {
            guard (1...100).contains(percent) else { throw value.error("a response percentage must be 1–100") }
            return .percent(percent)
        }
        for suffix in ["points", "point"] where text.hasSuffix(suffix) {
            if let points = Int(text.dropLast(suffix.count)) {
                guard (1...Catalog.scoreRange.upperBound * 2).contains(points) else {
                    throw value.error("response points must be 1–\(Catalog.scoreRange.upperBound * 2)")
                }
                return .points(points)
            }
        }
        throw value.error("response must be a percentage (\"50%\") or points (\"10 points\")")
    }
}
