import CCMarkGFM
#if canImport(Glibc)
import Glibc
#endif

/// Markdown to HTML with cmark-gfm, the CommonMark and GitHub-Flavoured
/// Markdown engine GitHub itself uses (tables, autolinks, strikethrough and
/// GitHub's tag filter), through Debian's library: the report's HTML is the
/// Markdown's true rendering, not a second renderer written by hand.
///
/// Raw HTML is let through (the report writes `<details>` itself); every text
/// from data or a pipeline is escaped before it reaches the Markdown
/// (`Markdown.escape`), and the tag filter disarms `<script>`, `<iframe>`
/// and the like should any slip through.
public enum GFM {
    /// One top-level block of a document (a heading, paragraph, table, list…), rendered.
    struct Block: Equatable {
        /// 1–6 for a heading, nil for any other block.
        let headingLevel: Int?
        /// The block's text without markup (a heading's title).
        let text: String
        let html: String
    }

    /// The whole document as HTML.
    public static func html(_ markdown: String) -> String {
        blocks(markdown).map(\.html).joined()
    }

    /// The document's top-level blocks in order, each rendered on its own, so
    /// that a page can group them into sections by their headings.
    static func blocks(_ markdown: String) -> [Block] {
        cmark_gfm_core_extensions_ensure_registered()
        let options = CMARK_OPT_UNSAFE | CMARK_OPT_VALIDATE_UTF8
        guard let parser = cmark_parser_new(options) else { return [] }
        defer { cmark_parser_free(parser) }
        for name in ["table", "autolink", "strikethrough", "tagfilter"] {
            if let extensionHandle = cmark_find_syntax_extension(name) {
                cmark_parser_attach_syntax_extension(parser, extensionHandle)
            }
        }
        var text = markdown
        text.withUTF8 { bytes in
            bytes.withMemoryRebound(to: CChar.self) { characters in
                cmark_parser_feed(parser, characters.baseAddress, characters.count)
            }
        }
        guard let document = cmark_parser_finish(parser) else { return [] }
        defer { cmark_node_free(document) }
        let extensions = cmark_parser_get_syntax_extensions(parser)
        var blocks: [Block] = []
        var node = cmark_node_first_child(document)
        while let current = node {
            let isHeading = cmark_node_get_type(current) == CMARK_NODE_HEADING
            blocks.append(Block(headingLevel: isHeading ? Int(cmark_node_get_heading_level(current)) : nil,
                                text: taken(cmark_render_plaintext(current, 0, 0)).trimmingWhitespace(),
                                html: taken(cmark_render_html(current, options, extensions))))
            node = cmark_node_next(current)
        }
        return blocks
    }

    /// A string cmark allocated, copied and freed.
    private static func taken(_ pointer: UnsafeMutablePointer<CChar>?) -> String {
        guard let pointer else { return "" }
        defer { free(pointer) }
        return String(cString: pointer)
    }
}

extension String {
    /// Without leading and trailing spaces and line breaks.
    func trimmingWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[first...last])
    }
}
