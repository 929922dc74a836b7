import Testing
@testable import OutcomesKit

/// The solver, the audit and the suppression loop on tables small enough to
/// check by hand.
@Suite struct DisclosureAuditTests {
    @Test func propagationNarrowsASumToWhatIsLeft() {
        // x + y = 10, x ∈ [0, 3] → y ∈ [7, 10].
        var system = BoundedSystem(lower: [0, 0], upper: [3, BoundedSystem.unbounded],
                                   constraints: [([(0, 1), (1, 1)], 10, true)])
        let propagation = system.propagate(everything: true)
        #expect(propagation == .consistent)
        #expect(system.lower[1] == 7 && system.upper[1] == 10)
    }

    @Test func propagationFindsContradictions() {
        // x + y ≤ 3 with x ≥ 2 and y ≥ 2.
        var system = BoundedSystem(lower: [2, 2], upper: [9, 9], constraints: [([(0, 1), (1, 1)], 3, false)])
        let propagation = system.propagate(everything: true)
        #expect(propagation == .contradiction)
    }

    @Test func propagationStopsOnEndlessTrading() {
        // x − y = 0 and x − y = 1 have no solution; bounds would shrink by one forever.
        var system = BoundedSystem(lower: [0, 0], upper: [BoundedSystem.unbounded - 1, BoundedSystem.unbounded - 1],
                                   constraints: [([(0, 1), (1, -1)], 0, true), ([(0, 1), (1, -1)], 1, true)])
        let propagation = system.propagate(everything: true, limit: 1_000)
        #expect(propagation != .consistent)
    }

    @Test func theSearchFindsWholeSolutionsNearTheTruth() {
        // a + b = 7, b + c = 9, a, b, c ∈ [1, 10]; truth (3, 4, 5). Fix a = 4 → b = 3, c = 6.
        var system = BoundedSystem(lower: [1, 1, 1], upper: [10, 10, 10],
                                   constraints: [([(0, 1), (1, 1)], 7, true), ([(1, 1), (2, 1)], 9, true)])
        let mark = system.mark
        let narrowed = system.narrow(0, lower: 4, upper: 4)
        let propagation = system.propagate()
        #expect(narrowed && propagation == .consistent)
        var budget = 100
        let found = system.findSolution(near: [3, 4, 5], from: mark, budget: &budget)
        #expect(found)
        let moved = system.movedVariables(near: [3, 4, 5], from: mark)
        #expect(moved.map(\.variable) == [0, 1, 2] && moved.map(\.value) == [4, 3, 6])
    }

    @Test func aTriangleOfSumsPinsWhatPropagationCannot() {
        // x + y = 5, x + z = 5, y + z = 4 → x = 3 alone, though each bound stays 1…4.
        var ledger = DisclosureLedger()
        let x = ledger.cell(3, shown: true, total: false), y = ledger.cell(2, shown: true, total: false)
        let z = ledger.cell(2, shown: true, total: false)
        let s1 = ledger.cell(5, shown: true, total: true), s2 = ledger.cell(5, shown: true, total: true)
        let s3 = ledger.cell(4, shown: true, total: true)
        ledger.sum(s1, [x, y])
        ledger.sum(s2, [x, z])
        ledger.sum(s3, [y, z])
        var audit = DisclosureAudit(ledger: ledger, minCell: 11)
        var withholding = [Withholding](repeating: .none, count: ledger.count)
        for cell in [x, y, z] { withholding[cell] = .small }
        let exposed = audit.exposed([x, y, z], withholding)
        #expect(exposed == [x, y, z])
    }

    /// A site table: columns A, B, C and their total; one small cell.
    func siteTable(_ values: [Int]) -> (DisclosureLedger, cells: [Int], total: Int) {
        var ledger = DisclosureLedger()
        let cells = values.map { ledger.cell($0, shown: true, total: false) }
        let total = ledger.cell(values.reduce(0, +), shown: true, total: true)
        ledger.sum(total, cells)
        return (ledger, cells, total)
    }

    @Test func aLoneSmallCellIsGivenAwayBySubtraction() {
        let (ledger, cells, _) = siteTable([5, 15, 30])
        let (withholding, exposed) = ComplementarySuppression(ledger: ledger, minCell: 11, complementary: false).plan()
        #expect(withholding[cells[0]] == .small)
        #expect(exposed == [cells[0]])
    }

    @Test func complementarySuppressionWithholdsTheSmallestPartner() {
        let (ledger, cells, total) = siteTable([5, 15, 30])
        let (withholding, exposed) = ComplementarySuppression(ledger: ledger, minCell: 11).plan()
        #expect(exposed.isEmpty)
        #expect(withholding[cells[1]] == .complementary, "15 is the smallest other site")
        #expect(withholding[cells[2]] == .none && withholding[total] == .none)
    }

    @Test func aPartnerTooSmallToHideTheCellTakesTheTotalWithIt() {
        // 2 + 11 = 13: withholding 11 leaves A ∈ {1, 2}; only the total can hide it.
        let (ledger, cells, total) = siteTable([2, 11])
        let (withholding, exposed) = ComplementarySuppression(ledger: ledger, minCell: 11).plan()
        #expect(exposed.isEmpty)
        #expect(withholding[cells[0]] == .small)
        #expect(withholding[total] == .complementary)
    }

    @Test func aLatentRemainderIsProtectedLikeAPrintedCount() {
        // 30 evaluable, 24 retained: the 6 not retained are a small group.
        var ledger = DisclosureLedger()
        let evaluable = ledger.cell(30, shown: true, total: false)
        let retained = ledger.cell(24, shown: true, total: false)
        let notRetained = ledger.remainder(evaluable, minus: [retained])
        let (withholding, exposed) = ComplementarySuppression(ledger: ledger, minCell: 11).plan()
        #expect(exposed.isEmpty)
        #expect(withholding[retained] == .complementary, "the smaller of the two is withheld")
        #expect(withholding[notRetained] == .none && !ledger.isShown[notRetained])
    }

    @Test func zeroIsNeverWithheldAndNeverProtected() {
        let (ledger, cells, _) = siteTable([0, 15, 30])
        let (withholding, exposed) = ComplementarySuppression(ledger: ledger, minCell: 11).plan()
        #expect(exposed.isEmpty)
        #expect(withholding.allSatisfy { $0 == .none })
        #expect(ledger.values[cells[0]] == 0)
    }

    @Test func aBrokenIdentityIsReported() {
        var ledger = DisclosureLedger()
        let a = ledger.cell(3, shown: true, total: false), b = ledger.cell(4, shown: true, total: true)
        ledger.sum(b, [a])
        ledger.atMost([b], [a])
        #expect(ledger.brokenIdentities() == [0, 1])
    }
}
