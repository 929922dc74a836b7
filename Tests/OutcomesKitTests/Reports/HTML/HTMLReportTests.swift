import Foundation
import Testing
@testable import OutcomesKit

/// `outcomes.html`: cmark-gfm's rendering of the report's Markdown, made
/// self-contained and printable.
@Suite struct HTMLReportTests {
    static let markdown = """
        # Outcomes: October 2026

        Intro with `code` & <details><summary>more</summary>hidden</details>

        ## Headlines

        - one

        ![Response by modality](charts/a.svg)

        ## Results by modality

        Lead paragraph.

        ### Ketamine infusion

        | Scale | Evaluable |
        |---|---:|
        | PHQ-9 | 55 |

        ### TMS

        | Scale | Evaluable |
        |---|---:|
        | PHQ-9 | 49 |

        ## Methods

        <script>alert(1)</script>
        """

    static let charts = [(name: "charts/a.svg", contents: "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\"><title>A</title></svg>\n")]

    @Test func blocksKeepTheirHeadingsAndText() {
        let blocks = GFM.blocks(Self.markdown)
        #expect(blocks.compactMap(\.headingLevel) == [1, 2, 2, 3, 3, 2])
        #expect(blocks.first?.text == "Outcomes: October 2026")
        #expect(blocks.map(\.html).joined() == GFM.html(Self.markdown))
    }

    @Test func chaptersAndPartsAreSectionsAndChartsAreInline() {
        let page = HTMLReport.page(markdown: Self.markdown, charts: Self.charts, partialMonth: false)
        #expect(page.hasPrefix("<!DOCTYPE html>"))
        #expect(page.contains("<title>Outcomes: October 2026</title>"))
        #expect(page.contains("<section class=\"chapter\" id=\"results-by-modality\">\n<h2>Results by modality</h2>"))
        #expect(page.components(separatedBy: "<section class=\"part\">").count == 3)
        #expect(page.components(separatedBy: "<section").count == page.components(separatedBy: "</section>").count)
        // Self-contained: the chart's SVG is in the page, nothing is fetched.
        #expect(page.contains("<span class=\"chart\"><svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\"><title>A</title></svg></span>"))
        #expect(!page.contains("<img"))
        #expect(!page.contains("<link") && !page.contains(" src="))
        // GitHub's tag filter disarms a script should one reach the Markdown.
        #expect(!page.contains("<script>"))
        // Print: A4, a new page per treatment is not forced, but none is split; headers repeat.
        #expect(page.contains("size: A4"))
        #expect(page.contains("thead { display: table-header-group; }"))
        #expect(page.contains("#results-by-modality > section.part { break-inside: avoid; }"))
        #expect(!page.contains("Partial month"))
    }

    @Test func aPartialMonthIsLabelledOnEveryPrintedPage() {
        let page = HTMLReport.page(markdown: Self.markdown, charts: Self.charts, partialMonth: true)
        #expect(page.contains("@top-center { content: \"Partial month: figures will change\""))
    }

    @Test func aHostileTitleCannotBreakOutOfTheStylesheetOrTheHead() {
        let title = "</style><script>x</script>\"\\"
        let page = HTMLReport.page(markdown: "# \(Markdown.escape(title))\n", charts: [], partialMonth: false)
        #expect(!page.contains("<script>"))
        #expect(page.components(separatedBy: "</style>").count == 2, "only the stylesheet's own end tag")
        #expect(HTMLReport.cssString("a\"b\\c\nd") == "\"a\\\"b\\\\c\\a d\"")
    }

    @Test func slugsFollowGitHub() {
        #expect(HTMLReport.slug("Results by modality") == "results-by-modality")
        #expect(HTMLReport.slug("Safety & quality (PHQ-9)") == "safety--quality-phq-9")
    }

    @Test func everyReportWritesItsHTMLNextToItsMarkdown() throws {
        let folder = ExampleReportTests.repository.appendingPathComponent("reports/2026-10").path
        let html = try String(contentsOfFile: folder + "/outcomes.html", encoding: .utf8)
        let manifest = try String(contentsOfFile: folder + "/manifest.json", encoding: .utf8)
        #expect(manifest.contains("\"outcomes.html\""))
        for chart in ["Response and remission by treatment", "Response rate over a trailing 3 months"] {
            #expect(html.contains(chart), "\(chart) is inline")
        }
        #expect(!html.contains("charts/"))
    }
}
