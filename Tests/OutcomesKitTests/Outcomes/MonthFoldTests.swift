import Foundation
import Testing
@testable import OutcomesKit

/// A report folds its courses one at a time, in whatever order the store
/// gives them (kept records first, then the recomputed patients'): the
/// month's rows, field views, summary and trend must not depend on it.
@Suite struct MonthFoldTests {
    @Test func anyOrderOfCoursesGivesTheListsResult() throws {
        // The folder holds the store's file: kept until the test ends.
        let (folder, store) = try CourseResultsTests.store(patients: 300, seed: 31)
        defer { withExtendedLifetime(folder) {} }
        let month = YearMonth("2026-10")!, cut = cutDate(of: month)
        let events = OutcomeEngine.prepare(try store.outcomeInput(catalog: .standard, asOf: cut), catalog: .standard)
        let whole = OutcomeEngine.compute(events, catalog: .standard, month: month)
        let wholeViews = OutcomeEngine.fieldViews(whole, events: events, catalog: .standard)
        let trendMonths = (0..<8).reversed().map { month.adding(months: -$0) }
        let wholeTrend = OutcomeEngine.monthRows(of: whole, months: trendMonths, catalog: .standard)
        #expect(whole.summary.closedCourses > 100 && whole.summary.sessionInMonth && !whole.summary.itemNine.isEmpty)
        #expect(!whole.summary.timedEndpointChanges.isEmpty && wholeTrend.contains { !$0.isEmpty })
        let records = OutcomeEngine.courseRecords(events, catalog: .standard, cut: cut)
        var generator = SyntheticRandom(seed: 7)
        for order in [records, records.reversed(), records.shuffled(using: &generator)] {
            var fold = MonthFold(month: month, firstSessionDay: events.firstSessionDay, siteNames: events.siteNames,
                                 catalog: .standard, trendMonths: trendMonths)
            for record in order { fold.add(record) }
            let (result, views, trend) = fold.finish()
            #expect(result.outcomeRows == whole.outcomeRows && result.retentionRows == whole.retentionRows
                    && result.timePointRows == whole.timePointRows)
            #expect(result.summary == whole.summary)
            #expect(views == wholeViews)
            #expect(trend == wholeTrend)
        }
    }
}
