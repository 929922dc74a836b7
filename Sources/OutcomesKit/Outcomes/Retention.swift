/// One row of `retention.csv` (SPEC §9).
public struct RetentionRow: Hashable, Sendable {
    public let window: ReportWindow
    public let modality: String
    public let site: SiteSelector
    public let evaluable: Int
    public let retained: Int
    public let retention: Proportion?
}

/// SPEC §9: the day a course becomes evaluable for retention, `start + R + G`
/// (by then a patient still in treatment has come back). Nil for a modality
/// without retention days.
public func retentionEvaluableDay(of course: Course, modality: Modality) -> Day? {
    modality.retentionDays.map { course.start + $0 + modality.gapDays }
}

/// SPEC §9: retained when `end − start ≥ R`.
public func isRetained(_ course: Course, modality: Modality) -> Bool {
    guard let retention = modality.retentionDays else { return false }
    return course.end - course.start >= retention
}
