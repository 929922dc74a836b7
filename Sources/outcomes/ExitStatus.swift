import ArgumentParser
import OutcomesKit

/// The process exit codes, documented in the README. A failed data-quality
/// gate, a refused input, a broken machine and a crash are told apart so
/// that cron and scripts can react to each.
enum ExitStatus: Int32, CaseIterable {
    case success = 0
    /// An unexpected internal error: a bug.
    case internalError = 1
    /// The data are not fit to report: a data-quality gate (e.g.
    /// max_reject_rate) failed, or the month has not ended.
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
    /// Nothing new to report: no input file, no new file since the last
    /// report, or no session or score dated in the month.
    case noNewData = 8
    /// The machine is not set up for the run: a folder, lock file or group
    /// the run needs cannot be created or used.
    case environment = 9
    /// The statement given to `outcomes sql` is not valid SQL, would write,
    /// or ran past its time limit.
    case sqlStatement = 10
    /// Bad command-line usage (ArgumentParser's own code).
    case usage = 64

    static var summary: String {
        "0 ok, 1 internal error, 2 data-quality gate failed or month not ended, 3 input file refused, 4 store error, "
            + "5 report not written, 6 another run holds the lock, 7 invalid pipeline or catalogue, 8 no new data, "
            + "9 environment (folder, lock or group unusable), 10 SQL statement error, 64 usage."
    }

    var exitCode: ExitCode { ExitCode(rawValue) }

    /// The status for an error the library threw: the one place errors meet exit codes.
    static func of(_ error: Error) -> ExitStatus {
        switch error {
        case let error as StoreError:
            if case .statement = error { return .sqlStatement }
            return .storeError
        case is ReportError, is SyntheticError: return .outputError
        case let error as PipelineError:
            switch error {
            case .lockHeld: return .locked
            case .lockUnusable: return .environment
            default: return .configError
            }
        case is CatalogError: return .configError
        case let error as FreshnessError:
            if case .monthNotEnded = error { return .qualityGateFailed }
            return .noNewData
        case is FileAccessError: return .environment
        case is QueryError: return .usage
        default: return .internalError
        }
    }
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
    } catch let error as ExitCode {
        throw error
    } catch let error as ValidationError {
        throw error
    } catch let error as CatalogError {
        printError("catalogue: \(error.description)")
        throw ExitStatus.configError.exitCode
    } catch {
        let status = ExitStatus.of(error)
        printError(status == .internalError ? "internal error: \(error)" : "\(error)")
        throw status.exitCode
    }
}
