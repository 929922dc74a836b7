import Foundation
import Testing
@testable import OutcomesKit

/// A report evaluates patients a chunk at a time, reading only that chunk's
/// scores: whatever the chunk size, every row, the summary and field views equal
/// the computation over all events at once.
@Suite struct PatientByPatientTests {
    @Test func everyChunkSizeGivesWhatAllAtOnceGives() throws {
        let test = try TestStore.synthetic(SyntheticOptions(patients: 250, seed: 23, from: SyntheticOptions.defaultFrom,
                                                            to: SyntheticOptions.defaultTo, messyRate: 0.02, split: 1))
        let store = test.store
        defer { withExtendedLifetime(test) {} }
        for month in [YearMonth("2026-10")!, YearMonth("2025-09")!] {
            let cut = cutDate(of: month)
            let all = try store.outcomeInput(catalog: .standard, asOf: cut)
            let events = OutcomeEngine.prepare(all, catalog: .standard)
            let whole = OutcomeEngine.compute(events, catalog: .standard, month: month)
            let wholeViews = OutcomeEngine.fieldViews(whole, events: events, catalog: .standard)
            #expect(whole.courses.count > 100 && !wholeViews.survival.isEmpty)
            var chunksRead = 0
            for sessionsPerChunk in [1, 37, 1_000, 1 << 16] {
                var sessionsOnly = try store.outcomeInput(catalog: .standard, asOf: cut, withScores: false)
                #expect(sessionsOnly.scores.isEmpty && !sessionsOnly.sessions.isEmpty)
                let (result, views) = try OutcomeEngine.computeByPatient(&sessionsOnly, scores: { patients in
                    chunksRead += 1
                    return try store.scoreEvents(catalog: .standard, asOf: cut, patients: patients)
                }, catalog: .standard, month: month, sessionsPerChunk: sessionsPerChunk)
                // Folded course by course: no course is held, the summary equals.
                #expect(result.courses.isEmpty && result.summary == whole.summary, "\(month), \(sessionsPerChunk) sessions per chunk")
                #expect(result.outcomeRows == whole.outcomeRows && result.retentionRows == whole.retentionRows
                        && result.timePointRows == whole.timePointRows, "\(month), \(sessionsPerChunk) sessions per chunk")
                #expect(views == wholeViews, "\(month), \(sessionsPerChunk) sessions per chunk")
            }
            // One chunk per patient with sessions at size 1, one in all at the largest.
            let patients = Set(all.sessions.map(\.patient)).count
            #expect(chunksRead > patients && patients > 100, "\(chunksRead) chunks, \(patients) patients")
        }
    }

    /// A report input built without a store (its scores in memory) gives the
    /// same files as one reading its scores from the store by patient.
    @Test func scoresInMemoryGiveTheStoresReport() throws {
        let test = try TestStore.synthetic(SyntheticOptions(patients: 120, seed: 5, from: SyntheticOptions.defaultFrom,
                                                            to: SyntheticOptions.defaultTo, messyRate: 0, split: 1))
        let store = test.store
        defer { withExtendedLifetime(test) {} }
        let month = YearMonth("2026-10")!, cut = cutDate(of: month)
        let fromStore = try store.reportInput(catalog: .standard, asOf: cut)
        #expect(fromStore.scores != nil && fromStore.events.scores.isEmpty)
        var inMemory = fromStore
        inMemory.scores = nil
        inMemory.events.scores = try store.scoreEvents(catalog: .standard, asOf: cut, patients: Int32.min...Int32.max).reversed()
        let settings = ReportSettings(month: month)
        let expected = try ReportBuilder.build(fromStore, settings: settings).files.files
        let actual = try ReportBuilder.build(inMemory, settings: settings).files.files
        #expect(actual.map(\.name) == expected.map(\.name))
        for (a, e) in zip(actual, expected) { #expect(a.contents == e.contents, "\(a.name)") }
        // Ranges at the ends of the key space.
        let holding = ScoreSource.holding(inMemory.events.scores)
        #expect(try holding.read(Int32.min...Int32.max).count == inMemory.events.scores.count)
        #expect(try holding.read(Int32.max...Int32.max).isEmpty)
        let someone = try #require(inMemory.events.scores.first?.patient)
        #expect(try holding.read(someone...someone).count == inMemory.events.scores.count { $0.patient == someone })
    }
}
