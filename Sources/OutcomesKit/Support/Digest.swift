import Crypto
import Foundation

/// SHA-256 digests as lower-case hex: file identities, manifests, pipeline fingerprints.
public enum Digest {
    /// Bytes as lower-case hex.
    public static func hex<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// SHA-256 of some bytes, as hex.
    public static func sha256<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        hex(SHA256.hash(data: Data(bytes)))
    }

    /// SHA-256 of text's UTF-8, as hex.
    public static func sha256(_ text: String) -> String { sha256(Array(text.utf8)) }
}
