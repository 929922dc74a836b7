/// `outcomes.html`: the report's Markdown rendered by cmark-gfm (`GFM`) into
/// one self-contained page: the stylesheet and the charts (inline SVG) are
/// in the file, so it can be mailed, opened offline or printed as it is.
///
/// Nothing is rendered here: the page groups cmark-gfm's blocks into a
/// `<section>` per `##` chapter and per `###` part (so that print rules can
/// address them), puts each chart's SVG where the Markdown has its image,
/// and adds the styles. On paper (A4) each treatment in *Results by
/// modality* starts a new page, table headers repeat on every page, and the
/// footer names the report, the page and, for a partial month, says so.
enum HTMLReport {
    /// The page for a report's Markdown and its charts (name → SVG, as the Markdown refers to them).
    static func page(markdown: String, charts: [(name: String, contents: String)], partialMonth: Bool) -> String {
        let blocks = GFM.blocks(markdown)
        let title = blocks.first { $0.headingLevel == 1 }?.text ?? "Treatment outcomes"
        let svgs = Dictionary(charts.map { ($0.name, $0.contents) }, uniquingKeysWith: { first, _ in first })
        var body = "", openChapter = false, openPart = false
        func closePart() {
            if openPart { body += "</section>\n" }
            openPart = false
        }
        func closeChapter() {
            closePart()
            if openChapter { body += "</section>\n" }
            openChapter = false
        }
        for block in blocks {
            switch block.headingLevel {
            case 2:
                closeChapter()
                body += "<section class=\"chapter\" id=\"\(slug(block.text))\">\n"
                openChapter = true
            case 3:
                closePart()
                body += "<section class=\"part\">\n"
                openPart = true
            default:
                break
            }
            body += linkingPages(inliningCharts(block.html, svgs))
        }
        closeChapter()
        return """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(Charts.escape(title))</title>
            <style>
            \(stylesheet(title: title, partialMonth: partialMonth))
            </style>
            </head>
            <body>
            <main class="report">
            \(body)</main>
            </body>
            </html>

            """
    }

    /// A chapter's anchor, as GitHub makes one from a heading: lower case,
    /// letters and digits kept, spaces and hyphens to `-`, the rest dropped.
    static func slug(_ heading: String) -> String {
        var slug = ""
        for character in heading.lowercased() {
            if character.isLetter || character.isNumber {
                slug.append(character)
            } else if character == " " || character == "-" {
                slug.append("-")
            }
        }
        return slug
    }

    /// The block with each `<img src="charts/…svg">` cmark-gfm wrote for a
    /// chart replaced by the chart's SVG (its alt text becomes its label).
    static func inliningCharts(_ html: String, _ svgs: [String: String]) -> String {
        guard html.contains("<img src=\"") else { return html }
        var result = "", rest = html[...]
        while let start = rest.range(of: "<img src=\""), let end = rest[start.upperBound...].range(of: "/>") {
            let tag = rest[start.lowerBound..<end.upperBound]
            let source = String(rest[start.upperBound...].prefix { $0 != "\"" })
            result += rest[..<start.lowerBound]
            if let svg = svgs[source] {
                result += "<span class=\"chart\">\(svg.trimmingWhitespace())</span>"
            } else {
                result += tag
            }
            rest = rest[end.upperBound...]
        }
        return result + rest
    }

    /// Links between the report's Markdown pages point at their HTML pages.
    static func linkingPages(_ html: String) -> String {
        guard html.contains(".md\"") else { return html }
        return html.replacingOccurrences(of: "href=\"outcomes.md\"", with: "href=\"outcomes.html\"")
            .replacingOccurrences(of: "href=\"details.md\"", with: "href=\"details.html\"")
    }

    /// A CSS string literal that is safe inside `<style>`: `<` is written as
    /// a CSS escape, so no text can close the style element (`</style>`).
    static func cssString(_ text: String) -> String {
        var quoted = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"", "\\": quoted += "\\" + String(scalar)
            case _ where scalar.value < 0x20 || scalar == "<" || scalar == ">" || scalar == "&":
                quoted += "\\\(String(scalar.value, radix: 16)) "
            default: quoted.unicodeScalars.append(scalar)
            }
        }
        return quoted + "\""
    }

    /// Screen: GitHub's reading width and table style (a table wider than the
    /// page scrolls inside itself, as on GitHub). Paper: A4, smaller type, a
    /// new page for each treatment, repeated table headers, nothing split
    /// across a page that need not be, and a footer on every page.
    static func stylesheet(title: String, partialMonth: Bool) -> String {
        let modalities = slug(DirectorReport.modalityChapter)
        var css = """
            :root { color-scheme: light; }
            body { margin: 0; background: #fff; color: #1f2328; font: 16px/1.5 -apple-system, "Segoe UI", "Noto Sans", Helvetica, Arial, sans-serif; }
            main.report { box-sizing: border-box; max-width: 980px; margin: 0 auto; padding: 32px 45px; }
            h1 { font-size: 2em; border-bottom: 1px solid #d1d9e0; padding-bottom: .3em; margin: 0 0 16px; }
            h2 { font-size: 1.5em; border-bottom: 1px solid #d1d9e0; padding-bottom: .3em; margin: 24px 0 16px; }
            h3 { font-size: 1.25em; margin: 24px 0 16px; }
            p, ul, ol, table, blockquote, details { margin: 0 0 16px; }
            blockquote { margin-left: 0; padding: 0 1em; color: #59636e; border-left: .25em solid #d1d9e0; }
            code { font: 85% ui-monospace, "DejaVu Sans Mono", Menlo, monospace; background: #eff1f3; padding: .2em .4em; border-radius: 6px; }
            table { display: block; width: max-content; max-width: 100%; overflow: auto; border-collapse: collapse; font-size: 14px; font-variant-numeric: tabular-nums; }
            th, td { padding: 5px 9px; border: 1px solid #d1d9e0; }
            td[align="right"], td:first-child { white-space: nowrap; }
            th { font-weight: 600; background: #f6f8fa; }
            tbody tr:nth-child(2n) { background: #f6f8fa; }
            .chart { display: block; margin: 8px 0 16px; }
            .chart svg { display: block; max-width: 100%; height: auto; }
            summary { cursor: pointer; }

            @page {
              size: A4;
              margin: 12mm 11mm 14mm;
              @bottom-left { content: \(cssString(title)); font: 8pt Helvetica, Arial, sans-serif; color: #59636e; }
              @bottom-right { content: "Page " counter(page) " of " counter(pages); font: 8pt Helvetica, Arial, sans-serif; color: #59636e; }

            """
        if partialMonth {
            css += "  @top-center { content: \"Partial month: figures will change\"; font: bold 9pt Helvetica, Arial, sans-serif; color: #9a6700; }\n"
        }
        css += """
            }
            @media print {
              body { font-size: 8.5pt; line-height: 1.3; }
              main.report { max-width: none; padding: 0; }
              h1 { font-size: 16pt; }
              h2 { font-size: 13pt; margin-top: 14pt; }
              h3 { font-size: 11pt; margin: 10pt 0 6pt; }
              h1, h2, h3 { break-after: avoid; }
              p, ul, ol, table, blockquote, details { margin-bottom: 7pt; }
              table { display: table; width: auto; max-width: 100%; font-size: 8pt; }
              th, td { padding: 2pt 5pt; }
              thead { display: table-header-group; }
              tr, li, .chart { break-inside: avoid; }
              .chart svg { max-height: 105mm; width: auto; margin: 0 auto; }
              section.part { break-inside: avoid; }
              #\(modalities) > section.part { break-inside: avoid; }
              a { color: inherit; text-decoration: none; }
            }
            """
        return css
    }
}
