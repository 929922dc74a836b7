import Foundation
import GRDB
@testable import OutcomesKit

/// Files shipped with the tests (the public conformance case, real trial data).
enum Fixtures {
    static var root: URL { Bundle.module.resourceURL!.appendingPathComponent("Fixtures") }

    static func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }

    static func contents(_ relative: String) throws -> String {
        try String(contentsOfFile: path(relative), encoding: .utf8)
    }
}

/// A fresh folder under the system's temporary folder, removed when released.
final class TemporaryFolder: Sendable {
    let path: String

    init(_ label: String = "outcomes-test") {
        path = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(label)-\(UUID().uuidString)").path
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    func file(_ name: String) -> String { (path as NSString).appendingPathComponent(name) }

    /// Writes `text` to `name` in this folder and returns its path.
    @discardableResult
    func write(_ name: String, _ text: String) -> String {
        write(name, bytes: Array(text.utf8))
    }

    @discardableResult
    func write(_ name: String, bytes: [UInt8]) -> String {
        let target = file(name)
        try! FileManager.default.createDirectory(atPath: (target as NSString).deletingLastPathComponent,
                                                 withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: target, contents: Data(bytes))
        return target
    }
}

/// Shorthand for a day in tests: `day("2026-10-01")`.
func day(_ iso: String) -> Day { Day(iso: iso)! }

/// A store in a temporary folder, with files ingested.
struct TestStore {
    let folder = TemporaryFolder("outcomes-store")
    let store: OutcomeStore
    let catalog: Catalog

    init(catalog: Catalog = .standard) throws {
        self.catalog = catalog
        store = try OutcomeStore(path: folder.file("store.sqlite"), mode: .create)
    }

    /// A store holding the synthetic exports `options` describes, ingested at once.
    static func synthetic(_ options: SyntheticOptions, catalog: Catalog = .standard) throws -> TestStore {
        let test = try TestStore(catalog: catalog)
        let exports = test.folder.file("exports")
        let files = try SyntheticExport.write(options, to: exports).files.map { (exports as NSString).appendingPathComponent($0) }
        _ = try Ingestor(store: test.store, catalog: catalog).ingest(files.map { InputPath($0) })
        return test
    }

    /// Writes each (name, text) into the folder and ingests them in order.
    func ingest(_ files: [(String, String)]) throws -> [FileIngestReport] {
        let paths = files.map { folder.write($0.0, $0.1) }
        return try Ingestor(store: store, catalog: catalog).ingest(paths)
    }

    func summary(_ report: FileIngestReport) -> FileSummary? {
        if case .loaded(let summary) = report.outcome { return summary }
        return nil
    }

    func count(_ table: String) throws -> Int {
        try store.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table)") ?? -1 }
    }
}

/// Results written by several threads.
final class ResultsBox: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var values: [CommandLineTool.Result?]
    init(count: Int) { values = Array(repeating: nil, count: count) }
    func set(_ index: Int, _ value: CommandLineTool.Result) {
        lock.lock()
        values[index] = value
        lock.unlock()
    }
}

/// Holds what the stderr reader thread read.
private final class ErrorOutputBox: @unchecked Sendable {
    var data = Data()
    let done = DispatchSemaphore(value: 0)
}

/// Runs the built `outcomes` executable, as a user or cron would.
enum CommandLineTool {
    struct Result {
        let status: Int32
        /// True when the process died of a signal (a crash, or the watchdog).
        let killedBySignal: Bool
        let stdout: String
        let stderr: String
    }

    /// Runs several commands at the same time and waits for all.
    static func runConcurrently(_ commands: [[String]]) -> [Result] {
        let results = ResultsBox(count: commands.count)
        let group = DispatchGroup()
        for (index, arguments) in commands.enumerated() {
            group.enter()
            Thread {
                results.set(index, (try? run(arguments)) ?? Result(status: -1, killedBySignal: false, stdout: "", stderr: "could not start"))
                group.leave()
            }.start()
        }
        group.wait()
        return results.values.map { $0! }
    }

    /// Why a peak-memory measurement could not be taken.
    struct MeasurementUnavailable: Error, CustomStringConvertible {
        let description: String
    }

    /// Peak resident set size of a command, in KB, from /usr/bin/time, which
    /// `make deps` installs (Debian `time`): its absence is an error, never a
    /// silently skipped check.
    static func peakResidentKB(_ arguments: [String]) throws -> (result: Result, kilobytes: Int) {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/time") else {
            throw MeasurementUnavailable(description: "/usr/bin/time is missing; run `make deps` (Debian package time)")
        }
        let folder = TemporaryFolder()
        let report = folder.file("rss")
        let result = try run(["-f", "%M", "-o", report, executable] + arguments, executable: "/usr/bin/time")
        let text = try String(contentsOfFile: report, encoding: .utf8)
        guard let kilobytes = text.split(separator: "\n").last.flatMap({ Int($0.trimmingCharacters(in: .whitespaces)) }) else {
            throw MeasurementUnavailable(description: "/usr/bin/time printed no peak RSS: \(text)")
        }
        return (result, kilobytes)
    }

    /// The executable SwiftPM built beside the test bundle.
    static var executable: String { builtExecutable }

    private static var builtExecutable: String {
        var folder = Bundle.module.bundleURL.deletingLastPathComponent()
        for _ in 0..<3 {
            let candidate = folder.appendingPathComponent("outcomes").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            folder = folder.deletingLastPathComponent()
        }
        return Bundle.module.bundleURL.deletingLastPathComponent().appendingPathComponent("outcomes").path
    }

    static func run(_ arguments: [String], in directory: String? = nil, environment: [String: String] = [:],
                    timeout: TimeInterval = 120, executable: String? = nil) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable ?? Self.executable)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // A watchdog: a run that hangs is killed, and the test sees the signal.
        let watchdog = DispatchWorkItem { if process.isRunning { process.terminate() } }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: watchdog)
        defer { watchdog.cancel() }
        // Drain stderr on another thread while stdout is read here, so that a
        // child filling one pipe never blocks on it.
        let errorBox = ErrorOutputBox()
        let reader = Thread { errorBox.data = err.fileHandleForReading.readDataToEndOfFile(); errorBox.done.signal() }
        reader.start()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        errorBox.done.wait()
        process.waitUntilExit()
        let errBytes = errorBox.data
        return Result(status: process.terminationStatus, killedBySignal: process.terminationReason == .uncaughtSignal,
                      stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errBytes, as: UTF8.self))
    }
}

extension ReportBuilder {
    /// A month's report straight from a store, as `outcomes report` builds it.
    static func build(store: OutcomeStore, settings: ReportSettings) throws -> BuiltReport {
        try build(try store.reportInput(catalog: settings.catalog, asOf: cutDate(of: settings.month)), settings: settings)
    }
}
