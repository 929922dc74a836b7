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
    public static func html(_ markdown: String) -> String {
        cmark_gfm_core_extensions_ensure_registered()
        let options = CMARK_OPT_UNSAFE | CMARK_OPT_VALIDATE_UTF8
        guard let parser = cmark_parser_new(options) else { return "" }
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
        guard let document = cmark_parser_finish(parser) else { return "" }
        defer { cmark_node_free(document) }
        guard let rendered = cmark_render_html(document, options, cmark_parser_get_syntax_extensions(parser)) else { return "" }
        defer { free(rendered) }
        return String(cString: rendered)
    }
}
