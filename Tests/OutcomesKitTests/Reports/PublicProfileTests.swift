import Foundation
import Testing
@testable import OutcomesKit

/// The public profile does what docs/PIPELINES.md says in every file:
/// `report.sites: false` leaves no site row anywhere, and `query` under the
/// public pipeline prints exactly what its report publishes.
@Suite(.serialized) struct PublicProfileTests {
    static let pipeline = """
        store: store.sqlite
        inputs: [data/*.csv]
        reports: reports
        report: { min_cell: 11, sites: false }
        """

    /// A folder with the sample data, a public pipeline, and its October 2026 report.
    static func publicRun() throws -> TemporaryFolder {
        let folder = TemporaryFolder()
        let samples = ExampleReportTests.repository.appendingPathComponent("sample-data").path
        try FileManager.default.createDirectory(atPath: folder.file("data"), withIntermediateDirectories: true)
        for name in try FileManager.default.contentsOfDirectory(atPath: samples) where name.hasSuffix(".csv") {
            // Copied as bytes: the sample holds rows in other encodings on purpose.
            try FileManager.default.copyItem(atPath: "\(samples)/\(name)", toPath: folder.file("data/\(name)"))
        }
        folder.write("p.yaml", pipeline)
        let run = try CommandLineTool.run(["run", "p.yaml", "--month", "2026-10", "--quiet"], in: folder.path)
        #expect(run.status == 0, "\(run.stderr)")
        return folder
    }

    @Test func noSiteRowsInAnyFileAndQueryShowsWhatTheReportShows() throws {
        let folder = try Self.publicRun()
        let report = folder.file("reports/2026-10")
        for name in ["outcomes.csv", "retention.csv", "timepoints.csv"] {
            let lines = try String(contentsOfFile: "\(report)/\(name)", encoding: .utf8).split(separator: "\n")
            let site = try #require(lines.first?.split(separator: ",").firstIndex(of: "site"))
            #expect(lines.count > 1)
            for line in lines.dropFirst() {
                #expect(line.split(separator: ",", omittingEmptySubsequences: false)[site] == "*", "\(name): \(line)")
            }
        }
        let markdown = try String(contentsOfFile: "\(report)/outcomes.md", encoding: .utf8)
        #expect(!markdown.contains("## Sites"))

        let query = try CommandLineTool.run(["query", "--db", folder.file("store.sqlite"), "--month", "2026-10",
                                             "--pipeline", folder.file("p.yaml"), "--format", "csv"])
        #expect(query.status == 0, "\(query.stderr)")
        #expect(query.stdout == (try String(contentsOfFile: "\(report)/outcomes.csv", encoding: .utf8)))

        let bySite = try CommandLineTool.run(["query", "--db", folder.file("store.sqlite"), "--month", "2026-10",
                                              "--pipeline", folder.file("p.yaml"), "--by", "site"])
        #expect(bySite.status == 64)
        #expect(bySite.stderr.contains("publishes no site rows (report.sites: false)"), "\(bySite.stderr)")
    }
}
