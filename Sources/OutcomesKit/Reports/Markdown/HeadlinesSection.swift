extension ReportView {
    /// Below this many courses a sentence gives counts, never a percentage.
    static let tooFewToJudge = 10

    /// One plain-language sentence per treatment, busiest first, leading with
    /// its headline measure (DATA-CONTRACT §4): the last 12 months, then the
    /// report month. Each population is named where it is used.
    func headlines(into markdown: inout Markdown) {
        var text = ""
        for modality in modalitiesBusiestFirst() {
            text += "- " + headline(modality) + "\n"
        }
        let scales = Set(catalog.modalities.indices.map(mainScale)).sorted().map { catalog.instruments[$0] }
        text += "\n*Responded*: the scale fell by "
        text += ReportView.grouped(scales.map { (responseRule($0, short: true), Markdown.escape($0.name)) })
        text += ". *Remitted*: the endpoint is at most "
        text += ReportView.grouped(scales.compactMap { instrument in instrument.remission.map { (String($0), Markdown.escape(instrument.name)) } })
        text += ". *Recovered*: remitted and reliably improved. A course *with a follow-up score* (evaluable) had a qualifying "
        text += "baseline and a score after treatment began; *finished the series* counts those with the treatment's full "
        text += "number of sessions, or who responded sooner; *ITT* counts every course with a qualifying baseline, those "
        text += "without a later score as not responding. Below \(ReportView.tooFewToJudge) courses only counts are given. "
        text += "The range in brackets is the 95 % confidence interval.\n"
        markdown.raw(text)
    }

    /// The scale the report's tables and charts show for a modality (`OutcomeResult.mainScale`).
    func mainScale(_ modality: Int) -> Int { mainScales[modality] }

    /// Modalities by the number of courses judged in the last 12 months, most first (then by name).
    func modalitiesBusiestFirst() -> [Int] {
        func busy(_ modality: Int) -> Int {
            row(.twelveMonths, modality, catalog.headlineInstrument(of: modality))?.row.courses ?? 0
        }
        return catalog.modalities.indices.sorted { (-busy($0), catalog.modalities[$0].name) < (-busy($1), catalog.modalities[$1].name) }
    }

    func headline(_ modality: Int) -> String {
        let spec = catalog.modalities[modality]
        let instrument = mainScale(modality)
        let noun = "**\(Markdown.escape(spec.name))**"
        if spec.leadsWithRetention {
            var text = "\(noun) (retention, last 12 months): " + retentionSentence(modality, .twelveMonths)
            text += " " + scaleClause(modality, instrument: instrument)
            text += " In \(Markdown.monthName(month)), " + retentionSentence(modality, .month)
            return text
        }
        var text = "\(noun) (\(instrumentName(instrument)), last 12 months): " + outcomeSentence(row(.twelveMonths, modality, instrument), modality: spec)
        text += " In \(Markdown.monthName(month)), " + monthClause(row(.month, modality, instrument))
        return text
    }

    /// "of 58 courses with a follow-up score, 55 % responded (95 % CI 42–67 %), …"
    func outcomeSentence(_ masked: MaskedOutcomeRow?, modality: Modality) -> String {
        guard let masked, masked.row.courses > 0 else { return "no course ended." }
        guard masked.row.evaluable > 0 else { return "no course ended with a baseline and a follow-up score." }
        guard case .value(let evaluable) = masked.evaluable else {
            return unshown(masked.evaluable, "courses", "had a follow-up score") + "; so are their rates."
        }
        let courses = "course\(evaluable == 1 ? "" : "s")"
        guard evaluable >= ReportView.tooFewToJudge else {
            return "\(countsSentence(masked, of: "\(evaluable) \(courses) with a follow-up score")) — too few to judge."
        }
        guard let response = masked.responseEvaluable else {
            return "of \(evaluable) \(courses) with a follow-up score, \(ReportView.inWords(masked.responders)) responded; "
                + "the rate is withheld."
        }
        var parts = ["\(percentWithInterval(response, labelled: true)) responded"]
        if let remission = masked.remissionEvaluable { parts.append("\(percentWithInterval(remission)) remitted") }
        if let recovered = recoveredShare(masked) { parts.append("\(percentWithInterval(recovered)) recovered") }
        var text = "of \(evaluable) \(courses) with a follow-up score, \(ReportView.listed(parts))."
        if let completion = modality.completionSessions { text += " " + completersClause(masked, completion: completion) }
        if let itt = masked.responseITT, case .value(let ittCount) = masked.intentionToTreat, ittCount >= ReportView.tooFewToJudge {
            text += " Counting every course with a qualifying baseline (ITT, \(ittCount)), \(Markdown.percent(itt.rate)) responded."
        }
        return text
    }

    /// How a sentence says a count is not shown: "fewer than 11 courses had a
    /// follow-up score; the counts are withheld because they are small", or,
    /// for a count withheld to protect a smaller one elsewhere, that it is.
    func unshown(_ cell: CountCell, _ subject: String, _ predicate: String) -> String {
        switch cell {
        case .suppressed(let below): return "fewer than \(below) \(subject) \(predicate); the counts are withheld because they are small"
        default: return "the number of \(subject) that \(predicate) is withheld so that a small count elsewhere cannot be worked out"
        }
    }

    /// A count inside a sentence: "12", "fewer than 11", or "a withheld number".
    static func inWords(_ cell: CountCell) -> String {
        switch cell {
        case .value(let value): return String(value)
        case .suppressed(let below): return "fewer than \(below)"
        case .withheld: return "a withheld number (11 or more)"
        case .notApplicable: return "n/a"
        }
    }

    /// The share recovered among evaluable courses, when it may be shown.
    func recoveredShare(_ masked: MaskedOutcomeRow) -> Proportion? {
        guard let recovered = masked.row.recovered else { return nil }
        return Disclosure.share(wilsonInterval(successes: recovered, total: masked.row.evaluable), masked.recovered, masked.evaluable)
    }

    /// "Of the 46 that finished the series (6 sessions, or responded sooner), 60 % responded …"
    func completersClause(_ masked: MaskedOutcomeRow, completion: Int) -> String {
        let series = "finished the series (\(completion) sessions, or responded sooner)"
        guard case .value(let completers) = masked.completers else {
            return masked.completers == .withheld
                ? "How many \(series) is withheld so that a small count elsewhere cannot be worked out."
                : "\(ReportView.inWords(masked.completers).capitalizedFirst) \(series); their rates are withheld."
        }
        guard completers > 0 else { return "None \(series)." }
        guard completers >= ReportView.tooFewToJudge, let response = masked.responseCompleters else {
            let responded = ReportView.inWords(masked.completerResponders)
            return "Of the \(completers) that \(series), \(responded) responded"
                + (completers < ReportView.tooFewToJudge ? " — too few to judge." : "; the rate is withheld.")
        }
        var text = "Of the \(completers) that \(series), \(percentWithInterval(response)) responded"
        if let remission = masked.remissionCompleters { text += " and \(percentWithInterval(remission)) remitted" }
        return text + "."
    }

    /// "6 of 10 courses with a follow-up score responded (60 %, 95 % CI 31–83 %) and 2 remitted."
    func monthClause(_ masked: MaskedOutcomeRow?) -> String {
        guard let masked, masked.row.evaluable > 0 else { return "no course ended with a follow-up score." }
        guard case .value(let evaluable) = masked.evaluable else {
            return unshown(masked.evaluable, "courses", "ended with a follow-up score") + "."
        }
        let courses = "course\(evaluable == 1 ? "" : "s")"
        var text = "\(ReportView.inWords(masked.responders)) of \(evaluable) \(courses) with a follow-up score responded"
        if evaluable >= ReportView.tooFewToJudge, let response = masked.responseEvaluable {
            text += " (\(Markdown.percent(response.rate)), \(Markdown.interval(response, labelled: true)))"
        }
        if masked.row.remitters != nil { text += " and \(ReportView.inWords(masked.remitters)) remitted" }
        return text + (evaluable < ReportView.tooFewToJudge ? " — too few to judge." : ".")
    }

    /// "3 of 7 responded and 1 remitted": counts only.
    func countsSentence(_ masked: MaskedOutcomeRow, of population: String) -> String {
        var text = "\(ReportView.inWords(masked.responders)) of \(population) responded"
        if masked.row.remitters != nil { text += " and \(ReportView.inWords(masked.remitters)) remitted" }
        return text
    }

    /// Retention in a window: "of 90 courses that reached 210 days, 60 (67 %, …) stayed in treatment 180 days or more."
    func retentionSentence(_ modality: Int, _ kind: WindowKind) -> String {
        let spec = catalog.modalities[modality]
        let days = spec.retentionDays ?? 0
        guard let masked = retention.first(where: { $0.row.modality == modality && $0.row.window.kind == kind && $0.row.site == .allSites }),
              masked.row.evaluable > 0 else {
            return "no course was yet \(days + spec.gapDays) days past its start."
        }
        guard case .value(let evaluable) = masked.evaluable else {
            return unshown(masked.evaluable, "courses", "were evaluable for retention") + "."
        }
        let reached = "\(evaluable) course\(evaluable == 1 ? "" : "s") \(days + spec.gapDays) days past \(evaluable == 1 ? "its" : "their") start"
        let retained = ReportView.inWords(masked.retained)
        guard evaluable >= ReportView.tooFewToJudge, let rate = masked.retention else {
            return "of \(reached), \(retained) stayed in treatment at least \(days) days"
                + (evaluable < ReportView.tooFewToJudge ? " — too few to judge." : "; the rate is withheld.")
        }
        return "of \(reached), \(retained) stayed in treatment at least \(days) days: \(percentWithInterval(rate, labelled: true))."
    }

    /// "On the PHQ-9, of 30 courses with a follow-up score, 40 % responded (…)."
    func scaleClause(_ modality: Int, instrument: Int) -> String {
        let masked = row(.twelveMonths, modality, instrument)
        let sentence = outcomeSentence(masked, modality: Modality(id: "", name: "", aliases: [], instruments: [],
                                                                    acuteSessions: nil, horizonDays: nil, gapDays: 1,
                                                                    followUpDays: 0, retentionDays: nil))
        return "On the \(instrumentName(instrument)), " + sentence
    }

    /// "55 % (95 % CI 42–67 %)" or "55 % (42–67 %)".
    func percentWithInterval(_ proportion: Proportion, labelled: Bool = false) -> String {
        "\(Markdown.percent(proportion.rate)) (\(Markdown.interval(proportion, labelled: labelled)))"
    }

    /// "A", "A and B", "A, B and C".
    static func listed(_ items: [String]) -> String {
        guard items.count > 1 else { return items.first ?? "" }
        return items.dropLast().joined(separator: ", ") + " and " + items.last!
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
}
