/// How a reject's detail shows the value at fault (DATA-CONTRACT §12).
enum RejectDetail {
    /// An unknown modality or instrument.
    static func name(_ value: String) -> String { quoted(Array(value.utf8)) }

    /// A score that is not a whole number or is out of range.
    static func score(_ bytes: UnsafeBufferPointer<UInt8>) -> String { quoted(Array(bytes)) }

    /// A short, quoted, printable sample: at most 40 characters, control
    /// characters shown as `?`.
    static func quoted(_ bytes: [UInt8]) -> String {
        let text = String(decoding: bytes, as: UTF8.self)
        var sample = String(text.unicodeScalars.prefix(40).map { $0.value < 0x20 || $0.value == 0x7F ? "?" : Character($0) })
        if text.unicodeScalars.count > 40 { sample += "…" }
        return "\"\(sample)\""
    }
}
