import Testing
@testable import OutcomesKit

/// DATA-CONTRACT §8 text rules: RFC 4180 quoting and the spreadsheet formula guard.
@Suite struct CSVFormatTests {
    @Test(arguments: [("=SUM(A1)", "'=SUM(A1)"), ("+1", "'+1"), ("-1", "'-1"), ("@cmd", "'@cmd"),
                      ("\tx", "'\tx"), ("North", "North"), ("", "")])
    func formulaLikeTextGetsAQuotePrefix(_ pair: (String, String)) {
        #expect(CSVFormat.text(pair.0) == pair.1)
    }

    @Test func carriageReturnFirstIsGuardedAndQuoted() {
        #expect(CSVFormat.text("\rx") == "\"'\rx\"")
    }

    @Test func fieldsAreQuotedOnlyWhenNeeded() {
        #expect(CSVFormat.quoted("a b") == "a b")
        #expect(CSVFormat.quoted("a,b") == "\"a,b\"")
        #expect(CSVFormat.quoted("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(CSVFormat.quoted("two\nlines") == "\"two\nlines\"")
    }

    @Test func numbersPrintAsCPrintfDoes() {
        #expect(NumberFormat.fixed(2.675, decimals: 2) == "2.67", "2.675 is just below the halfway point in binary")
        #expect(NumberFormat.fixed(0.125, decimals: 2) == "0.12", "an exact tie rounds to even")
        #expect(NumberFormat.fixed(17.0 / 3.0, decimals: 2) == "5.67")
        #expect(NumberFormat.fixed(2.5, decimals: 0) == "2", "round half to even, as glibc does")
        #expect(NumberFormat.fixed(-0.001, decimals: 2) == "-0.00")
        #expect(NumberFormat.rate(nil) == "")
        #expect(NumberFormat.median(35) == "35.0")
    }

    @Test func markdownEscapesTableBreakingCharacters() {
        #expect(Markdown.escape("a|b\nc<d*") == "a\\|b c&lt;d\\*")
    }
}
