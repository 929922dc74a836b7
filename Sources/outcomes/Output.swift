#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes one line to stderr, prefixed `error:`.
func printError(_ message: String) {
    writeToStandardError("error: \(message)\n")
}

/// Writes one line to stderr without prefix (progress, notes).
func printNote(_ message: String) {
    writeToStandardError("\(message)\n")
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
