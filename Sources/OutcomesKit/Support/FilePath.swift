/// Path arithmetic on strings. Foundation's `NSString.deletingLastPathComponent`
/// traps on Linux for a one-character relative path such as "r" (a pipeline
/// with `reports: r` crashed the run), so the parent of a path is taken here.
public enum FilePath {
    /// The folder holding `path`, as `dirname` gives it without "." for a bare
    /// name: "a/b/c" → "a/b", "/a" → "/", "a" → "", "a/b/" → "a", "/" → "/".
    public static func parent(of path: String) -> String {
        var bytes = Array(path.utf8)
        while bytes.count > 1, bytes.last == UInt8(ascii: "/") { bytes.removeLast() }
        guard let slash = bytes.lastIndex(of: UInt8(ascii: "/")) else { return "" }
        var end = slash
        while end > 0, bytes[end - 1] == UInt8(ascii: "/") { end -= 1 }
        return end == 0 ? "/" : String(decoding: bytes[..<end], as: UTF8.self)
    }

    /// The folder holding `path`, "." for a bare file name: a folder that
    /// can be opened, checked or created.
    public static func folder(of path: String) -> String {
        let parent = parent(of: path)
        return parent.isEmpty ? "." : parent
    }
}
