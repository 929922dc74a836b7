#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Numbers printed exactly as C's `printf("%.Nf")` prints a double, which is
/// what DATA-CONTRACT §8 requires for rates (4 decimals), means (2) and the median (1).
public enum NumberFormat {
    /// `printf("%.<decimals>f", value)`.
    public static func fixed(_ value: Double, decimals: Int) -> String {
        precondition((0...17).contains(decimals))
        var buffer = [CChar](repeating: 0, count: 64)
        let written = withVaList([value]) { arguments in
            buffer.withUnsafeMutableBufferPointer { pointer in
                vsnprintf(pointer.baseAddress, pointer.count, "%.\(decimals)f", arguments)
            }
        }
        if written >= buffer.count {
            // Only for huge magnitudes, which no rate or mean reaches; print in full.
            buffer = [CChar](repeating: 0, count: Int(written) + 1)
            _ = withVaList([value]) { arguments in
                buffer.withUnsafeMutableBufferPointer { pointer in
                    vsnprintf(pointer.baseAddress, pointer.count, "%.\(decimals)f", arguments)
                }
            }
        }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// A rate or interval bound: 4 decimals, empty when undefined.
    public static func rate(_ value: Double?) -> String { value.map { fixed($0, decimals: 4) } ?? "" }
    /// A mean: 2 decimals, empty when undefined.
    public static func mean(_ value: Double?) -> String { value.map { fixed($0, decimals: 2) } ?? "" }
    /// The median: 1 decimal, empty when undefined.
    public static func median(_ value: Double?) -> String { value.map { fixed($0, decimals: 1) } ?? "" }
    /// A count that may be undefined for the instrument (no remission rule, no reliable change).
    public static func count(_ value: Int?) -> String { value.map(String.init) ?? "" }
}
