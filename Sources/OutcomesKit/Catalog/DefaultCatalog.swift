/// The contract's default instruments (§3) and modalities (§4).
extension Catalog {
    /// DATA-CONTRACT §3, table of instruments.
    public static let defaultInstruments: [Instrument] = [
        Instrument(id: "phq9", name: "PHQ-9", measures: "depression (self-report)",
                   aliases: ["phq-9", "phq 9"], floor: 0, max: 27, minBaseline: 10,
                   response: .percent(50), remission: 4, reliableChange: 6, recordsItemNine: true),
        Instrument(id: "gad7", name: "GAD-7", measures: "anxiety (self-report)",
                   aliases: ["gad-7"], floor: 0, max: 21, minBaseline: 10,
                   response: .percent(50), remission: 4, reliableChange: 4),
        Instrument(id: "madrs", name: "MADRS", measures: "depression (clinician-rated)",
                   aliases: [], floor: 0, max: 60, minBaseline: 20,
                   response: .percent(50), remission: 10, reliableChange: 7),
        Instrument(id: "hamd17", name: "HAM-D17", measures: "depression (clinician-rated)",
                   aliases: ["ham-d", "hamd", "hdrs17"], floor: 0, max: 52, minBaseline: 14,
                   response: .percent(50), remission: 7, reliableChange: 6),
        Instrument(id: "qids_sr16", name: "QIDS-SR16", measures: "depression (self-report)",
                   aliases: ["qids", "qids-sr"], floor: 0, max: 27, minBaseline: 11,
                   response: .percent(50), remission: 5, reliableChange: 5),
        Instrument(id: "bdi2", name: "BDI-II", measures: "depression (self-report)",
                   aliases: ["bdi-ii", "bdi"], floor: 0, max: 63, minBaseline: 20,
                   response: .percent(50), remission: 12, reliableChange: 9),
        Instrument(id: "pcl5", name: "PCL-5", measures: "post-traumatic stress (self-report)",
                   aliases: ["pcl-5"], floor: 0, max: 80, minBaseline: 33,
                   response: .points(10), remission: 32, reliableChange: 10),
        Instrument(id: "ymrs", name: "YMRS", measures: "mania (clinician-rated)",
                   aliases: [], floor: 0, max: 60, minBaseline: 20,
                   response: .percent(50), remission: 12, reliableChange: nil),
        Instrument(id: "bprs", name: "BPRS", measures: "psychotic symptoms (clinician-rated)",
                   aliases: ["bprs-18"], floor: 18, max: 126, minBaseline: 41,
                   response: .percent(40), remission: nil, reliableChange: nil),
        Instrument(id: "cgi_s", name: "CGI-S", measures: "overall illness severity (clinician-rated)",
                   aliases: ["cgi-s"], floor: 1, max: 7, minBaseline: 4,
                   response: .points(2), remission: 2, reliableChange: nil),
        Instrument(id: "mrs", name: "MRS", measures: "menopause symptoms (self-report)",
                   aliases: [], floor: 0, max: 44, minBaseline: 9,
                   response: .percent(50), remission: 4, reliableChange: nil),
        Instrument(id: "tnss", name: "TNSS", measures: "nasal allergy symptoms (self-report)",
                   aliases: ["rtnss"], floor: 0, max: 12, minBaseline: 4,
                   response: .percent(30), remission: nil, reliableChange: nil),
    ]

    /// DATA-CONTRACT §4: the two dose-anchored time points of the ketamine and esketamine trials.
    public static let rapidResponseTimePoints = [
        TimePoint(label: "4h", targetHours: 4, earliestHours: 2, latestHours: 8),
        TimePoint(label: "24h", targetHours: 24, earliestHours: 16, latestHours: 48),
    ]

    /// DATA-CONTRACT §4, table of modalities.
    public static let defaultModalities: [Modality] = [
        Modality(id: "ketamine_iv", name: "Ketamine infusion",
                 aliases: ["ketamine", "iv ketamine", "ketamine infusion"],
                 instruments: ["phq9", "gad7", "madrs", "pcl5"],
                 acuteSessions: 6, completionSessions: 6, horizonDays: nil, gapDays: 90, followUpDays: 14, retentionDays: nil,
                 timePoints: rapidResponseTimePoints, headline: .instrument("phq9"), sessionBins: [1, 4, 6]),
        Modality(id: "esketamine", name: "Esketamine nasal spray", aliases: ["spravato"],
                 instruments: ["phq9", "madrs"],
                 acuteSessions: 8, completionSessions: 8, horizonDays: nil, gapDays: 90, followUpDays: 14, retentionDays: nil,
                 timePoints: rapidResponseTimePoints, headline: .instrument("madrs"), sessionBins: [1, 4, 6]),
        Modality(id: "tms", name: "TMS", aliases: ["rtms", "neurostar", "neurostar tms"],
                 instruments: ["phq9", "gad7"],
                 acuteSessions: 36, completionSessions: 20, horizonDays: nil, gapDays: 60, followUpDays: 14, retentionDays: nil,
                 // The NeuroStar registry's bins (Sackeim 2020; Hutton 2023).
                 headline: .instrument("phq9"), sessionBins: [1, 20, 30, 36]),
        Modality(id: "ort", name: "Opioid replacement therapy", aliases: ["buprenorphine", "suboxone", "moud"],
                 instruments: ["phq9", "gad7"],
                 acuteSessions: nil, horizonDays: 180, gapDays: 30, followUpDays: 30, retentionDays: 180,
                 headline: .retention),
        Modality(id: "lai", name: "Long-acting injectable", aliases: ["invega", "invega sustenna", "paliperidone"],
                 instruments: ["ymrs", "bprs", "cgi_s", "phq9"],
                 acuteSessions: nil, horizonDays: 180, gapDays: 60, followUpDays: 45, retentionDays: 180,
                 headline: .retention),
        Modality(id: "bhrt", name: "Bioidentical hormone therapy", aliases: ["hrt"],
                 instruments: ["mrs"],
                 acuteSessions: nil, horizonDays: 90, gapDays: 120, followUpDays: 45, retentionDays: nil,
                 headline: .instrument("mrs")),
        Modality(id: "ait", name: "Allergy immunotherapy", aliases: ["allergy shots", "scit"],
                 instruments: ["tnss"],
                 acuteSessions: nil, horizonDays: 365, gapDays: 60, followUpDays: 30, retentionDays: nil,
                 headline: .instrument("tnss")),
    ]

    /// The contract's defaults, unchanged.
    public static let standard: Catalog = {
        do { return try Catalog(instruments: defaultInstruments, modalities: defaultModalities) }
        catch { fatalError("the built-in catalogue is invalid: \(error)") }
    }()
}
