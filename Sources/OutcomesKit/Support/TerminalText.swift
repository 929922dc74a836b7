/// Text from data (site names, file names, SQL results) made safe to print
/// on a terminal: control characters (C0, DEL, C1), which could move the
/// cursor, recolour the screen or forge lines, are shown as U+FFFD.
public enum TerminalText {
    public static func safe(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var result = String.UnicodeScalarView()
        for scalar in text.unicodeScalars { result.append(isControl(scalar) ? "\u{FFFD}" : scalar) }
        return String(result)
    }

    /// A path or file name given as bytes that may not be UTF-8: invalid
    /// sequences become U+FFFD, then control characters too.
    public static func safe(bytes: [UInt8]) -> String {
        safe(String(decoding: bytes, as: UTF8.self))
    }

    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }
}
