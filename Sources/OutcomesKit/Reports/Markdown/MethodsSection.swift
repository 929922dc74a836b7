extension ReportView {
    /// The rules, generated from the catalogue actually used, so every number can be reproduced.
    func methodsSection(into markdown: inout Markdown) {
        let used = Set(catalog.modalities.flatMap(\.instruments))
        let instruments = catalog.instruments.indices.filter { used.contains(catalog.instruments[$0].id) }
        var text = "**Data.** Session and rating-scale exports, de-identified, ingested with every row checked "
        text += "(see *Measurement quality*). Everything is computed as of \(content.result.cut): later data are ignored.\n\n"
        text += "**Dates and times.** Sessions and scores carry a date and, when the export gives one, a time of day (the "
        text += "practice's local time). Things are ordered by that instant; a value without a time stands at the start of its "
        text += "day. When a score and a session share an instant the score comes first, so a score without a time on a session "
        text += "day was taken before that session; of two scores at one instant, the one without a time comes first. Day "
        text += "counts (gaps, follow-up, the 30-day baseline reach) use dates alone.\n\n"
        text += "**Courses.** For each patient and treatment, sessions in time order form a course; a session dated more than "
        text += "the treatment's *gap* after the previous one starts a new course. A course is judged on its *window end* W: "
        text += "with *n* acute sessions and at least *n* sessions, W is the *n*-th session's date plus the follow-up days, or "
        text += "the next session's date if that comes first; otherwise the last session plus the follow-up days; with a "
        text += "horizon, W is at most the start plus the horizon. A course counts once W has passed (W ≤ \(content.result.cut)).\n\n"
        // Two tables, so that each fits a page 980 px wide.
        text += Markdown.table(
            ["Treatment", "Scales", "Headline", "Acute sessions", "Finished at"],
            catalog.modalities.map { modality in
                [Markdown.escape(modality.name) + " (`\(modality.id)`)",
                 catalog.instrumentIndices(of: modality, inListedOrder: true).map(instrumentName).joined(separator: ", "),
                 modality.leadsWithRetention ? "retention" : instrumentName(catalog.instrumentIndex(id: modality.primaryInstrument)!),
                 modality.acuteSessions.map { "\($0) sessions" } ?? "–", modality.completionSessions.map { "\($0) sessions" } ?? "–"]
            }, numeric: [3, 4])
        text += "\n" + Markdown.table(
            ["Treatment", "Horizon", "Gap", "Follow-up", "Retention", "Time points"],
            catalog.modalities.map { modality in
                [Markdown.escape(modality.name),
                 modality.horizonDays.map { "\($0) d" } ?? "–", "\(modality.gapDays) d", "\(modality.followUpDays) d",
                 modality.retentionDays.map { "\($0) d" } ?? "–",
                 modality.timePoints.isEmpty ? "–" : modality.timePoints.map(timePointLabel).joined(separator: ", ")]
            }, numeric: [1, 2, 3, 4])
        text += "\n**Scores.** The *baseline* is the latest score from \(baselineLookbackDays) days before the start that comes "
        text += "before the first session; *follow-up* scores come after the first session and are dated up to W, and the "
        text += "latest is the *endpoint*. A course is judged on a scale only when its baseline is at least the scale's "
        text += "minimum. All scales are higher-is-worse.\n\n"
        text += Markdown.table(
            ["Scale", "Measures", "Range", "Minimum baseline", "Response", "Remission", "Reliable change"],
            instruments.map { index in
                let instrument = catalog.instruments[index]
                return [instrumentName(index) + " (`\(instrument.id)`)", Markdown.escape(instrument.measures),
                        "\(instrument.floor)–\(instrument.max)", "≥ \(instrument.minBaseline)", responseRule(instrument),
                        instrument.remission.map { "≤ \($0)" } ?? "–", instrument.reliableChange.map { "\($0) points" } ?? "–"]
            }, numeric: [])
        text += "\nA percentage response is measured from the scale's floor: (baseline − endpoint) · 100 ≥ p · (baseline − floor). "
        text += "*Recovered* means remitted and reliably improved (Jacobson and Truax's \"recovered\"; NHS Talking Therapies' "
        text += "\"reliable recovery\"): a one-point fall across the remission cutoff is not enough.\n\n"
        text += "**Populations.** *ITT* (intention to treat): courses with a qualifying baseline; those without a follow-up "
        text += "score count as neither responders nor remitters. *Evaluable*: courses with a qualifying baseline and a "
        text += "follow-up score. *Finished the series* (completers): evaluable courses with at least the treatment's number of "
        text += "sessions (*Finished at* above), or whose endpoint met the response rule, as the TMS registry and the ketamine "
        text += "studies count them; for a treatment without such a number every evaluable course counts. Responders, remitters, "
        text += "recovered and reliable change are counted among evaluable courses unless a table says otherwise; *early "
        text += "responders* (a response before the second session) among ITT.\n\n"
        text += "**Time points.** For a treatment with time points, a course whose first session has a recorded time is read "
        text += "again at fixed times after that session's start: the score closest to the target time within its range (on a "
        text += "tie, the earlier). The change from baseline gets a 95 % interval from Student's t with n − 1 degrees of freedom, "
        text += "and *d_z* is the mean change over its standard deviation.\n\n"
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
        text += "**Reproducing.** `outcomes.csv`, `retention.csv` and `timepoints.csv` hold every number above; `manifest.json` names the tool "
        text += "version, the pipeline and each input file's SHA-256, so the same inputs give the same bytes.\n"
        markdown.raw(text)
    }
}
