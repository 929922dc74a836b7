/// Every count of people a report prints or implies, with its true value,
/// and the identities between them that anyone holding the report knows:
/// from the contract (`courses = no_baseline + below_threshold + itt_n`),
/// from the table's shape (the `*` row is the sum of the site rows; a month
/// lies inside its 12 months) and from the report's own words (a total
/// beside its parts).
///
/// A cell is **shown** when some file or sentence prints it, or **latent**
/// when nothing prints it but it is still a group of people the published
/// numbers may give away: those without a follow-up score (`itt_n −
/// evaluable_n`), the non-responders beside a rate, and so on. Small-cell
/// suppression protects both kinds alike.
struct DisclosureLedger: Sendable {
    typealias Cell = Int

    /// A linear identity `Σ coefficient·cell (= or ≤) 0`.
    struct Identity: Sendable {
        var terms: [(cell: Cell, coefficient: Int)]
        var isEquality: Bool
    }

    private(set) var values: [Int] = []
    private(set) var isShown: [Bool] = []
    /// A total (an all-sites row, a sum over modalities or reasons): the last
    /// choice when a cell must be withheld to protect another.
    private(set) var isTotal: [Bool] = []
    /// How much the report leans on the cell (a headline rate's numerator or
    /// denominator weighs more): among otherwise equal choices, the lighter
    /// one is withheld to protect another.
    private(set) var weight: [UInt8] = []
    private(set) var identities: [Identity] = []

    var count: Int { values.count }

    /// A new cell.
    mutating func cell(_ value: Int, shown: Bool, total: Bool, weight: UInt8 = 1) -> Cell {
        values.append(value)
        isShown.append(shown)
        isTotal.append(total)
        self.weight.append(weight)
        return values.count - 1
    }

    /// Marks a cell as printed somewhere (a latent cell that a table also shows).
    mutating func show(_ cell: Cell) { isShown[cell] = true }

    /// `total = Σ parts`.
    mutating func sum(_ total: Cell, _ parts: [Cell]) {
        guard !(parts.count == 1 && parts[0] == total) else { return }
        identities.append(Identity(terms: [(total, -1)] + parts.map { ($0, 1) }, isEquality: true))
    }

    /// `Σ smaller ≤ Σ larger`.
    mutating func atMost(_ smaller: [Cell], _ larger: [Cell]) {
        identities.append(Identity(terms: smaller.map { ($0, 1) } + larger.map { ($0, -1) }, isEquality: false))
    }

    /// A latent cell `whole − part` (those of a group not in a subgroup: the
    /// non-responders beside responders), with its identity.
    mutating func remainder(_ whole: Cell, minus parts: [Cell], shown: Bool = false) -> Cell {
        let value = values[whole] - parts.reduce(0) { $0 + values[$1] }
        let rest = cell(value, shown: shown, total: isTotal[whole])
        sum(whole, parts + [rest])
        return rest
    }

    /// The identities the true values break (none, unless an identity is
    /// wrong): checked before any audit, so that a wrong identity fails loudly
    /// instead of protecting the wrong cells.
    func brokenIdentities() -> [Int] {
        identities.indices.filter { index in
            let identity = identities[index]
            let total = identity.terms.reduce(0) { $0 + $1.coefficient * values[$1.cell] }
            return identity.isEquality ? total != 0 : total > 0
        }
    }
}
