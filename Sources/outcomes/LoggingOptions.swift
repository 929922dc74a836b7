import ArgumentParser
import Logging
import OutcomesKit

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
                var handler = TerminalSafeLogHandler(StreamLogHandler.standardError(label: label))
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

/// Logs with every message made safe for a terminal: a file or site name
/// holding escape sequences or line breaks cannot recolour the screen or
/// forge a line in a cron log.
struct TerminalSafeLogHandler: LogHandler {
    private var base: StreamLogHandler

    init(_ base: StreamLogHandler) { self.base = base }

    var logLevel: Logger.Level {
        get { base.logLevel }
        set { base.logLevel = newValue }
    }

    var metadata: Logger.Metadata {
        get { base.metadata }
        set { base.metadata = newValue }
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { base[metadataKey: key] }
        set { base[metadataKey: key] = newValue }
    }

    func log(event: LogEvent) {
        var safe = event
        safe.message = "\(TerminalText.safe(event.message.description))"
        base.log(event: safe)
    }
}
