/// Choices every part of a report makes the same way: which courses the
/// rapid-response chart's endpoint covers, and a result without site rows.
extension OutcomeResult {
    /// Endpoint − baseline over the evaluable courses judged in the last 12
    /// months whose first session has a time (the courses the time points
    /// describe), from the summary (`CourseSummary.timedEndpointChanges`).
    func endpointChangeOfTimedCourses(_ modality: Int, _ instrument: Int, catalog: Catalog) -> MeanChange {
        let tally = summary.timedEndpointChanges[CourseSummary.Scale(modality: modality, instrument: instrument)]
        return MeanChange(n: tally?.n ?? 0, sum: tally?.sum ?? 0, sumOfSquares: tally?.squares ?? 0)
    }
}

extension OutcomeResult {
    /// The result with its all-sites rows only (`report.sites: false`): no
    /// file or sentence of the report then names a site.
    func withoutSiteRows() -> OutcomeResult {
        OutcomeResult(month: month, cut: cut, windows: windows, courses: courses,
                      outcomeRows: outcomeRows.filter { $0.site == .allSites },
                      retentionRows: retentionRows.filter { $0.site == .allSites },
                      timePointRows: timePointRows.filter { $0.site == .allSites }, summary: summary)
    }
}
