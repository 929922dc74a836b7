import Testing
@testable import OutcomesKit

/// "Did you mean": close names only, swaps count as one edit.
@Suite struct EditDistanceTests {
    @Test func distances() {
        #expect(EditDistance.between("kitten", "sitting") == 3)
        #expect(EditDistance.between("tsm", "tms") == 1)
        #expect(EditDistance.between("", "abc") == 3)
        #expect(EditDistance.between("same", "same") == 0)
        #expect(EditDistance.between(String(repeating: "x", count: 500), "tms", limit: 2) == 3)
        #expect(EditDistance.between("abcdefgh", "zzzzzzzz", limit: 2) == 3)
    }

    @Test func shortNamesGetASuggestionOnlyOneEditAway() {
        let modalities = ["ait", "bhrt", "esketamine", "ketamine_iv", "lai", "ort", "tms", "ketamine"]
        #expect(EditDistance.suggestions(for: "ect", among: modalities).isEmpty)
        #expect(EditDistance.suggestions(for: "tsm", among: modalities) == ["tms"])
        #expect(EditDistance.suggestions(for: "ketamin", among: modalities) == ["ketamine"])
        #expect(EditDistance.suggestions(for: "esketamin", among: modalities) == ["esketamine"])
    }
}
