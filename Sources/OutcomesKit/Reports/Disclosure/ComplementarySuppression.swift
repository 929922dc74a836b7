/// Small-cell suppression over a ledger:
///
/// 1. **Primary**: every printed count from 1 to `minCell − 1` is withheld.
/// 2. **Complementary**: while the audit finds a protected count (a withheld
///    one, primary or complementary, or a small latent group such as the
///    non-responders beside a rate) that a reader can narrow to fewer than 3
///    values, withhold one more printed count next to it, chosen
///    deterministically among those of `minCell` or more: the first that
///    leaves both it and the exposed count room, preferring cells closest to
///    it, site rows and parts before totals, cells the report leans on least
///    (not a headline rate's numerator or denominator), then the smallest count.
///
/// Withholding more only ever widens what a reader can infer, so counts
/// found safe stay safe and the loop ends.
struct ComplementarySuppression {
    let audit: DisclosureAudit
    /// Off only in tests: primary suppression alone, to show what it leaks.
    var complementary = true
    /// Rounds before giving up on a count that cannot be protected.
    var maximumRounds = 64

    init(ledger: DisclosureLedger, minCell: Int, complementary: Bool = true) {
        audit = DisclosureAudit(ledger: ledger, minCell: minCell)
        self.complementary = complementary
    }

    var ledger: DisclosureLedger { audit.ledger }

    /// What to withhold, and the protected counts still exposed (none, unless
    /// complementary suppression is off or a count cannot be protected).
    func plan() -> (withholding: [Withholding], exposed: [DisclosureLedger.Cell]) {
        var withholding = ledger.values.indices.map { cell -> Withholding in
            ledger.isShown[cell] && ledger.values[cell] >= 1 && ledger.values[cell] < audit.minCell ? .small : .none
        }
        var pending = audit.protectedCells
        var auditor = audit
        for _ in 0..<maximumRounds {
            pending = auditor.exposed(pending, withholding)
            // Before withholding more, search longer where bounds leave room but no witness turned up quickly.
            if !pending.isEmpty { pending = auditor.exposed(pending, withholding, patient: true) }
            guard complementary, !pending.isEmpty else { break }
            // A count withheld to protect another must not be recoverable either:
            // each partner joins the counts the next round audits.
            var partners: [DisclosureLedger.Cell] = []
            for cell in pending {
                // A partner chosen earlier this round may already have freed it.
                if !partners.isEmpty, localWidth(of: cell, withholding) >= DisclosureAudit.minimumValues { continue }
                guard let partner = partner(for: cell, withholding) else { continue }
                withholding[partner] = .complementary
                partners.append(partner)
            }
            guard !partners.isEmpty else { break }
            pending += partners
        }
        return (withholding, pending)
    }

    /// The printed count to withhold next for an exposed cell, or nil when none is left near it.
    func partner(for cell: DisclosureLedger.Cell, _ withholding: [Withholding]) -> DisclosureLedger.Cell? {
        var neighbourhood = self.neighbourhood(of: cell, withholding)
        if neighbourhood.candidates.isEmpty { neighbourhood = self.neighbourhood(of: cell, withholding, depth: 8) }
        guard !neighbourhood.candidates.isEmpty else { return nil }
        var best: (cell: DisclosureLedger.Cell, width: Int)?
        for candidate in neighbourhood.candidates.prefix(12) {
            var trial = withholding
            trial[candidate] = .complementary
            let identities = Array(Set(neighbourhood.identities + audit.identitiesOf[candidate])).sorted()
            var (system, variable, _, _) = audit.system(trial, identities: identities)
            _ = system.propagate(everything: true)
            let width = min(variable[cell].map { system.width($0) } ?? BoundedSystem.unbounded,
                            variable[candidate].map { system.width($0) } ?? BoundedSystem.unbounded)
            if width >= DisclosureAudit.minimumValues { return candidate }
            if width > (best?.width ?? 0) { best = (candidate, width) }
        }
        return best?.cell ?? neighbourhood.candidates[0]
    }

    /// How many values propagation over the identities near a cell leaves it
    /// (an outer bound: the full audit of the next round decides).
    func localWidth(of cell: DisclosureLedger.Cell, _ withholding: [Withholding]) -> Int {
        var (system, variable, _, _) = audit.system(withholding, identities: neighbourhood(of: cell, withholding).identities)
        _ = system.propagate(everything: true)
        return variable[cell].map { system.width($0) } ?? BoundedSystem.unbounded
    }

    /// The identities within a few steps of a cell (through unknown cells),
    /// and the printed counts in them that could be withheld, best first.
    func neighbourhood(of cell: DisclosureLedger.Cell, _ withholding: [Withholding], depth: Int = 3)
        -> (identities: [Int], candidates: [DisclosureLedger.Cell]) {
        var seenCells: Set<Int> = [cell], seenIdentities: Set<Int> = [], frontier = [cell]
        var candidates: [(cell: Int, rank: (Int, Int, Int, Int, Int, Int))] = []
        var identities: [Int] = []
        for level in 0..<depth where !frontier.isEmpty {
            var next: [Int] = []
            for current in frontier {
                for index in audit.identitiesOf[current] where seenIdentities.insert(index).inserted {
                    identities.append(index)
                    let identity = ledger.identities[index]
                    for term in identity.terms where seenCells.insert(term.cell).inserted {
                        if audit.isUnknown(term.cell, withholding) {
                            next.append(term.cell)
                        } else if ledger.values[term.cell] >= audit.minCell {
                            let rank = (level, identity.isEquality ? 0 : 1, ledger.isTotal[term.cell] ? 1 : 0,
                                        Int(ledger.weight[term.cell]), ledger.values[term.cell], term.cell)
                            candidates.append((term.cell, rank))
                        }
                    }
                }
            }
            frontier = next
        }
        candidates.sort { $0.rank < $1.rank }
        return (identities, candidates.map(\.cell))
    }
}
