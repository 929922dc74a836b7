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

    /// The scale the report's tables and charts show for a modality: its
    /// headline instrument, or, when its headline is retention, the scale with
    /// the most evaluable courses in the last 12 months (on a tie, the first listed).
    func mainScale(_ modality: Int) -> Int {
        let spec = catalog.modalities[modality]
        guard spec.leadsWithRetention else { return catalog.headlineInstrument(of: modality) }
        let scales = catalog.instrumentIndices(of: spec, inListedOrder: true)
        func evaluable(_ instrument: Int) -> Int { row(.twelveMonths, modality, instrument)?.row.evaluable ?? 0 }
        return scales.enumerated().max { (evaluable($0.element), -$0.offset) < (evaluable($1.element), -$1.offset) }!.element
    }

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
            return "fewer than \(policy.minCell ?? 0) courses with a follow-up score; rates are withheld because the numbers are small."
        }
        let courses = "course\(evaluable == 1 ? "" : "s")"
        guard evaluable >= ReportView.tooFewToJudge, let response = masked.responseEvaluable else {
            return "\(countsSentence(masked, of: "\(evaluable) \(courses) with a follow-up score")) — too few to judge."
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

    /// The share recovered among evaluable courses, when it may be shown.
    func recoveredShare(_ masked: MaskedOutcomeRow) -> Proportion? {
        guard case .value(let recovered) = masked.recovered, case .value(let evaluable) = masked.evaluable else { return nil }
        return policy.proportion(wilsonInterval(successes: recovered, total: evaluable))
    }

    /// "Of the 46 that finished the series (6 sessions, or responded sooner), 60 % responded …"
    func completersClause(_ masked: MaskedOutcomeRow, completion: Int) -> String {
        let series = "finished the series (\(completion) sessions, or responded sooner)"
        guard case .value(let completers) = masked.completers else {
            return "Fewer than \(policy.minCell ?? 0) \(series); their rates are withheld."
        }
        guard completers > 0 else { return "None \(series)." }
        guard completers >= ReportView.tooFewToJudge, let response = masked.responseCompleters else {
            let responded = masked.completerResponders.csv
            return "Of the \(completers) that \(series), \(responded) responded — too few to judge."
        }
        var text = "Of the \(completers) that \(series), \(percentWithInterval(response)) responded"
        if let remission = masked.remissionCompleters { text += " and \(percentWithInterval(remission)) remitted" }
        return text + "."
    }

    /// "6 of 10 courses with a follow-up score responded (60 %, 95 % CI 31–83 %) and 2 remitted."
    func monthClause(_ masked: MaskedOutcomeRow?) -> String {
        guard let masked, masked.row.evaluable > 0 else { return "no course ended with a follow-up score." }
        guard case .value(let evaluable) = masked.evaluable, case .value(let responders) = masked.responders else {
            return "fewer than \(policy.minCell ?? 0) courses ended with a follow-up score; counts are withheld."
        }
        let courses = "course\(evaluable == 1 ? "" : "s")"
        var text = "\(responders) of \(evaluable) \(courses) with a follow-up score responded"
        if evaluable >= ReportView.tooFewToJudge, let response = masked.responseEvaluable {
            text += " (\(Markdown.percent(response.rate)), \(Markdown.interval(response, labelled: true)))"
        }
        if case .value(let remitters) = masked.remitters { text += " and \(remitters) remitted" }
        return text + (evaluable < ReportView.tooFewToJudge ? " — too few to judge." : ".")
    }

    /// "3 of 7 responded and 1 remitted": counts only.
    func countsSentence(_ masked: MaskedOutcomeRow, of population: String) -> String {
        var text = "\(masked.responders.csv) of \(population) responded"
        if masked.row.remitters != nil { text += " and \(masked.remitters.csv) remitted" }
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
        guard case .value(let evaluable) = masked.evaluable, case .value(let retained) = masked.retained else {
            return "fewer than \(policy.minCell ?? 0) courses were evaluable for retention; counts are withheld."
        }
        let reached = "\(evaluable) course\(evaluable == 1 ? "" : "s") \(days + spec.gapDays) days past \(evaluable == 1 ? "its" : "their") start"
        guard evaluable >= ReportView.tooFewToJudge, let rate = masked.retention else {
            return "of \(reached), \(retained) stayed in treatment at least \(days) days — too few to judge."
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
