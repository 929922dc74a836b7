import ArgumentParser
import Logging

/// `--quiet` and `--verbose`, shared by every command. Logs go to stderr
/// with their level; the command's own results go to stdout.
struct LoggingOptions: ParsableArguments {
    @Flag(name: .shortAndLong, help: "Only print errors.")
    var quiet = false

    @Flag(name: .shortAndLong, help: "Print debug detail on stderr.")
    var verbose = false

    var level: Logger.Level { quiet ? .error : verbose ? .debug : .notice }

    func validate() throws {
        if quiet && verbose { throw ValidationError("--quiet and --verbose contradict each other; give one") }
    }

    /// Sends every logger to stderr at the chosen level. Safe to call once per process.
    func bootstrap() {
        let level = self.level
        LoggingBootstrap.once {
            LoggingSystem.bootstrap { label in
                var handler = StreamLogHandler.standardError(label: label)
                handler.logLevel = level
                return handler
            }
        }
    }
}

/// Guards `LoggingSystem.bootstrap`, which may run only once per process.
enum LoggingBootstrap {
    nonisolated(unsafe) private static var done = false
    static func once(_ body: () -> Void) {
        guard !done else { return }
        done = true
        body()
    }
}
