/// One row of `retention.csv` (DATA-CONTRACT §9).
public struct RetentionRow: Hashable, Sendable {
    public let window: ReportWindow
    /// Position of the modality in `Catalog.modalities`.
    public let modality: Int
    public let site: SiteSelector
    public let evaluable: Int
    public let retained: Int
    public let retention: Proportion?
}

/// DATA-CONTRACT §9: the day a course becomes evaluable for retention, `start + R + G`
/// (by then a patient still in treatment has come back). Nil for a modality
/// without retention days.
public func retentionEvaluableDay(of course: Course, modality: Modality) -> Day? {
    modality.retentionDays.map { course.start + $0 + modality.gapDays }
}

/// DATA-CONTRACT §9: retained when `end − start ≥ R`.
public func isRetained(_ course: Course, modality: Modality) -> Bool {
    guard let retention = modality.retentionDays else { return false }
    return course.end - course.start >= retention
}
