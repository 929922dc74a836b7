/// PHQ-9 item 9 (thoughts of self-harm) across closed courses: the report's
/// safety section. Item 9 is positive when it is 1–3.
public struct ItemNineSummary: Hashable, Sendable {
    /// Position of the modality in `Catalog.modalities`.
    public var modality: Int
    /// Closed courses with a PHQ-9 baseline whose item 9 was recorded.
    public var baselineRecorded = 0
    /// Of those, item 9 positive at baseline.
    public var positiveAtBaseline = 0
    /// Positive at baseline and 0 at the endpoint.
    public var resolved = 0
    /// Positive at baseline and still positive at the endpoint.
    public var persisted = 0
    /// Positive at baseline with no endpoint item 9 (no follow-up, or not recorded).
    public var unknownAtEndpoint = 0
    /// 0 at baseline and positive at the endpoint: new at the end of the course.
    public var emergent = 0
}

/// Item-9 counts per modality for closed courses judged in `window`, for
/// modalities that use the PHQ-9, in catalogue order, folded one course at a
/// time (the report's `CourseSummary.itemNine`, for the 12-month window).
struct ItemNineFold: Sendable {
    let window: ReportWindow
    private let itemNine: Int?
    /// By modality position; nil for a modality without the item-9 scale.
    private var byModality: [ItemNineSummary?]

    init(window: ReportWindow, catalog: Catalog) {
        self.window = window
        itemNine = catalog.itemNineInstrument
        let itemNineID = itemNine.map { catalog.instruments[$0].id }
        byModality = catalog.modalities.enumerated().map { index, modality in
            itemNineID.map { modality.instruments.contains($0) } == true ? ItemNineSummary(modality: index) : nil
        }
    }

    mutating func add(_ evaluated: EvaluatedCourse) {
        guard let itemNine, evaluated.isClosed, window.contains(evaluated.course.windowEnd),
              var summary = byModality[evaluated.course.modality],
              let outcome = evaluated.outcomes.first(where: { $0.instrument == itemNine }),
              let baseline = outcome.baseline, baseline.item9 >= 0 else { return }
        summary.baselineRecorded += 1
        let endpointItem = outcome.endpoint?.item9 ?? -1
        if baseline.item9 > 0 {
            summary.positiveAtBaseline += 1
            switch endpointItem {
            case 0: summary.resolved += 1
            case 1...: summary.persisted += 1
            default: summary.unknownAtEndpoint += 1
            }
        } else if endpointItem > 0 {
            summary.emergent += 1
        }
        byModality[evaluated.course.modality] = summary
    }

    /// One summary per modality that has the item-9 scale, in modality order.
    var summaries: [ItemNineSummary] { byModality.compactMap { $0 } }
}
