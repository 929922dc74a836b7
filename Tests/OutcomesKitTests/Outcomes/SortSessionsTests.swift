import Testing
@testable import OutcomesKit

/// The engine sorts millions of sessions in place (patients placed by a
/// counting pass, then each patient's sorted): the order must equal a plain
/// sort by the contract's key, for dense and sparse patient keys alike.
@Suite struct SortSessionsTests {
    @Test(arguments: [(patients: Int32(300), spread: Int32(1)), (patients: 40, spread: 1_000_000)])
    func placingByPatientEqualsAPlainSort(patients: Int32, spread: Int32) {
        var random = SyntheticRandom(seed: 11)
        let siteRank = [2, 0, 1]
        var sessions: [SessionEvent] = (0..<5_000).map { _ in
            SessionEvent(patient: Int32.random(in: 0..<patients, using: &random) * spread,
                         modality: Int.random(in: -1..<4, using: &random),
                         day: Day(ordinal: Int32.random(in: 20_000..<20_030, using: &random)),
                         time: Bool.random(using: &random) ? -1 : Int32.random(in: 0..<3, using: &random) * 3_600,
                         site: Int32.random(in: 0..<3, using: &random))
        }
        var expected = sessions.filter { (0..<3).contains($0.modality) }
        expected.sort {
            ($0.patient, $0.modality, $0.instant, siteRank[Int($0.site)], $0.isTimed ? 1 : 0)
                < ($1.patient, $1.modality, $1.instant, siteRank[Int($1.site)], $1.isTimed ? 1 : 0)
        }
        OutcomeEngine.sortSessions(&sessions, siteRank: siteRank, modalities: 3)
        #expect(sessions == expected)
    }

    @Test func groupsAreEachPatientsRangeInOrder() {
        var sessions = [5, 3, 5, 9, 3, 3].map { SessionEvent(patient: $0, modality: 0, day: Day(ordinal: 20_000), site: 0) }
        let groups = OutcomeEngine.groupByPatient(&sessions)
        #expect(sessions.map(\.patient) == [3, 3, 3, 5, 5, 9])
        #expect(groups == [0..<3, 3..<5, 5..<6])
    }
}
