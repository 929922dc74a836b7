import Foundation
import Testing
@testable import OutcomesKit

/// `outcomes explain` on the conformance case, against a golden file that was
/// checked by hand against the case's README (W, baselines, responses).
@Suite struct ExplainTests {
    static let patients = ["K1", "K2", "K3", "K4", "T1", "O1", "O2", "E1", "B1", "L1"]

    func conformanceStore() throws -> (TemporaryFolder, OutcomeStore) {
        let folder = TemporaryFolder()
        let store = try OutcomeStore(path: folder.file("T.sqlite"), mode: .create)
        _ = try Ingestor(store: store, catalog: .standard)
            .ingest(["sessions.csv", "scores.csv"].map { Fixtures.path("conformance/case1/\($0)") })
        return (folder, store)
    }

    @Test func everyPatientOfTheConformanceCaseMatchesTheGoldenFile() throws {
        let (folder, store) = try conformanceStore()
        var text = ""
        for patient in Self.patients {
            text += try PatientExplanation.explain(store: store, catalog: .standard, pseudonym: patient, modality: nil,
                                                   month: YearMonth("2026-10")!) + "\n"
        }
        #expect(text == (try Fixtures.contents("explain/case1-2026-10.txt")))
        withExtendedLifetime(folder) {}
    }

    @Test func everyPatientOfCaseTwoMatchesItsGoldenFile() throws {
        // Instants, ties and time points, checked by hand against the case's README (A1, A2, E1).
        let folder = TemporaryFolder()
        let store = try OutcomeStore(path: folder.file("T.sqlite"), mode: .create)
        _ = try Ingestor(store: store, catalog: .standard)
            .ingest(["sessions.csv", "scores.csv"].map { Fixtures.path("conformance/case2/\($0)") })
        var text = ""
        for patient in ["A1", "A2", "A3", "E1", "E2", "N1"] {
            text += try PatientExplanation.explain(store: store, catalog: .standard, pseudonym: patient, modality: nil,
                                                   month: YearMonth("2026-10")!) + "\n"
        }
        #expect(text == (try Fixtures.contents("explain/case2-2026-10.txt")))
    }

    @Test func theCommandLinePrintsTheSameAndFilters() throws {
        let (folder, _) = try conformanceStore()
        let result = try CommandLineTool.run(["explain", "--db", folder.file("T.sqlite"), "--patient", "K1", "--month", "2026-10"])
        #expect(result.status == 0)
        let golden = try Fixtures.contents("explain/case1-2026-10.txt")
        // The golden file is each patient's explanation followed by a blank line; K1's comes first.
        let k1 = golden.range(of: "\nPatient K2,").map { String(golden[..<$0.lowerBound]) }
        #expect(k1 != nil && k1!.hasPrefix("Patient K1,"))
        #expect(result.stdout == k1)
        let filtered = try CommandLineTool.run(["explain", "--db", folder.file("T.sqlite"), "--patient", "K1", "--month", "2026-10",
                                                "--modality", "tms"])
        // Not "no session": the patient has other treatments, and the message names them.
        #expect(filtered.status == 64)
        #expect(filtered.stderr.contains("patient K1 has no TMS sessions; their sessions are of "), "\(filtered.stderr)")
        let unknown = try CommandLineTool.run(["explain", "--db", folder.file("T.sqlite"), "--patient", "NOBODY", "--month", "2026-10"])
        #expect(unknown.status == 64)
        #expect(unknown.stderr.contains("no patient \"NOBODY\""))
    }
}
