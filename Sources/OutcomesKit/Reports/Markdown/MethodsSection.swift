extension ReportView {
    /// The rules, generated from the catalogue actually used, so every number can be reproduced.
    func methodsSection(into markdown: inout Markdown) {
        let used = Set(catalog.modalities.flatMap(\.instruments))
        let instruments = catalog.instruments.indices.filter { used.contains(catalog.instruments[$0].id) }
        var text = "**Data.** Session and rating-scale exports, de-identified, ingested with every row checked "
        text += "(see *Measurement quality*). Everything is computed as of \(content.result.cut): later data are ignored.\n\n"
        text += "**Courses.** For each patient and treatment, sessions in date order form a course; a session more than "
        text += "the treatment's *gap* after the previous one starts a new course. A course is judged on its *window end* W: "
        text += "with *n* acute sessions and at least *n* sessions, W is the *n*-th session plus the follow-up days, or the next "
        text += "session if that comes first; otherwise the last session plus the follow-up days; with a horizon, W is at most "
        text += "the start plus the horizon. A course counts once W has passed (W ≤ \(content.result.cut)).\n\n"
        text += Markdown.table(
            ["Treatment", "Scales", "Acute sessions", "Horizon (days)", "Gap (days)", "Follow-up (days)", "Retention (days)"],
            catalog.modalities.map { modality in
                [Markdown.escape(modality.name) + " (`\(modality.id)`)",
                 catalog.instrumentIndices(of: modality, inListedOrder: true).map(instrumentName).joined(separator: ", "),
                 modality.acuteSessions.map { "\($0) sessions" } ?? "–", modality.horizonDays.map(String.init) ?? "–",
                 String(modality.gapDays), String(modality.followUpDays), modality.retentionDays.map(String.init) ?? "–"]
            }, numeric: [3])
        text += "\n**Scores.** A score dated on a session day was taken before that session. The *baseline* is the latest score "
        text += "from \(baselineLookbackDays) days before the start to the start; *follow-up* scores fall after the start up to W, "
        text += "and the latest is the *endpoint*. A course is judged on a scale only when its baseline is at least the scale's "
        text += "minimum. All scales are higher-is-worse.\n\n"
        text += Markdown.table(
            ["Scale", "Measures", "Range", "Minimum baseline", "Response", "Remission", "Reliable change"],
            instruments.map { index in
                let instrument = catalog.instruments[index]
                return [instrumentName(index) + " (`\(instrument.id)`)", Markdown.escape(instrument.measures),
                        "\(instrument.floor)–\(instrument.max)", "≥ \(instrument.minBaseline)", responseRule(instrument),
                        instrument.remission.map { "≤ \($0)" } ?? "–", instrument.reliableChange.map { "\($0) points" } ?? "–"]
            }, numeric: [])
        text += "\nA percentage response is measured from the scale's floor: (baseline − endpoint) · 100 ≥ p · (baseline − floor).\n\n"
        text += "**Populations.** *ITT*: courses with a qualifying baseline; those without an endpoint count as neither "
        text += "responders nor remitters. *Completers*: courses with a qualifying baseline and an endpoint. Responders, "
        text += "remitters and reliable change are counted among completers; *early responders* (a response by the second "
        text += "session, or by W for a one-session course) among ITT. *Sessions to response* counts a responder's sessions "
        text += "before its first score that met the response rule.\n\n"
        text += "**Windows.** *This month*: courses whose W falls in \(Markdown.monthName(month)). *Last 12 months*: W from "
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
        markdown.raw(text)
    }
}
