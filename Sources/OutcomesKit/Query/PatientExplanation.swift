/// `outcomes explain`: one patient's courses, step by step, with every rule's
/// arithmetic shown, so that a director can check any count by hand ("why is
/// this patient a non-responder?"). Every verdict comes from the engine's
/// result (`InstrumentOutcome`); this file only shows the arithmetic behind it.
public enum PatientExplanation {
    public static func explain(store: OutcomeStore, catalog: Catalog, pseudonym: String, modality: String?,
                               month: YearMonth) throws -> String {
        guard let patient = try store.patientKey(pseudonym: pseudonym) else {
            throw QueryError.unknownPatient(pseudonym)
        }
        let input = try store.outcomeInput(catalog: catalog, asOf: cutDate(of: month),
                                           modalities: modality.map { [$0] }, patient: patient)
        if let modality, input.sessions.isEmpty {
            // Say which treatments the patient did have, rather than "no session".
            let all = try store.outcomeInput(catalog: catalog, asOf: cutDate(of: month), modalities: nil, patient: patient)
            let has = Set(all.sessions.map(\.modality)).sorted().map { catalog.modalities[$0].name }
            let name = catalog.modality(named: modality)?.name ?? modality
            throw QueryError.noSessionsOf(patient: pseudonym, modality: name, has: has)
        }
        return render(input: input, catalog: catalog, pseudonym: pseudonym, month: month)
    }

    /// The explanation of every course in `input` (one patient's events).
    static func render(input: OutcomeInput, catalog: Catalog, pseudonym: String, month: YearMonth) -> String {
        let events = OutcomeEngine.prepare(input, catalog: catalog)
        let result = OutcomeEngine.compute(events, catalog: catalog, month: month)
        var text = "Patient \(TerminalText.safe(pseudonym)), as of \(result.cut) (report month \(month))\n"
        if result.courses.isEmpty { return text + "\nNo session on or before \(result.cut).\n" }
        for modalityIndex in Set(result.courses.map(\.course.modality)).sorted() {
            let courses = result.courses.filter { $0.course.modality == modalityIndex }
            for (number, evaluated) in courses.enumerated() {
                text += "\n" + course(evaluated, number: number + 1, of: courses.count, result: result, events: events,
                                      catalog: catalog, siteNames: input.siteNames)
            }
        }
        return text
    }

    static func course(_ evaluated: EvaluatedCourse, number: Int, of total: Int, result: OutcomeResult,
                       events: PreparedEvents, catalog: Catalog, siteNames: [String]) -> String {
        let course = evaluated.course
        let modality = catalog.modalities[course.modality]
        var lines = ["\(modality.name) (\(modality.id)), course \(number) of \(total)"]
        func field(_ name: String, _ value: String) {
            // A label too long for the column (a scale named in full) gets a
            // line of its own, so it never runs into its value or is cut.
            if name.count > 9 {
                lines.append("  " + name)
                lines.append(String(repeating: " ", count: 13) + value)
            } else {
                lines.append("  " + name.padding(toLength: 11, withPad: " ", startingAt: 0) + value)
            }
        }
        let site = TerminalText.safe(siteNames.indices.contains(Int(course.site)) ? siteNames[Int(course.site)] : "")
        field("sessions", "\(course.sessions), \(course.start) to \(course.end), site \(site.isEmpty ? "(none)" : site)")
        let values = (1...course.sessions).compactMap(course.sessionValue).map(\.shortDescription)
        let perLine = values.contains { $0.count > 10 } ? 4 : 6
        for chunk in stride(from: 0, to: values.count, by: perLine) {
            field("", values[chunk..<min(chunk + perLine, values.count)].joined(separator: ", "))
        }
        field("W", windowEndText(course, modality: modality))
        if evaluated.isClosed {
            let windows = result.windows.filter { $0.contains(course.windowEnd) }.map(\.kind.rawValue)
            field("closed", "W ≤ \(result.cut); counted in window\(windows.count == 1 ? "" : "s") \(windows.joined(separator: ", "))")
        } else {
            field("open", "W \(course.windowEnd) is after \(result.cut): in no count yet")
        }
        if let retention = retentionText(course, modality: modality, cut: result.cut) { field("retention", retention) }
        for outcome in evaluated.outcomes {
            let instrument = catalog.instruments[outcome.instrument]
            let scores = events.scores.scores(patient: course.patient, instrument: outcome.instrument)
            for (index, line) in instrumentLines(course, modality, outcome, instrument, scores).enumerated() {
                field(index == 0 ? instrument.name : "", line)
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// W with the rule that set it (DATA-CONTRACT §5).
    static func windowEndText(_ course: Course, modality: Modality) -> String {
        let detail = windowEndDetail(sessionDays: course.sessionDays, modality: modality)
        let g = modality.followUpDays
        switch detail.rule {
        case .acutePlusFollowUp(let n):
            var text = "\(detail.day) = d(\(n)) + \(g) days (session \(n) of the acute course was on \(course.sessionDay(n)!))"
            if course.sessions > n { text += "; d(\(n + 1)) = \(course.sessionDay(n + 1)!) is not earlier" }
            return text
        case .nextSession(let n):
            return "\(detail.day) = d(\(n + 1)), the next session, earlier than d(\(n)) + \(g) days = \(course.sessionDay(n)! + g)"
        case .endPlusFollowUp:
            let why = modality.acuteSessions.map { "fewer than \($0) sessions, so " } ?? ""
            return "\(detail.day) = \(why)the last session \(course.end) + \(g) days"
        case .horizon:
            return "\(detail.day) = start + \(modality.horizonDays!) days (the horizon; it would otherwise be later)"
        }
    }

    /// DATA-CONTRACT §9, for modalities with a retention rule.
    static func retentionText(_ course: Course, modality: Modality, cut: Day) -> String? {
        guard let day = retentionEvaluableDay(of: course, modality: modality), let days = modality.retentionDays else { return nil }
        let length = course.end - course.start
        let evaluable = day <= cut ? "evaluable on \(day) = start + \(days) + \(modality.gapDays) days"
                                   : "not yet evaluable (on \(day) = start + \(days) + \(modality.gapDays) days)"
        return "\(evaluable); end − start = \(length) days \(length >= days ? "≥" : "<") \(days): \(isRetained(course, modality: modality) ? "retained" : "not retained")"
    }

    /// Baseline, follow-up, endpoint, status and every outcome with its
    /// arithmetic (DATA-CONTRACT §3, §6, §6b), with the instants compared.
    static func instrumentLines(_ course: Course, _ modality: Modality, _ outcome: InstrumentOutcome, _ instrument: Instrument,
                                _ scores: ArraySlice<ScoreEvent>) -> [String] {
        let earliest = course.start - baselineLookbackDays
        let first = course.sessionValue(1)!
        guard let base = outcome.baseline else {
            return ["no_baseline: no \(instrument.name) score from \(earliest) up to the first session (\(first.shortDescription))"]
        }
        let b = Int(base.score)
        var baselineLine = "baseline \(b) on \(base.value.shortDescription)"
        if base.isTimed || first.secondOfDay != nil { baselineLine += ", before the first session (\(first.shortDescription))" }
        if base.item9 >= 0 && instrument.recordsItemNine { baselineLine += " (item 9: \(base.item9))" }
        var lines = [baselineLine]
        if outcome.status == .belowThreshold {
            lines.append("below_threshold: baseline \(b) < \(instrument.minBaseline), not judged")
            return lines
        }
        let followUps = followUpScores(of: course, in: scores)
        guard let end = outcome.endpoint else {
            lines.append("no_followup: no \(instrument.name) score after the first session up to W \(course.windowEnd); in ITT as a non-responder")
            return lines
        }
        let shown = followUps.map { "\($0.score) (\($0.value.shortDescription))" }
        let perLine = followUps.contains(where: \.isTimed) ? 4 : 6
        for chunk in stride(from: 0, to: shown.count, by: perLine) {
            lines.append((chunk == 0 ? "follow-up " : "          ") + shown[chunk..<min(chunk + perLine, shown.count)].joined(separator: ", "))
        }
        let e = Int(end.score)
        lines.append("endpoint \(e) on \(end.value.shortDescription); evaluated (evaluable)")
        lines.append((outcome.isResponder ? "responder: " : "not a responder: ") + responseArithmetic(instrument, b, e, met: outcome.isResponder))
        if let remission = instrument.remission, let remitted = outcome.isRemitter {
            lines.append(remitted ? "remitter: \(e) ≤ \(remission)" : "not a remitter: \(e) > \(remission)")
        }
        if let change = instrument.reliableChange, let improved = outcome.isReliablyImproved,
           let deteriorated = outcome.isReliablyDeteriorated {
            if improved { lines.append("reliably improved: \(b) − \(e) = \(b - e) ≥ \(change)") }
            else if deteriorated { lines.append("reliably deteriorated: \(e) − \(b) = \(e - b) ≥ \(change)") }
            else { lines.append("no reliable change: |\(e) − \(b)| = \(abs(e - b)) < \(change)") }
        }
        if let recovered = outcome.isRecovered {
            lines.append(recovered ? "recovered: remitted and reliably improved" : "not recovered: needs remission and reliable improvement")
        }
        lines.append(completerText(course, modality, outcome))
        if let early = outcome.earlyResponse {
            lines.append("early responder: \(early.score) on \(early.value.shortDescription), \(earlyWindow(course))")
        } else {
            lines.append("not an early responder: no score \(earlyWindow(course)) met the response rule")
        }
        if let sessions = outcome.sessionsToResponse, let response = outcome.firstResponse {
            lines.append("\(sessions) session\(sessions == 1 ? "" : "s") before the first response (\(response.score) on \(response.value.shortDescription))")
        }
        lines += timePointLines(course, modality, outcome, instrument, baseline: b)
        return lines
    }

    /// Whether an evaluable course counts among the completers, and why.
    static func completerText(_ course: Course, _ modality: Modality, _ outcome: InstrumentOutcome) -> String {
        guard let completion = modality.completionSessions else {
            return "a completer: the treatment has no set number of sessions, so every evaluable course counts"
        }
        if course.sessions >= completion { return "a completer: \(course.sessions) sessions ≥ \(completion)" }
        if outcome.isCompleter { return "a completer: responded after \(course.sessions) of \(completion) sessions" }
        return "not a completer: \(course.sessions) of \(completion) sessions and no response"
    }

    /// "before the second session (2026-10-03)", or "up to W" for a one-session course.
    static func earlyWindow(_ course: Course) -> String {
        guard let second = course.sessionValue(2) else { return "up to W \(course.windowEnd) (one session)" }
        return "before the second session (\(second.shortDescription))"
    }

    /// DATA-CONTRACT §6b: each time point's score and its offset, for an ITT
    /// course whose first session has a time.
    static func timePointLines(_ course: Course, _ modality: Modality, _ outcome: InstrumentOutcome, _ instrument: Instrument,
                               baseline b: Int) -> [String] {
        guard !modality.timePoints.isEmpty else { return [] }
        guard course.startIsTimed else { return ["time points: the first session has no time, so none is read"] }
        return zip(modality.timePoints, outcome.timePointScores).map { point, score in
            let range = "\(TimePoint.hours(point.earliest))–\(TimePoint.hours(point.latest)) h"
            guard let score else { return "\(point.label): no timed score \(range) after the first session" }
            let offset = NumberFormat.fixed(Double(score.instant - course.startInstant) / 3600, decimals: 1)
            let s = Int(score.score)
            let change = s - b < 0 ? "−\(b - s)" : "+\(s - b)"
            var text = "\(point.label): \(s) at \(score.value.shortDescription) (+\(offset) h, closest to \(TimePoint.hours(point.target)) h in \(range)); change \(change)"
            text += instrument.meetsResponse(baseline: b, endpoint: s) ? ", responding" : ", not responding"
            if let remitted = instrument.meetsRemission(endpoint: s) { text += remitted ? ", remitted" : "" }
            return text
        }
    }

    /// "(20 − 4) · 100 = 1600 ≥ 50 · (20 − 0) = 1000".
    static func responseArithmetic(_ instrument: Instrument, _ b: Int, _ e: Int, met: Bool) -> String {
        switch instrument.response {
        case .percent(let p):
            return "(\(b) − \(e)) · 100 = \((b - e) * 100) \(met ? "≥" : "<") \(p) · (\(b) − \(instrument.floor)) = \(p * (b - instrument.floor))"
        case .points(let k):
            return "\(b) − \(e) = \(b - e) \(met ? "≥" : "<") \(k)"
        }
    }
}
