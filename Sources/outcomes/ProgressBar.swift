#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import OutcomesKit

/// A one-line progress bar on stderr, drawn only when stderr is a terminal:
/// under cron (no terminal) a run stays silent.
final class ProgressBar {
    private var lastDrawn = -1

    /// A bar when stderr is a terminal and output is wanted, else nil.
    static func onTerminal(enabled: Bool) -> ProgressBar? {
        enabled && isatty(STDERR_FILENO) == 1 ? ProgressBar() : nil
    }

    func update(_ progress: IngestProgress) {
        let percent = progress.bytesTotal > 0 ? min(100, progress.bytesRead * 100 / progress.bytesTotal) : 100
        guard percent != lastDrawn else { return }
        lastDrawn = percent
        let filled = percent * 30 / 100
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: 30 - filled)
        writeToStandardError("\r\u{1B}[K[\(bar)] \(percent < 10 ? " " : "")\(percent) % \(TerminalText.safe(progress.file))")
        if percent == 100 { lastDrawn = -1 }
    }

    func finish() {
        writeToStandardError("\r\u{1B}[K")
    }
}
