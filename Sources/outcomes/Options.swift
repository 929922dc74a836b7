#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import OutcomesKit

/// `--db`, shared by every command that reads or writes the store.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: "The SQLite store.")
    var db: String

    func validate() throws {
        guard !db.isEmpty else { throw ValidationError("--db needs a path") }
    }
}

/// `--pipeline`, shared by the commands that take their catalogue (and
/// report options) from a pipeline file.
struct PipelineOptions: ParsableArguments {
    @Option(name: .long, help: "Take the catalogue (and report options) from this pipeline file.")
    var pipeline: String?

    /// The pipeline file, read and validated, if one was given.
    func definition() throws -> PipelineDefinition? {
        try pipeline.map { try PipelineDefinition.load(path: $0) }
    }

    /// The catalogue of the pipeline file, or the contract's defaults.
    func catalog() throws -> Catalog {
        try definition()?.catalog ?? .standard
    }
}

extension YearMonth {
    /// A month option's value (`@Option(transform: YearMonth.argument)`), or
    /// an error that names the valid form.
    static func argument(_ text: String) throws -> YearMonth {
        guard let month = YearMonth(text) else { throw MonthArgumentError() }
        return month
    }
}

/// A month given as anything but `YYYY-MM` with a month from 01 to 12.
struct MonthArgumentError: Error, CustomStringConvertible {
    var description: String { "a month is YYYY-MM, with MM from 01 to 12 (for example 2026-10)" }
}

extension WindowKind: ExpressibleByArgument {}
extension OutcomeQuery.Breakdown: ExpressibleByArgument {}
extension Population: ExpressibleByArgument {}
extension QueryFormat: ExpressibleByArgument {}
extension SyntheticLayout: ExpressibleByArgument {}
extension SyntheticStyle: ExpressibleByArgument {}

/// The path a file argument names, as the raw bytes the shell passed, so a
/// file named in another encoding (which Swift's `String` would have
/// repaired into U+FFFD) is still found.
func inputPath(forArgument argument: String) -> InputPath {
    for index in 1..<Int(CommandLine.argc) {
        guard let raw = CommandLine.unsafeArgv[index] else { continue }
        let bytes = Array(UnsafeBufferPointer(start: UnsafeRawPointer(raw).assumingMemoryBound(to: UInt8.self), count: strlen(raw)))
        if String(decoding: bytes, as: UTF8.self) == argument { return InputPath(bytes: bytes) }
    }
    return InputPath(argument)
}
