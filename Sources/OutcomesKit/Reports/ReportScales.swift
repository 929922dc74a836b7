/// Choices every part of a report makes the same way: which courses the
/// rapid-response chart's endpoint covers, and a result without site rows.
extension OutcomeResult {
    /// Endpoint − baseline over the evaluable courses judged in the last 12
    /// months whose first session has a time (the courses the time points describe).
    func endpointChangeOfTimedCourses(_ modality: Int, _ instrument: Int, catalog: Catalog) -> MeanChange {
        guard let window = windows.first(where: { $0.kind == .twelveMonths }) else { return MeanChange([]) }
        var changes: [Int] = []
        for evaluated in courses where evaluated.isClosed && evaluated.course.modality == modality
            && evaluated.course.startIsTimed && window.contains(evaluated.course.windowEnd) {
            guard let outcome = evaluated.outcomes.first(where: { $0.instrument == instrument }), outcome.status.isEvaluable,
                  let baseline = outcome.baseline, let endpoint = outcome.endpoint else { continue }
            changes.append(Int(endpoint.score) - Int(baseline.score))
        }
        return MeanChange(changes)
    }
}

extension OutcomeResult {
    /// The result with its all-sites rows only (`report.sites: false`): no
    /// file or sentence of the report then names a site.
    func withoutSiteRows() -> OutcomeResult {
        OutcomeResult(month: month, cut: cut, windows: windows, courses: courses,
                      outcomeRows: outcomeRows.filter { $0.site == .allSites },
                      retentionRows: retentionRows.filter { $0.site == .allSites },
                      timePointRows: timePointRows.filter { $0.site == .allSites })
    }
}
