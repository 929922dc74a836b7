/// A question that cannot be answered as asked: each case says what to change.
public enum QueryError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A modality or instrument the catalogue does not know.
    case unknownName(kind: String, name: String, suggestions: [String], known: [String])
    case unknownPatient(String)
    case unknownSite(String, known: [String])
    /// An instrument that is not one of the modality's scales.
    case notAScaleOf(instrument: String, modality: String, scales: [String])
    /// The patient has no session of the modality asked about.
    case noSessionsOf(patient: String, modality: String, has: [String])
    case windowWithMonthBreakdown(WindowKind)
    case fromAfterTo
    case tooManyMonths(limit: Int)
    case rangeWithoutMonthBreakdown
    /// A site was asked for under a pipeline whose reports name no site (`report.sites: false`).
    case sitesNotPublished(pipeline: String)

    public var description: String {
        switch self {
        case .unknownName(let kind, let name, let suggestions, let known):
            let shown = TerminalText.safe(name)
            return "unknown \(kind) \"\(shown)\"" + (suggestions.isEmpty ? "; known: \(known.joined(separator: ", "))"
                                                                      : " (did you mean \(suggestions.joined(separator: ", "))?)")
        case .unknownPatient(let pseudonym): return "no patient \"\(TerminalText.safe(pseudonym))\" in the store"
        case .unknownSite(let site, let known):
            return "no site \"\(TerminalText.safe(site))\" in the store; sites: \(known.map(TerminalText.safe).joined(separator: ", "))"
        case .notAScaleOf(let instrument, let modality, let scales):
            return "\(instrument) is not a scale of \(modality) (its scales: \(scales.joined(separator: ", ")))"
        case .noSessionsOf(let patient, let modality, let has):
            return "patient \(TerminalText.safe(patient)) has no \(modality) sessions"
                + (has.isEmpty ? "" : "; their sessions are of \(has.joined(separator: ", "))")
        case .windowWithMonthBreakdown(let window):
            return "--by month gives one `month` window row per month; drop --window \(window.rawValue)"
        case .fromAfterTo: return "--from must not be after --to"
        case .tooManyMonths(let limit): return "--by month covers at most \(limit) months"
        case .rangeWithoutMonthBreakdown: return "--from and --to go with --by month"
        case .sitesNotPublished(let pipeline):
            return "pipeline \(pipeline) publishes no site rows (report.sites: false); drop --site and --by site"
        }
    }
}
