#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import OutcomesKit

/// Writes one line to stderr, prefixed `error:`, made safe for a terminal.
func printError(_ message: String) {
    writeToStandardError("error: \(TerminalText.safe(message))\n")
}

/// Unbuffered write to file descriptor 2, safe from any thread.
func writeToStandardError(_ text: String) {
    var text = text
    text.withUTF8 { bytes in
        var offset = 0
        while offset < bytes.count {
            let written = write(STDERR_FILENO, bytes.baseAddress! + offset, bytes.count - offset)
            if written <= 0 { break }
            offset += written
        }
    }
}
