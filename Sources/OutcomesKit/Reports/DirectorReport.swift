/// Everything the clinical director's report shows, computed before any
/// text is written.
public struct ReportContent: Sendable {
    public let title: String
    /// The pipeline the report came from, if any.
    public let pipeline: String?
    public let catalog: Catalog
    public let policy: SmallCellPolicy
    public let siteBreakdown: Bool
    public let result: OutcomeResult
    /// Each trend month's `month`-window rows, oldest first, ending with the report month.
    public let trend: [(month: YearMonth, rows: [OutcomeRow])]
    public let files: [IngestedFile]
    /// Rejects in the store per reason, in SPEC order.
    public let rejectCounts: [(reason: String, count: Int)]

    public init(title: String, pipeline: String?, catalog: Catalog, policy: SmallCellPolicy, siteBreakdown: Bool,
                result: OutcomeResult, trend: [(month: YearMonth, rows: [OutcomeRow])], files: [IngestedFile],
                rejectCounts: [(reason: String, count: Int)]) {
        self.title = title
        self.pipeline = pipeline
        self.catalog = catalog
        self.policy = policy
        self.siteBreakdown = siteBreakdown
        self.result = result
        self.trend = trend
        self.files = files
        self.rejectCounts = rejectCounts
    }
}

/// `outcomes.md`: the report a clinical director reads and may publish parts
/// of. Plain-language headlines first, then the tables behind them, safety,
/// measurement quality, and a Methods section generated from the catalogue
/// actually used, so that every number can be reproduced.
public enum DirectorReport {
    /// Chart files, relative to the report folder.
    public static let responseChart = "charts/response-12m.svg"
    public static let trendChart = "charts/trend.svg"

    public static func markdown(_ content: ReportContent) -> String {
        let view = ReportView(content)
        var text = "# \(MarkdownFormat.escape(content.title)): \(MarkdownFormat.monthName(content.result.month))\n\n"
        text += view.introduction()
        text += "\n## Headlines\n\n" + view.headlines()
        text += "\n![Response and remission by modality, last 12 months](\(responseChart))\n"
        text += "\n## Results by modality\n\n" + view.modalityTables()
        if content.siteBreakdown { text += "\n## Sites\n\n" + view.siteTables() }
        text += "\n## Trend\n\n" + view.trendSection()
        text += "\n## Retention\n\n" + view.retentionSection()
        text += "\n## Safety\n\n" + view.safetySection()
        text += "\n## Measurement quality\n\n" + view.qualitySection()
        text += "\n## Methods\n\n" + view.methodsSection()
        return text
    }

    /// The SVG charts the Markdown refers to.
    public static func charts(_ content: ReportContent) -> [(name: String, contents: String)] {
        let view = ReportView(content)
        return [(responseChart, view.responseChartSVG()), (trendChart, view.trendChartSVG())]
    }
}

/// The report's sections, over masked rows so that small-cell suppression
/// applies to every figure the same way.
struct ReportView {
    let content: ReportContent
    let masked: [MaskedOutcomeRow]
    let retention: [MaskedRetentionRow]
    let month: YearMonth

    init(_ content: ReportContent) {
        self.content = content
        masked = content.policy.mask(content.result.outcomeRows)
        retention = content.policy.mask(content.result.retentionRows)
        month = content.result.month
    }

    var catalog: Catalog { content.catalog }
    var policy: SmallCellPolicy { content.policy }

    func row(_ kind: WindowKind, _ modality: String, _ instrument: String, site: SiteSelector = .allSites) -> MaskedOutcomeRow? {
        masked.first { $0.row.window.kind == kind && $0.row.modality == modality && $0.row.instrument == instrument && $0.row.site == site }
    }

    func instrumentName(_ id: String) -> String { catalog.instrument(named: id).map(\.name) ?? id }

    func window(_ kind: WindowKind) -> ReportWindow { content.result.windows.first { $0.kind == kind }! }

    // MARK: Introduction

    func introduction() -> String {
        let closed = content.result.courses.filter(\.isClosed)
        var text = "Outcomes of treatment courses judged up to **\(content.result.cut)**, the last day of "
        text += "\(MarkdownFormat.monthName(month)). Sessions and scores dated later are not used, so this report "
        text += "does not change when it is run again. The store holds \(count(closed.count)) closed course"
        text += "\(closed.count == 1 ? "" : "s") since \(window(.all).periodStart).\n\n"
        text += "How to read it: a **course** is one patient's run of sessions of one treatment. **Completers** had a "
        text += "qualifying baseline score and a score at the end of the course; **ITT** (intention to treat) also counts "
        text += "those who started with a qualifying baseline but have no later score, as not responding. Every rate comes "
        text += "with its 95 % confidence interval. Definitions are under *Methods*; every number is in `outcomes.csv` "
        text += "and `retention.csv`.\n"
        if let minCell = policy.minCell {
            text += "\nTo protect privacy, counts from 1 to \(minCell - 1) are shown as &lt;\(minCell) and figures that would "
            text += "reveal them are withheld (–).\n"
        }
        if let pipeline = content.pipeline {
            text += "\nGenerated by outcomes \(ToolInfo.version) from pipeline `\(MarkdownFormat.escape(pipeline))`.\n"
        }
        return text
    }

    // MARK: Headlines

    func headlines() -> String {
        var text = ""
        for modality in catalog.modalities {
            let instrument = instrumentName(modality.primaryInstrument)
            text += "- "
            text += yearSentence(row(.twelveMonths, modality.id, modality.primaryInstrument), modality: modality, instrument: instrument)
            text += " " + monthSentence(row(.month, modality.id, modality.primaryInstrument))
            text += "\n"
        }
        let headlineInstruments = catalog.instruments.filter { instrument in
            catalog.modalities.contains { $0.primaryInstrument == instrument.id }
        }
        text += "\n*Responded*: the scale fell by "
        text += ReportView.grouped(headlineInstruments.map { (responseRule($0, short: true), $0.name) })
        text += ". *Remitted*: the endpoint is at most "
        text += ReportView.grouped(headlineInstruments.compactMap { instrument in instrument.remission.map { (String($0), instrument.name) } })
        text += ". Rates are among completers unless marked ITT; the range in brackets is the 95 % confidence interval.\n"
        return text
    }

    /// "Of 58 ketamine infusion courses completed in the last 12 months, 55 % (95 % CI 42–67 %) responded …"
    func yearSentence(_ masked: MaskedOutcomeRow?, modality: Modality, instrument: String) -> String {
        let noun = "**\(ReportView.inSentence(modality.name))**"
        guard let masked, masked.row.courses > 0 else { return "No \(noun) course ended in the last 12 months." }
        guard masked.row.completers > 0 else {
            return "No \(noun) course was completed with a \(instrument) baseline and endpoint in the last 12 months."
        }
        let plural = masked.row.completers == 1 ? "course" : "courses"
        var text = "Of \(MarkdownFormat.count(masked.completers)) \(noun) \(plural) completed in the last 12 months, "
        guard let response = masked.responseCompleters else {
            return text + "the rates are withheld because the numbers are small."
        }
        text += "\(percentWithCI(response, label: true)) responded"
        if let remission = masked.remissionCompleters { text += " and \(percentWithCI(remission, label: false)) remitted" }
        text += " on the \(instrument)."
        if let itt = masked.responseITT {
            text += " Counting every course that began with a qualifying baseline (ITT, \(MarkdownFormat.count(masked.intentionToTreat))), "
            text += "\(MarkdownFormat.percent(itt.rate)) responded"
            if let remission = masked.remissionITT { text += " and \(MarkdownFormat.percent(remission.rate)) remitted" }
            text += "."
        }
        return text
    }

    /// "In October 2026, 6 of 10 completed courses responded (60 %, 95 % CI 31–83 %) and 2 remitted (20 %)."
    func monthSentence(_ masked: MaskedOutcomeRow?) -> String {
        let name = MarkdownFormat.monthName(month)
        guard let masked, masked.row.completers > 0 else { return "In \(name), no course was completed." }
        guard let response = masked.responseCompleters, case .value(let responders) = masked.responders,
              case .value(let completers) = masked.completers else {
            return "In \(name), \(MarkdownFormat.count(masked.completers)) courses were completed; rates are withheld because the numbers are small."
        }
        var text = "In \(name), \(responders) of \(completers) completed course\(completers == 1 ? "" : "s") responded "
        text += "(\(MarkdownFormat.percent(response.rate)), 95 % CI \(NumberFormat.fixed(response.low * 100, decimals: 0))–\(MarkdownFormat.percent(response.high)))"
        if let remission = masked.remissionCompleters, case .value(let remitters) = masked.remitters {
            text += " and \(remitters) remitted (\(MarkdownFormat.percent(remission.rate)))"
        }
        return text + "."
    }

    /// Rules with the scales that share them, in first-seen order:
    /// "at least 50 % (MRS, PHQ-9), at least 30 % (TNSS)".
    static func grouped(_ pairs: [(rule: String, scale: String)]) -> String {
        var order: [String] = []
        var scales: [String: [String]] = [:]
        for (rule, scale) in pairs {
            if scales[rule] == nil { order.append(rule) }
            scales[rule, default: []].append(scale)
        }
        return order.map { "\($0) (\(scales[$0]!.joined(separator: ", ")))" }.joined(separator: ", ")
    }

    /// "55 % (95 % CI 42–67 %)".
    func percentWithCI(_ proportion: Proportion, label: Bool) -> String {
        "\(MarkdownFormat.percent(proportion.rate)) (\(label ? "95 % CI " : "")\(NumberFormat.fixed(proportion.low * 100, decimals: 0))–\(MarkdownFormat.percent(proportion.high)))"
    }

    /// A treatment's name inside a sentence: "Ketamine infusion" → "ketamine
    /// infusion", while an acronym such as "TMS" stays as it is.
    static func inSentence(_ name: String) -> String {
        let characters = Array(name)
        guard characters.count > 1, characters[0].isUppercase, characters[1].isLowercase else { return MarkdownFormat.escape(name) }
        return MarkdownFormat.escape(characters[0].lowercased() + String(characters.dropFirst()))
    }

    /// How a scale defines a response, in words: "fell by at least 50 %"
    /// (short: "at least 50 %").
    func responseRule(_ instrument: Instrument, short: Bool = false) -> String {
        let lead = short ? "" : "fell by "
        switch instrument.response {
        case .percent(let percent):
            return instrument.floor == 0 ? "\(lead)at least \(percent) %"
                : "\(lead)at least \(percent) % of its range above \(instrument.floor)"
        case .points(let points): return "\(lead)at least \(points) points"
        }
    }

    // MARK: Tables

    static let windowLabels: [WindowKind: String] = [.month: "This month", .twelveMonths: "Last 12 months", .all: "All time"]

    func modalityTables() -> String {
        var text = "Rates are *share (95 % confidence interval)*; \"n/a\" means the scale has no such rule. "
        text += "Mean change is endpoint minus baseline over completers (negative is better).\n"
        for modality in catalog.modalities {
            let instruments = modality.instruments.sorted()
            let rowsByInstrument = instruments.map { instrument in
                WindowKind.allCases.compactMap { row($0, modality.id, instrument) }
            }
            text += "\n### \(MarkdownFormat.escape(modality.name))\n"
            guard rowsByInstrument.contains(where: { !$0.isEmpty }) else {
                text += "\nNo closed course yet.\n"
                continue
            }
            for (instrument, rows) in zip(instruments, rowsByInstrument) where !rows.isEmpty {
                text += "\n**\(instrumentName(instrument))**\n\n"
                text += MarkdownFormat.table(
                    ["Window", "Courses", "No baseline", "Below threshold", "ITT", "Completers", "Responded (ITT)",
                     "Responded (completers)", "Remitted (ITT)", "Remitted (completers)", "Mean change",
                     "Reliably better", "Reliably worse", "Early responders", "Median sessions to response"],
                    rows.map { masked in
                        let remissionRule = masked.row.remitters != nil
                        return [ReportView.windowLabels[masked.row.window.kind]!,
                                MarkdownFormat.count(masked.courses), MarkdownFormat.count(masked.noBaseline),
                                MarkdownFormat.count(masked.belowThreshold), MarkdownFormat.count(masked.intentionToTreat),
                                MarkdownFormat.count(masked.completers),
                                MarkdownFormat.rateWithInterval(masked.responseITT),
                                MarkdownFormat.rateWithInterval(masked.responseCompleters),
                                remissionRule ? MarkdownFormat.rateWithInterval(masked.remissionITT) : "n/a",
                                remissionRule ? MarkdownFormat.rateWithInterval(masked.remissionCompleters) : "n/a",
                                meanChange(masked),
                                MarkdownFormat.count(masked.improved), MarkdownFormat.count(masked.deteriorated),
                                MarkdownFormat.count(masked.earlyResponders),
                                masked.medianSessionsToResponse.map { NumberFormat.fixed($0, decimals: 1) } ?? "–"]
                    })
            }
        }
        return text
    }

    func meanChange(_ masked: MaskedOutcomeRow) -> String {
        guard let change = masked.meanChange, let baseline = masked.meanBaseline, let endpoint = masked.meanEndpoint else { return "–" }
        return "\(MarkdownFormat.signed(change)) (\(NumberFormat.fixed(baseline, decimals: 1)) → \(NumberFormat.fixed(endpoint, decimals: 1)))"
    }

    func siteTables() -> String {
        var text = "Last 12 months, on each treatment's headline scale. A course belongs to the site of its first session.\n"
        for modality in catalog.modalities {
            let instrument = modality.primaryInstrument
            let rows = masked.filter { $0.row.window.kind == .twelveMonths && $0.row.modality == modality.id && $0.row.instrument == instrument }
            guard rows.count > 1 else { continue }
            text += "\n### \(MarkdownFormat.escape(modality.name)) (\(instrumentName(instrument)))\n\n"
            text += MarkdownFormat.table(
                ["Site", "Courses", "ITT", "Completers", "Responded (completers)", "Remitted (completers)"],
                rows.map { masked in
                    [masked.row.site == .allSites ? "**All sites**" : MarkdownFormat.escape(masked.row.site.label),
                     MarkdownFormat.count(masked.courses), MarkdownFormat.count(masked.intentionToTreat),
                     MarkdownFormat.count(masked.completers), MarkdownFormat.rateWithInterval(masked.responseCompleters),
                     masked.row.remitters == nil ? "n/a" : MarkdownFormat.rateWithInterval(masked.remissionCompleters)]
                })
        }
        return text
    }

    // MARK: Trend

    /// Each trend month's masked all-sites row for a modality's headline instrument.
    func trendRows(_ modality: Modality) -> [(month: YearMonth, row: MaskedOutcomeRow?)] {
        content.trend.map { entry in
            let rows = entry.rows.filter { $0.site == .allSites && $0.modality == modality.id && $0.instrument == modality.primaryInstrument }
            return (entry.month, policy.mask(rows).first)
        }
    }

    func trendSection() -> String {
        var text = "Response among completers, by the month each course was judged (the `month` window of each "
        text += "month's report), on each treatment's headline scale. Each cell is *rate (completers)*.\n\n"
        text += "![Monthly response rate by modality](\(DirectorReport.trendChart))\n\n"
        let modalities = catalog.modalities
        let header = ["Month"] + modalities.map { "\(MarkdownFormat.escape($0.name)) (\(instrumentName($0.primaryInstrument)))" }
        let series = modalities.map(trendRows)
        let rows = content.trend.indices.map { index -> [String] in
            [content.trend[index].month.description] + series.map { entries in
                guard let masked = entries[index].row, masked.row.completers > 0 else { return "–" }
                let rate = masked.responseCompleters.map { MarkdownFormat.percent($0.rate) } ?? "–"
                return "\(rate) (\(MarkdownFormat.count(masked.completers)))"
            }
        }
        return text + MarkdownFormat.table(header, rows)
    }

    // MARK: Retention

    func retentionSection() -> String {
        let modalities = catalog.modalities.filter { $0.retentionDays != nil }
        guard !modalities.isEmpty else { return "No modality has a retention rule.\n" }
        var text = ""
        for (index, modality) in modalities.enumerated() {
            let days = modality.retentionDays!
            text += "\(index == 0 ? "" : "\n")### \(MarkdownFormat.escape(modality.name))\n\n"
            text += "A course is **retained** when its last session is at least \(days) days after its first. It is judged "
            text += "\(days + modality.gapDays) days after its start (\(days) + the \(modality.gapDays)-day gap rule), "
            text += "when a patient still in treatment has surely come back.\n\n"
            let rows = retention.filter { $0.row.modality == modality.id && (content.siteBreakdown || $0.row.site == .allSites) }
            guard !rows.isEmpty else {
                text += "No course is evaluable yet.\n"
                continue
            }
            text += MarkdownFormat.table(
                ["Window", "Site", "Evaluable", "Retained", "Retention"],
                rows.map { masked in
                    [ReportView.windowLabels[masked.row.window.kind]!,
                     masked.row.site == .allSites ? "All sites" : MarkdownFormat.escape(masked.row.site.label),
                     MarkdownFormat.count(masked.evaluable), MarkdownFormat.count(masked.retained),
                     MarkdownFormat.rateWithInterval(masked.retention)]
                }, numeric: [2, 3, 4])
        }
        return text
    }

    // MARK: Safety

    func safetySection() -> String {
        var text = "### Thoughts of self-harm (PHQ-9 item 9)\n\n"
        text += "Courses whose PHQ-9 baseline recorded item 9 (\"thoughts that you would be better off dead, or of hurting "
        text += "yourself\"), judged in the last 12 months. Positive means any answer above \"not at all\". Individual "
        text += "positive answers are followed up clinically at the time; these counts show the course of the group.\n\n"
        let summaries = itemNineSummaries(content.result, window: window(.twelveMonths), catalog: catalog)
        let rows = summaries.filter { $0.baselineRecorded > 0 }
        if rows.isEmpty {
            text += "No PHQ-9 baseline with item 9 in this period.\n"
        } else {
            text += MarkdownFormat.table(
                ["Modality", "Item 9 at baseline", "Positive at baseline", "Resolved by the endpoint", "Still positive",
                 "No item 9 at the endpoint", "Newly positive at the endpoint"],
                rows.map { summary in
                    [MarkdownFormat.escape(catalog.modality(named: summary.modality)?.name ?? summary.modality)]
                        + [summary.baselineRecorded, summary.positiveAtBaseline, summary.resolved, summary.persisted,
                           summary.unknownAtEndpoint, summary.emergent].map { MarkdownFormat.count(policy.cell($0)) }
                })
            let positive = rows.reduce(0) { $0 + $1.positiveAtBaseline }
            let resolved = rows.reduce(0) { $0 + $1.resolved }
            if positive > 0 {
                text += "\nOf \(MarkdownFormat.count(policy.cell(positive))) courses positive on item 9 at baseline, "
                text += "\(MarkdownFormat.count(policy.cell(resolved))) were no longer positive at the endpoint.\n"
            }
        }

        text += "\n### Reliable deterioration\n\n"
        text += "A course **got reliably worse** when its endpoint is above its baseline by at least the scale's reliable-change "
        text += "value: more than measurement noise. This is a safety signal: each such course deserves a clinical review.\n\n"
        let worse = masked.filter { $0.row.window.kind == .twelveMonths && $0.row.site == .allSites && ($0.row.deteriorated ?? 0) > 0 }
        if worse.isEmpty {
            text += "No course got reliably worse in the last 12 months (on scales with a reliable-change value).\n"
        } else {
            text += MarkdownFormat.table(
                ["Modality", "Scale", "Completers", "Reliably worse", "Threshold"],
                worse.map { masked in
                    [MarkdownFormat.escape(catalog.modality(named: masked.row.modality)?.name ?? masked.row.modality),
                     instrumentName(masked.row.instrument), MarkdownFormat.count(masked.completers),
                     MarkdownFormat.count(masked.deteriorated),
                     "+\(catalog.instrument(named: masked.row.instrument)?.reliableChange ?? 0) points"]
                }, numeric: [2, 3, 4])
        }
        return text
    }

    // MARK: Measurement quality

    func qualitySection() -> String {
        var text = "Outcomes are only as good as the measurements behind them. Last 12 months, all sites: a course is "
        text += "**measured** when it has a qualifying baseline (the ITT population); the last column is the share of "
        text += "measured courses with no score at the end.\n\n"
        let rows = masked.filter { $0.row.window.kind == .twelveMonths && $0.row.site == .allSites }
        if rows.isEmpty {
            text += "No closed course in the last 12 months.\n"
        } else {
            text += MarkdownFormat.table(
                ["Modality", "Scale", "Courses", "No baseline", "Below threshold", "Measured", "Without follow-up"],
                rows.map { masked in
                    let row = masked.row
                    let noFollowup = row.intentionToTreat - row.completers
                    return [MarkdownFormat.escape(catalog.modality(named: row.modality)?.name ?? row.modality),
                            instrumentName(row.instrument), MarkdownFormat.count(masked.courses),
                            share(row.noBaseline, of: row.courses), MarkdownFormat.count(masked.belowThreshold),
                            MarkdownFormat.count(masked.intentionToTreat), share(noFollowup, of: row.intentionToTreat)]
                }, numeric: [2, 3, 4, 5, 6])
        }

        text += "\n### Rejected rows\n\n"
        let totalRecords = content.files.reduce(0) { $0 + $1.records }
        let totalRejected = content.files.reduce(0) { $0 + $1.rejected }
        let sessionsFiles = content.files.filter { $0.kind == "sessions" }.count
        text += "\(MarkdownFormat.count(policy.cell(content.files.count))) files ingested (\(MarkdownFormat.count(policy.cell(sessionsFiles))) sessions, "
        text += "\(MarkdownFormat.count(policy.cell(content.files.count - sessionsFiles))) scores): "
        text += "\(MarkdownFormat.count(policy.cell(totalRecords))) records, \(MarkdownFormat.count(policy.cell(content.files.reduce(0) { $0 + $1.loaded }))) loaded, "
        text += "\(MarkdownFormat.count(policy.cell(content.files.reduce(0) { $0 + $1.duplicates }))) exact duplicates, "
        text += "\(MarkdownFormat.count(policy.cell(totalRejected))) rejected"
        if totalRecords > 0, !policy.isSmall(totalRejected) {
            text += " (\(NumberFormat.fixed(100 * Double(totalRejected) / Double(totalRecords), decimals: 1)) %)"
        }
        text += ". Rejected rows are listed in `rejects.csv`, with the file, the record number and the reason.\n\n"
        let reasons = content.rejectCounts.filter { $0.count > 0 }
        if !reasons.isEmpty {
            text += MarkdownFormat.table(["Reason", "Rows", "Meaning"], reasons.map { entry in
                ["`\(entry.reason)`", MarkdownFormat.count(policy.cell(entry.count)), ReportView.reasonMeanings[entry.reason] ?? ""]
            }, numeric: [1])
        }
        if !policy.isOn, !content.files.isEmpty {
            text += "\n<details><summary>Files ingested</summary>\n\n"
            text += MarkdownFormat.table(["File", "Kind", "Records", "Loaded", "Duplicates", "Rejected"], content.files.map { file in
                [MarkdownFormat.escape(file.name), file.kind, String(file.records), String(file.loaded),
                 String(file.duplicates), String(file.rejected)]
            }, numeric: [2, 3, 4, 5])
            text += "\n</details>\n"
        }
        return text
    }

    func share(_ part: Int, of whole: Int) -> String {
        guard whole > 0 else { return "–" }
        let cell = MarkdownFormat.count(policy.cell(part))
        guard !policy.isSmall(part), !policy.isSmall(whole), !policy.isSmall(whole - part) else { return cell }
        return "\(cell) (\(MarkdownFormat.percent(Double(part) / Double(whole))))"
    }

    static let reasonMeanings: [String: String] = [
        "bad_encoding": "bytes that are not UTF-8 (an export in another encoding)",
        "malformed_record": "not as many fields as the header",
        "missing_field": "a required value is empty",
        "bad_patient_id": "not a valid pseudonymous id (or shaped like a social security number)",
        "bad_date": "not a real date written YYYY-MM-DD",
        "unknown_modality": "a treatment the catalogue does not know",
        "unknown_instrument": "a rating scale the catalogue does not know",
        "bad_score": "not a whole number",
        "score_out_of_range": "outside the scale's range",
        "conflicting_duplicate": "the same key already stored with other values (the first was kept)",
    ]

    // MARK: Methods

    func methodsSection() -> String {
        let used = Set(catalog.modalities.flatMap(\.instruments))
        let instruments = catalog.instruments.filter { used.contains($0.id) }
        var text = "**Data.** Session and rating-scale exports, de-identified, ingested with every row checked "
        text += "(see *Measurement quality*). Everything is computed as of \(content.result.cut): later data are ignored.\n\n"
        text += "**Courses.** For each patient and treatment, sessions in date order form a course; a session more than "
        text += "the treatment's *gap* after the previous one starts a new course. A course is judged on its *window end* W: "
        text += "with *n* acute sessions and at least *n* sessions, W is the *n*-th session plus the follow-up days, or the next "
        text += "session if that comes first; otherwise the last session plus the follow-up days; with a horizon, W is at most "
        text += "the start plus the horizon. A course counts once W has passed (W ≤ \(content.result.cut)).\n\n"
        text += MarkdownFormat.table(
            ["Treatment", "Scales", "Acute sessions", "Horizon (days)", "Gap (days)", "Follow-up (days)", "Retention (days)"],
            catalog.modalities.map { modality in
                [MarkdownFormat.escape(modality.name) + " (`\(modality.id)`)",
                 modality.instruments.map(instrumentName).joined(separator: ", "),
                 modality.acuteSessions.map { "\($0) sessions" } ?? "–", modality.horizonDays.map(String.init) ?? "–",
                 String(modality.gapDays), String(modality.followUpDays), modality.retentionDays.map(String.init) ?? "–"]
            }, numeric: [3])
        text += "\n**Scores.** A score dated on a session day was taken before that session. The *baseline* is the latest score "
        text += "from \(baselineLookbackDays) days before the start to the start; *follow-up* scores fall after the start up to W, "
        text += "and the latest is the *endpoint*. A course is judged on a scale only when its baseline is at least the scale's "
        text += "minimum. All scales are higher-is-worse.\n\n"
        text += MarkdownFormat.table(
            ["Scale", "Measures", "Range", "Minimum baseline", "Response", "Remission", "Reliable change"],
            instruments.map { instrument in
                [instrument.name + " (`\(instrument.id)`)", MarkdownFormat.escape(instrument.measures),
                 "\(instrument.floor)–\(instrument.max)", "≥ \(instrument.minBaseline)", responseRule(instrument),
                 instrument.remission.map { "≤ \($0)" } ?? "–", instrument.reliableChange.map { "\($0) points" } ?? "–"]
            }, numeric: [])
        text += "\nA percentage response is measured from the scale's floor: (baseline − endpoint) · 100 ≥ p · (baseline − floor).\n\n"
        text += "**Populations.** *ITT*: courses with a qualifying baseline; those without an endpoint count as neither "
        text += "responders nor remitters. *Completers*: courses with a qualifying baseline and an endpoint. Responders, "
        text += "remitters and reliable change are counted among completers; *early responders* (a response by the second "
        text += "session, or by W for a one-session course) among ITT. *Sessions to response* counts a responder's sessions "
        text += "before its first score that met the response rule.\n\n"
        text += "**Windows.** *This month*: courses whose W falls in \(MarkdownFormat.monthName(month)). *Last 12 months*: W from "
        text += "\(window(.twelveMonths).periodStart) to \(content.result.cut). *All time*: W from the first session stored "
        text += "(\(window(.all).periodStart)).\n\n"
        text += "**Intervals.** 95 % Wilson score intervals (z = \(NumberFormat.fixed(wilsonZ, decimals: 3))), which stay "
        text += "within 0–100 % and behave well for small groups.\n\n"
        if let minCell = policy.minCell {
            text += "**Small cells.** Counts from 1 to \(minCell - 1) are shown as &lt;\(minCell). A rate is withheld when its "
            text += "numerator, denominator or their difference is such a count; a mean or median when it rests on one; and when "
            text += "one site's count is withheld, the next smallest site's is too, so that it cannot be worked out from the total.\n\n"
        }
        text += "**Reproducing.** `outcomes.csv` and `retention.csv` hold every number above; `manifest.json` names the tool "
        text += "version, the pipeline and each input file's SHA-256, so the same inputs give the same bytes.\n"
        return text
    }

    // MARK: Charts

    func responseChartSVG() -> String {
        let bars = catalog.modalities.compactMap { modality -> Charts.RateBar? in
            guard let masked = row(.twelveMonths, modality.id, modality.primaryInstrument), masked.row.completers > 0 else { return nil }
            return Charts.RateBar(label: modality.name,
                                  detail: "\(instrumentName(modality.primaryInstrument)), completers \(MarkdownFormat.count(masked.completers).replacingOccurrences(of: "&lt;", with: "<"))",
                                  response: masked.responseCompleters,
                                  remission: masked.remissionCompleters, hasRemissionRule: masked.row.remitters != nil)
        }
        return Charts.rates(title: "Response and remission by treatment, last 12 months",
                            subtitle: "Completers, headline scale of each treatment; courses judged \(window(.twelveMonths).periodStart) to \(content.result.cut)",
                            bars: bars)
    }

    func trendChartSVG() -> String {
        let panels = catalog.modalities.map { modality in
            Charts.TrendPanel(label: "\(modality.name) (\(instrumentName(modality.primaryInstrument)))",
                              points: trendRows(modality).map { ($0.month, $0.row?.responseCompleters) })
        }
        let first = content.trend.first?.month.description ?? month.description
        return Charts.trend(title: "Monthly response rate by treatment",
                            subtitle: "Completers judged each month, \(first) to \(month); shaded: 95 % confidence interval",
                            panels: panels)
    }
}

extension ReportView {
    /// A count with small-cell suppression, as Markdown.
    func count(_ value: Int) -> String { MarkdownFormat.count(policy.cell(value)) }
}
