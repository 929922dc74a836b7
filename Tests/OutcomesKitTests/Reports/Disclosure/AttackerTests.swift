import Foundation
import Testing
@testable import OutcomesKit

/// The public profile against an attacker who parses its files and Markdown,
/// writes down every identity between the numbers and propagates bounds:
/// no withheld count, and no small group implied beside a rate, may be
/// narrowed to fewer than 3 values. Without complementary suppression the
/// same attacker must succeed (so the test can fail).
@Suite(.serialized) struct AttackerTests {
    static let month = YearMonth("2026-10")!

    /// A store holding `sample-data/`.
    static func sampleStore(in folder: TemporaryFolder) throws -> OutcomeStore {
        let paths = try FileManager.default.contentsOfDirectory(atPath: ExampleReportTests.repository.appendingPathComponent("sample-data").path)
            .filter { $0.hasSuffix(".csv") }.sorted()
            .map { ExampleReportTests.repository.appendingPathComponent("sample-data/\($0)").path }
        return try store(of: paths, in: folder)
    }

    /// A store holding `outcomes synth` data of `patients` patients.
    static func syntheticStore(patients: Int, seed: UInt64, in folder: TemporaryFolder) throws -> OutcomeStore {
        let data = folder.file("synth")
        _ = try SyntheticExport.write(SyntheticOptions(patients: patients, seed: seed, from: SyntheticOptions.defaultFrom,
                                                       to: SyntheticOptions.defaultTo, messyRate: 0.01, split: 0), to: data)
        let paths = try FileManager.default.contentsOfDirectory(atPath: data).filter { $0.hasSuffix(".csv") }.sorted().map { "\(data)/\($0)" }
        return try store(of: paths, in: folder)
    }

    static func store(of paths: [String], in folder: TemporaryFolder) throws -> OutcomeStore {
        let store = try OutcomeStore(path: folder.file("store.sqlite"), mode: .create)
        _ = try Ingestor(store: store, catalog: .standard).ingest(paths)
        return store
    }

    /// A month's report as text files, under a small-cell minimum or none.
    static func report(_ store: OutcomeStore, minCell: Int?, sites: Bool, complementary: Bool = true) throws -> [String: String] {
        var settings = ReportSettings(month: month, options: ReportOptions(minCell: minCell, siteBreakdown: sites))
        settings.complementarySuppression = complementary
        let built = try ReportBuilder.build(store: store, settings: settings)
        return Dictionary(uniqueKeysWithValues: built.files.files.map { ($0.name, $0.contents) })
    }

    /// What the attacker learns from the public report, checked against the internal one.
    static func attack(_ store: OutcomeStore, sites: Bool, complementary: Bool = true)
        throws -> (exposed: [(ReportAttacker.Key, ClosedRange<Int>)], unsound: [(ReportAttacker.Key, Int, ClosedRange<Int>)], withheld: Int) {
        // The truth: the same reading of the internal report, every count known.
        var insider = ReportAttacker()
        insider.read(try report(store, minCell: nil, sites: sites), month: month)
        let consistent = insider.propagate()
        #expect(consistent)
        var truth: [ReportAttacker.Key: Int] = [:]
        for (v, key) in insider.keys.enumerated() where insider.lower[v] == insider.upper[v] { truth[key] = insider.lower[v] }

        var attacker = ReportAttacker()
        attacker.read(try report(store, minCell: 11, sites: sites, complementary: complementary), month: month)
        let published = attacker.propagate()
        #expect(published, "the published numbers contradict each other")
        return (attacker.exposed(truth: truth), attacker.unsound(truth: truth), attacker.withheld.filter { $0 }.count)
    }

    static func describe(_ exposed: [(ReportAttacker.Key, ClosedRange<Int>)]) -> String {
        exposed.prefix(12).map { "\($0.0) ∈ \($0.1)" }.joined(separator: "; ")
    }

    @Test func sampleDataWithSites() throws {
        let folder = TemporaryFolder()
        let result = try Self.attack(try Self.sampleStore(in: folder), sites: true)
        #expect(result.withheld > 100)
        print("attacker, sample data, sites: \(result.withheld) counts withheld, \(result.exposed.count) narrowed to fewer than 3 values")
        #expect(result.unsound.isEmpty, "the attacker's identities do not hold: \(result.unsound.prefix(5))")
        #expect(result.exposed.isEmpty, "narrowed to fewer than 3 values: \(Self.describe(result.exposed))")
    }

    @Test func sampleDataWithoutSites() throws {
        let folder = TemporaryFolder()
        let result = try Self.attack(try Self.sampleStore(in: folder), sites: false)
        print("attacker, sample data, no sites: \(result.withheld) counts withheld, \(result.exposed.count) narrowed to fewer than 3 values")
        #expect(result.unsound.isEmpty, "the attacker's identities do not hold: \(result.unsound.prefix(5))")
        #expect(result.exposed.isEmpty, "narrowed to fewer than 3 values: \(Self.describe(result.exposed))")
    }

    @Test func syntheticPracticeOf2500Patients() throws {
        let folder = TemporaryFolder()
        let result = try Self.attack(try Self.syntheticStore(patients: 2_500, seed: 11, in: folder), sites: true)
        print("attacker, synth 2,500 patients, sites: \(result.withheld) counts withheld, \(result.exposed.count) narrowed to fewer than 3 values")
        #expect(result.unsound.isEmpty, "the attacker's identities do not hold: \(result.unsound.prefix(5))")
        #expect(result.exposed.isEmpty, "narrowed to fewer than 3 values: \(Self.describe(result.exposed))")
    }

    @Test func withoutComplementarySuppressionTheAttackerWins() throws {
        let folder = TemporaryFolder()
        let result = try Self.attack(try Self.sampleStore(in: folder), sites: true, complementary: false)
        print("attacker, sample data, primary suppression only: \(result.withheld) counts withheld, \(result.exposed.count) narrowed to fewer than 3 values")
        #expect(result.unsound.isEmpty)
        #expect(result.exposed.count > 10, "primary suppression alone should leak: \(result.exposed.count) exposed")
    }
}
