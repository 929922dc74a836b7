import Foundation
import Testing
@testable import OutcomesKit

/// Files are owner-only, and no row value reaches a log.
@Suite struct PrivacyTests {
    @Test func storeAndReportFilesAreOwnerOnly() throws {
        let folder = TemporaryFolder()
        let store = folder.file("store.sqlite")
        let exports = folder.write("s.csv", "patient_id,session_date,modality,site\nP1,2026-10-01,tms,North\n")
        #expect(try CommandLineTool.run(["ingest", "--db", store, exports]).status == 0)
        #expect(try CommandLineTool.run(["report", "--db", store, "--month", "2026-10", "--out", folder.file("out")]).status == 0)
        for path in [store, folder.file("out/outcomes.csv"), folder.file("out/outcomes.md"), folder.file("out/charts/trend.svg")] {
            let mode = (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue
            #expect(mode == 0o600, "\(path): \(String(mode ?? 0, radix: 8))")
        }
    }

    @Test func noRowValueReachesTheLogsEvenVerbose() throws {
        let folder = TemporaryFolder()
        folder.write("exports/sessions.csv", """
            patient_id,session_date,modality,site
            ZZSECRET1,2026-10-01,tms,SecretSiteName
            987-65-4321,2026-10-01,tms,SecretSiteName
            ZZSECRET2,2026-13-01,tms,SecretSiteName
            ZZSECRET1,2026-10-01,tms,OtherSecretSite

            """)
        folder.write("exports/scores.csv", "patient_id,assessment_date,instrument,score\nZZSECRET1,2026-10-01,phq9,99\n")
        let pipeline = folder.write("p.yaml", "store: store.sqlite\ninputs: [exports/*.csv]\nreports: reports\n")
        var logs = ""
        for arguments in [["run", pipeline, "--month", "2026-10", "--verbose"],
                          ["ingest", "--db", folder.file("other.sqlite"), folder.file("exports/sessions.csv"), "--verbose"],
                          ["report", "--db", folder.file("store.sqlite"), "--month", "2026-10", "--out", folder.file("out"), "--verbose"]] {
            let result = try CommandLineTool.run(arguments)
            #expect(result.status == 0, "\(result.stderr)")
            logs += result.stdout + result.stderr
        }
        #expect(logs.contains("rejected"), "the logs do say what happened")
        // The test's own folder (a random UUID) is in the logs' paths; only row values matter here.
        logs = logs.replacingOccurrences(of: folder.path, with: "FOLDER")
        for secret in ["ZZSECRET", "987-65-4321", "SecretSiteName", "OtherSecretSite", "2026-13-01", "99"] {
            #expect(!logs.contains(secret), "\(secret) appears in the logs")
        }
        // Reject details name columns and problems, not identifying values.
        let rejects = try String(contentsOfFile: folder.file("reports/2026-10/rejects.csv"), encoding: .utf8)
        for secret in ["ZZSECRET", "987-65-4321", "SecretSiteName", "2026-13-01"] {
            #expect(!rejects.contains(secret), "\(secret) appears in rejects.csv")
        }
    }
}
