import Foundation
import Testing
@testable import OutcomesKit

/// External check on real trial data: Claus, Scherbaum & Bonnet (2020), as
/// shipped with the R package clinicalsignificance and turned into this
/// project's input format (see Fixtures/claus_2020/README.md). A pipeline adds
/// a modality `inpatient`; the month window of 2026-03 must reproduce the
/// published 50 % improvement counts (HAMD 16 of 40; BDI 11 of 40: TAU 2, PA 9).
@Suite struct ClausExternalTests {
    @Test func publishedImprovementCountsAreReproduced() throws {
        let folder = TemporaryFolder()
        let pipelinePath = folder.write("claus.yaml", """
            store: store.sqlite
            inputs:
              - \(Fixtures.path("claus_2020/sessions.csv"))
              - \(Fixtures.path("claus_2020/scores.csv"))
            reports: reports
            catalog:
              instruments:
                hamd17: { min_baseline: 0 }
                bdi2: { min_baseline: 0 }
              modalities:
                inpatient:
                  name: Inpatient care
                  instruments: [hamd17, bdi2]
                  gap_days: 90
                  follow_up_days: 14
                  acute_sessions: null
                  horizon_days: null
            """)
        let pipeline = try PipelineDefinition.load(path: pipelinePath)
        let outcome = try PipelineRunner(pipeline: pipeline).run(month: YearMonth("2026-03")!)
        #expect(outcome.refused.isEmpty)
        let csv = try String(contentsOfFile: "\(outcome.reportFolder!)/outcomes.csv", encoding: .utf8)
        let header = csv.split(separator: "\n")[0].split(separator: ",").map(String.init)
        func column(_ name: String) -> Int { header.firstIndex(of: name)! }
        let rows = csv.split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
            .filter { $0[0] == "month" && $0[3] == "inpatient" }
        let table = rows.map { row in
            [row[column("instrument")], row[column("site")], row[column("courses")], row[column("itt_n")],
             row[column("evaluable_n")], row[column("responders")], row[column("response_rate_evaluable")]]
        }
        #expect(table == [
            ["bdi2", "*", "43", "43", "40", "11", "0.2750"],
            ["bdi2", "PA", "23", "23", "21", "9", "0.4286"],
            ["bdi2", "TAU", "20", "20", "19", "2", "0.1053"],
            ["hamd17", "*", "43", "43", "40", "16", "0.4000"],
            ["hamd17", "PA", "23", "23", "21", "14", "0.6667"],
            ["hamd17", "TAU", "20", "20", "19", "2", "0.1053"],
        ])
    }
}
