import Foundation
import Testing
@testable import OutcomesKit

/// Which rate the trend shows: each month's own, or a trailing three months
/// when most months are small, and never overlapping totals in a report
/// that withholds small counts.
@Suite(.serialized) struct TrendSmoothingTests {
    static let month = YearMonth("2026-10")!

    func trendHeader(_ store: OutcomeStore, _ options: ReportOptions) throws -> String? {
        let built = try ReportBuilder.build(store: store, settings: ReportSettings(month: Self.month, options: options))
        let markdown = built.files.files.first { $0.name == "outcomes.md" }!.contents
        let trend = markdown.components(separatedBy: "## Trend")[1]
        return trend.split(separator: "\n").first { $0.hasPrefix("| ") }.map { String($0.split(separator: "|")[0]).trimmingCharacters(in: .whitespaces) }
    }

    @Test func theSampleIsSmallSoTheDefaultIsATrailingThreeMonths() throws {
        let folder = TemporaryFolder()
        let store = try AttackerTests.sampleStore(in: folder)
        #expect(try trendHeader(store, ReportOptions()) == "3 months to")
        #expect(try trendHeader(store, ReportOptions(trendSmoothing: 1)) == "Month")
        // Suppression keeps months whatever is asked: overlapping sums would give them away.
        #expect(try trendHeader(store, ReportOptions(minCell: 11, trendSmoothing: 3)) == "Month")
    }

    @Test func monthsWithoutCoursesDoNotCountAsSmall() {
        let catalog = Catalog.standard
        let result = OutcomeEngine.compute(OutcomeInput(sessions: [], scores: [], siteNames: []), catalog: catalog, month: Self.month)
        let months = (0..<12).map { OutcomeEngine.monthRows(of: result, month: Self.month.adding(months: -$0), catalog: catalog) }
        #expect(ReportBuilder.trendSmoothing(for: months, result: result, catalog: catalog) == 1)
    }

    @Test func aSuppressedPipelineRefusesTrailingRates() throws {
        let folder = TemporaryFolder()
        let base = "store: s.sqlite\ninputs: [d/*.csv]\nreports: r\nreport:\n"
        let three = try PipelineDefinition.load(path: folder.write("a.yaml", base + "  trend_smoothing: 3\n"))
        #expect(three.report.trendSmoothing == 3)
        #expect(throws: PipelineError.self) { try PipelineDefinition.load(path: folder.write("b.yaml", base + "  trend_smoothing: 2\n")) }
        do {
            _ = try PipelineDefinition.load(path: folder.write("c.yaml", base + "  min_cell: 11\n  trend_smoothing: 3\n"))
            Issue.record("a suppressed pipeline accepted a trailing rate")
        } catch {
            #expect("\(error)".contains("give each month's count away by subtraction"), "\(error)")
        }
    }
}
