import Testing
@testable import OutcomesKit

/// The parent of a path, as `dirname` takes it (without Foundation's trap on one-letter names).
@Suite struct FilePathTests {
    @Test func parents() {
        #expect(FilePath.parent(of: "r") == "")
        #expect(FilePath.parent(of: "a/b/c") == "a/b")
        #expect(FilePath.parent(of: "/a") == "/")
        #expect(FilePath.parent(of: "/") == "/")
        #expect(FilePath.parent(of: "a/b/") == "a")
        #expect(FilePath.parent(of: "a//b") == "a")
        #expect(FilePath.parent(of: "//a") == "/")
        #expect(FilePath.parent(of: "") == "")
        #expect(FilePath.parent(of: "dossier/é") == "dossier")
    }
}
