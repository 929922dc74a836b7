/// `outcomes catalog`: the instruments and modalities in use, with every
/// threshold, as aligned text.
extension Catalog {
    public var textDescription: String {
        func table(_ header: [String], _ rows: [[String]]) -> String { TextTable(header: header, rows: rows).text }
        func optional(_ value: Int?) -> String { value.map(String.init) ?? "—" }
        let instrumentRows = instruments.map { instrument -> [String] in
            let response: String
            switch instrument.response {
            case .percent(let percent): response = "≥ \(percent) %"
            case .points(let points): response = "≥ \(points) points"
            }
            return [instrument.id, instrument.name, "\(instrument.floor)–\(instrument.max)", "≥ \(instrument.minBaseline)", response,
                    instrument.remission.map { "≤ \($0)" } ?? "—", optional(instrument.reliableChange),
                    instrument.aliases.joined(separator: ", ")]
        }
        let modalityRows = modalities.map { modality -> [String] in
            [modality.id, modality.name, modality.instruments.joined(separator: " "), optional(modality.acuteSessions),
             optional(modality.completionSessions), optional(modality.horizonDays), String(modality.gapDays),
             String(modality.followUpDays), optional(modality.retentionDays),
             modality.timePoints.isEmpty ? "—" : modality.timePoints.map { point in
                 "\(point.label) (\(TimePoint.hours(point.earliest))–\(TimePoint.hours(point.latest)) h)"
             }.joined(separator: ", "),
             modality.headline.description, modality.sessionBins.isEmpty ? "—" : modality.sessionBins.map(String.init).joined(separator: " "),
             modality.aliases.joined(separator: ", ")]
        }
        return "Instruments\n\n"
            + table(["id", "name", "range", "min baseline", "response", "remission", "reliable change", "aliases"], instrumentRows)
            + "\nModalities\n\n"
            + table(["id", "name", "instruments", "acute sessions", "completion sessions", "horizon days", "gap days",
                     "follow-up days", "retention days", "time points", "headline", "session bins", "aliases"], modalityRows)
    }
}
