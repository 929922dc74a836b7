import ArgumentParser
import OutcomesKit

/// The process exit codes, documented in the README. A failed data-quality
/// gate, a refused input and a crash are told apart so that cron and scripts
/// can react to each.
enum ExitStatus: Int32, CaseIterable {
    case success = 0
    /// An unexpected internal error.
    case internalError = 1
    /// The run finished but a data-quality gate (e.g. max_reject_rate) failed.
    case qualityGateFailed = 2
    /// One or more input files were refused; the others were loaded.
    case inputRefused = 3
    /// The store is missing, corrupt, foreign, or busy past the timeout.
    case storeError = 4
    /// A report could not be written (read-only or full folder).
    case outputError = 5
    /// Another run holds the lock.
    case locked = 6
    /// A pipeline or catalogue file is invalid.
    case configError = 7
    /// Bad command-line usage (ArgumentParser's own code).
    case usage = 64

    static var summary: String {
        "0 ok, 1 internal error, 2 data-quality gate failed, 3 input file refused, 4 store error, "
            + "5 report not written, 6 another run holds the lock, 7 invalid pipeline or catalogue, 64 usage."
    }

    var exitCode: ExitCode { ExitCode(rawValue) }
}

/// A failure to report on stderr as one line, with its exit status.
struct CommandFailure: Error {
    let message: String
    let status: ExitStatus
}

/// Runs a command body, turning the library's errors into one clear line on
/// stderr and the matching exit status.
func runReportingErrors(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let failure as CommandFailure {
        printError(failure.message)
        throw failure.status.exitCode
    } catch let error as StoreError {
        printError(error.description)
        throw ExitStatus.storeError.exitCode
    } catch let error as OutputError {
        printError(error.description)
        throw ExitStatus.outputError.exitCode
    } catch let error as PipelineError {
        printError(error.description)
        throw ExitStatus.configError.exitCode
    } catch let error as CatalogError {
        printError("catalogue: \(error.description)")
        throw ExitStatus.configError.exitCode
    } catch let error as ExitCode {
        throw error
    } catch let error as ValidationError {
        throw error
    } catch {
        printError("internal error: \(error)")
        throw ExitStatus.internalError.exitCode
    }
}
