import Testing
@testable import OutcomesKit

/// DATA-CONTRACT §7–9 through the engine: windows, per-site rows, ordering, retention.
@Suite struct OutcomeEngineTests {
    let catalog = Catalog.standard
    var tms: Int { catalog.modalityIndex(id: "tms")! }
    var ort: Int { catalog.modalityIndex(id: "ort")! }
    var phq9: Int { catalog.instrumentIndex(id: "phq9")! }
    var gad7: Int { catalog.instrumentIndex(id: "gad7")! }

    /// One TMS session on `start` (W = start + 14), a PHQ-9 baseline on it and
    /// an endpoint a week later.
    func tmsPatient(_ patient: Int32, start: String, site: Int32, baseline: Int32 = 20, endpoint: Int32 = 8)
        -> ([SessionEvent], [ScoreEvent]) {
        let first = day(start)
        return ([SessionEvent(patient: patient, modality: tms, day: first, site: site)],
                [ScoreEvent(patient: patient, instrument: phq9, day: first, score: baseline),
                 ScoreEvent(patient: patient, instrument: phq9, day: first + 7, score: endpoint)])
    }

    func compute(_ parts: [([SessionEvent], [ScoreEvent])], sites: [String], month: String) -> OutcomeResult {
        let input = OutcomeInput(sessions: parts.flatMap(\.0), scores: parts.flatMap(\.1), siteNames: sites)
        return OutcomeEngine.compute(input, catalog: catalog, month: YearMonth(month)!)
    }

    @Test func windowsFollowW() {
        // W: 2026-10-15 (month), 2026-01-15 (12m), 2025-06-15 (all only), 2026-11-15 (open).
        let result = compute([
            tmsPatient(1, start: "2026-10-01", site: 0),
            tmsPatient(2, start: "2026-01-01", site: 0),
            tmsPatient(3, start: "2025-06-01", site: 0),
            tmsPatient(4, start: "2026-11-01", site: 0),
            tmsPatient(5, start: "2026-10-20", site: 0),   // W 2026-11-03 > C: open
        ], sites: ["North"], month: "2026-10")
        let phq9Rows = result.outcomeRows.filter { $0.instrument == phq9 && $0.site == .allSites }
        #expect(phq9Rows.map(\.window.kind) == [.month, .twelveMonths, .all])
        #expect(phq9Rows.map(\.courses) == [1, 2, 3])
        #expect(phq9Rows[2].window.periodStart == day("2025-06-01"), "`all` starts at the earliest session ≤ C")
        #expect(phq9Rows[1].window.periodStart == day("2025-11-01"))
        #expect(result.courses.filter { !$0.isClosed }.count == 1, "sessions after C do not exist; 10-20 is open")
    }

    @Test func monthBoundariesAreInclusive() {
        // W = 2026-10-31 (start 10-17) is in October; W = 2026-09-30 (start 09-16) is not.
        let result = compute([tmsPatient(1, start: "2026-10-17", site: 0), tmsPatient(2, start: "2026-09-16", site: 0)],
                             sites: ["North"], month: "2026-10")
        let month = result.outcomeRows.first { $0.window.kind == .month && $0.instrument == phq9 }
        #expect(month?.courses == 1)
    }

    @Test func siteRowsFollowAllSitesInByteOrder() {
        let result = compute([
            tmsPatient(1, start: "2026-10-01", site: 0),
            tmsPatient(2, start: "2026-10-02", site: 1),
            tmsPatient(3, start: "2026-10-03", site: 2),
        ], sites: ["south", "North", "Zeta"], month: "2026-10")
        let sites = result.outcomeRows.filter { $0.window.kind == .month && $0.instrument == phq9 }.map(\.site.label)
        #expect(sites == ["*", "North", "Zeta", "south"], "byte order: upper case before lower case")
    }

    @Test func rowsExistOnlyForSitesWithAClosedCourse() {
        let result = compute([tmsPatient(1, start: "2026-10-01", site: 0), tmsPatient(2, start: "2026-10-25", site: 1)],
                             sites: ["North", "South"], month: "2026-10")
        #expect(!result.outcomeRows.contains { $0.site == .site("South") })
    }

    @Test func everyInstrumentOfTheModalityGetsARowInIdOrder() {
        let result = compute([tmsPatient(1, start: "2026-10-01", site: 0)], sites: ["North"], month: "2026-10")
        let month = result.outcomeRows.filter { $0.window.kind == .month && $0.site == .allSites }
        #expect(month.map(\.instrument) == [gad7, phq9])
        #expect(month[0].noBaseline == 1 && month[0].intentionToTreat == 0)
    }

    @Test func retentionIsEvaluableOnStartPlusRPlusG() {
        // ORT: R 180, G 30. Start 2026-04-04: evaluable 2026-10-31 (in the month);
        // start 2026-04-05: evaluable 2026-11-01, not yet.
        let retained = (0..<27).map { SessionEvent(patient: 1, modality: ort, day: day("2026-04-04") + 7 * $0, site: 0) }
        let late = [SessionEvent(patient: 2, modality: ort, day: day("2026-04-05"), site: 0)]
        let result = compute([(retained, []), (late, [])], sites: ["North"], month: "2026-10")
        let month = result.retentionRows.filter { $0.window.kind == .month && $0.site == .allSites }
        #expect(month.count == 1)
        #expect(month.first?.evaluable == 1)
        #expect(month.first?.retained == 1, "end − start = 182 ≥ 180")
    }

    @Test func retentionNeedsEndMinusStartOfAtLeastR() {
        let modality = catalog.modality(named: "ort")!
        let exactly = Course(patient: 1, modality: 0, sessionDays: [day("2026-01-01"), day("2026-01-01") + 180],
                             site: 0, windowEnd: day("2026-01-01"))
        let short = Course(patient: 1, modality: 0, sessionDays: [day("2026-01-01"), day("2026-01-01") + 179],
                           site: 0, windowEnd: day("2026-01-01"))
        #expect(isRetained(exactly, modality: modality))
        #expect(!isRetained(short, modality: modality))
        #expect(retentionEvaluableDay(of: exactly, modality: modality) == day("2026-01-01") + 210)
        #expect(retentionEvaluableDay(of: exactly, modality: catalog.modality(named: "tms")!) == nil)
    }

    @Test func countsAreEmptyForRulesTheInstrumentLacks() {
        let lai = catalog.modalityIndex(id: "lai")!
        let bprs = catalog.instrumentIndex(id: "bprs")!
        let sessions = [SessionEvent(patient: 1, modality: lai, day: day("2026-03-01"), site: 0)]
        let scores = [ScoreEvent(patient: 1, instrument: bprs, day: day("2026-03-01"), score: 60),
                      ScoreEvent(patient: 1, instrument: bprs, day: day("2026-04-01"), score: 35)]
        let result = compute([(sessions, scores)], sites: ["North"], month: "2026-10")
        let row = result.outcomeRows.first { $0.instrument == bprs && $0.window.kind == .all && $0.site == .allSites }!
        #expect(row.remitters == nil && row.remissionITT == nil)
        #expect(row.improved == nil && row.deteriorated == nil)
        #expect(row.responders == 1)
    }

    @Test func aCourseTakesTheSmallestSiteOfItsFirstDayEndToEnd() throws {
        // Two sessions on the first day at two sites, the larger site listed first:
        // the course belongs to the smallest site by bytes ("North" < "South"), through ingest and report.
        let store = try TestStore()
        _ = try store.ingest([
            ("s.csv", "patient_id,session_id,session_date,modality,site\nP1,a,2026-10-01,tms,South\nP1,b,2026-10-01,tms,North\n"),
            ("c.csv", "patient_id,assessment_date,instrument,score\nP1,2026-10-01,phq9,20\nP1,2026-10-08,phq9,8\n"),
        ])
        let report = try ReportBuilder.build(store: store.store, settings: ReportSettings(month: YearMonth("2026-10")!))
        let sites = (report.files["outcomes.csv"] ?? "").split(separator: "\n").dropFirst()
            .filter { $0.hasPrefix("month,") && $0.contains(",tms,phq9,") }
            .map { $0.split(separator: ",", omittingEmptySubsequences: false)[5] }
        #expect(sites == ["*", "North"])
    }
}
