extension ReportView {
    /// One plain-language sentence per treatment: the last 12 months on its
    /// headline scale, then the report month.
    func headlines(into markdown: inout Markdown) {
        var text = ""
        for (index, modality) in catalog.modalities.enumerated() {
            let headline = catalog.headlineInstrument(of: index)
            text += "- "
            text += yearSentence(row(.twelveMonths, index, headline), modality: modality, instrument: instrumentName(headline))
            text += " " + monthSentence(row(.month, index, headline))
            text += "\n"
        }
        let headlineInstruments = catalog.instruments.indices.filter { instrument in
            catalog.modalities.indices.contains { catalog.headlineInstrument(of: $0) == instrument }
        }.map { catalog.instruments[$0] }
        text += "\n*Responded*: the scale fell by "
        text += ReportView.grouped(headlineInstruments.map { (responseRule($0, short: true), Markdown.escape($0.name)) })
        text += ". *Remitted*: the endpoint is at most "
        text += ReportView.grouped(headlineInstruments.compactMap { instrument in
            instrument.remission.map { (String($0), Markdown.escape(instrument.name)) }
        })
        text += ". Rates are among completers unless marked ITT; the range in brackets is the 95 % confidence interval.\n"
        markdown.raw(text)
    }

    /// "Of 58 ketamine infusion courses completed in the last 12 months, 55 % (95 % CI 42–67 %) responded …"
    func yearSentence(_ masked: MaskedOutcomeRow?, modality: Modality, instrument: String) -> String {
        let noun = "**\(ReportView.inSentence(modality.name))**"
        guard let masked, masked.row.courses > 0 else { return "No \(noun) course ended in the last 12 months." }
        guard masked.row.completers > 0 else {
            return "No \(noun) course was completed with a \(instrument) baseline and endpoint in the last 12 months."
        }
        let plural = masked.row.completers == 1 ? "course" : "courses"
        var text = "Of \(Markdown.count(masked.completers)) \(noun) \(plural) completed in the last 12 months, "
        guard let response = masked.responseCompleters else {
            return text + "the rates are withheld because the numbers are small."
        }
        text += "\(Markdown.percent(response.rate)) (\(Markdown.interval(response, labelled: true))) responded"
        if let remission = masked.remissionCompleters {
            text += " and \(Markdown.percent(remission.rate)) (\(Markdown.interval(remission))) remitted"
        }
        text += " on the \(instrument)."
        if let itt = masked.responseITT {
            text += " Counting every course that began with a qualifying baseline (ITT, \(Markdown.count(masked.intentionToTreat))), "
            text += "\(Markdown.percent(itt.rate)) responded"
            if let remission = masked.remissionITT { text += " and \(Markdown.percent(remission.rate)) remitted" }
            text += "."
        }
        return text
    }

    /// "In October 2026, 6 of 10 completed courses responded (60 %, 95 % CI 31–83 %) and 2 remitted (20 %)."
    func monthSentence(_ masked: MaskedOutcomeRow?) -> String {
        let name = Markdown.monthName(month)
        guard let masked, masked.row.completers > 0 else { return "In \(name), no course was completed." }
        guard let response = masked.responseCompleters, case .value(let responders) = masked.responders,
              case .value(let completers) = masked.completers else {
            return "In \(name), \(Markdown.count(masked.completers)) courses were completed; rates are withheld because the numbers are small."
        }
        var text = "In \(name), \(responders) of \(completers) completed course\(completers == 1 ? "" : "s") responded "
        text += "(\(Markdown.percent(response.rate)), \(Markdown.interval(response, labelled: true)))"
        if let remission = masked.remissionCompleters, case .value(let remitters) = masked.remitters {
            text += " and \(remitters) remitted (\(Markdown.percent(remission.rate)))"
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

    /// A treatment's name inside a sentence: "Ketamine infusion" → "ketamine
    /// infusion", while an acronym such as "TMS" stays as it is.
    static func inSentence(_ name: String) -> String {
        let characters = Array(name)
        guard characters.count > 1, characters[0].isUppercase, characters[1].isLowercase else { return Markdown.escape(name) }
        return Markdown.escape(characters[0].lowercased() + String(characters.dropFirst()))
    }
}
