/// Why a cell of a ledger is or is not printed.
enum Withholding: UInt8, Sendable {
    /// Printed as it is (or latent: never printed).
    case none
    /// A count from 1 to `minCell − 1`: shown as `<minCell` (primary suppression).
    case small
    /// Withheld so that a small count elsewhere cannot be worked out
    /// (complementary suppression); its value is `minCell` or more.
    case complementary
}

/// The audit behind complementary suppression: given what a report
/// withholds, can a reader who knows every identity of the ledger narrow a
/// protected count (a small one, printed or latent) to fewer than
/// `minimumValues` values?
///
/// A withheld count is known to lie in `1…minCell − 1` (`<11`) or in
/// `minCell…` (complementary: the reader may know the rule); a latent one in
/// `0…`. The audit first propagates bounds, as an attacker would; a count
/// that keeps enough room is then proven safe only by **witnesses**: whole
/// integer tables, consistent with everything printed, in which it takes
/// other values. A count without them is treated as exposed, so the audit
/// errs on the side of withholding more.
struct DisclosureAudit {
    /// The fewest values a protected count must be able to take.
    static let minimumValues = 3

    let ledger: DisclosureLedger
    let minCell: Int
    /// Values tried per witness search before giving up (and withholding more).
    var searchBudget = 300

    /// Cell → the identities it appears in.
    let identitiesOf: [[Int]]

    init(ledger: DisclosureLedger, minCell: Int) {
        self.ledger = ledger
        self.minCell = minCell
        var identitiesOf = Array(repeating: [Int](), count: ledger.count)
        for (index, identity) in ledger.identities.enumerated() {
            for term in identity.terms where identitiesOf[term.cell].last != index {
                identitiesOf[term.cell].append(index)
            }
        }
        self.identitiesOf = identitiesOf
    }

    /// Counts of people from 1 to `minCell − 1`, printed or latent: the cells to protect.
    var protectedCells: [DisclosureLedger.Cell] {
        ledger.values.indices.filter { ledger.values[$0] >= 1 && ledger.values[$0] < minCell }
    }

    /// Whether a reader does not know a cell's value.
    func isUnknown(_ cell: DisclosureLedger.Cell, _ withholding: [Withholding]) -> Bool {
        !ledger.isShown[cell] || withholding[cell] != .none
    }

    /// The bounds a reader knows for an unknown cell.
    func knownBounds(_ cell: DisclosureLedger.Cell, _ withholding: [Withholding]) -> (lower: Int, upper: Int) {
        switch withholding[cell] {
        case .small: return (1, minCell - 1)
        case .complementary: return (minCell, BoundedSystem.unbounded)
        case .none: return (0, BoundedSystem.unbounded)
        }
    }

    /// The system a reader can write down from `identities` (all when nil):
    /// unknown cells become variables, printed ones constants. Cells in
    /// `fixed` are held at their true values (constants) although unknown:
    /// a solution that keeps them there is still a whole solution, as long as
    /// every identity touching a variable is among `identities`.
    func system(_ withholding: [Withholding], identities: [Int]? = nil, fixed: Set<DisclosureLedger.Cell> = [])
        -> (system: BoundedSystem, variable: [Int: Int], cells: [DisclosureLedger.Cell], truth: [Int]) {
        var variable: [Int: Int] = [:], cells: [DisclosureLedger.Cell] = [], lower: [Int] = [], upper: [Int] = [], truth: [Int] = []
        func variableOf(_ cell: DisclosureLedger.Cell) -> Int {
            if let known = variable[cell] { return known }
            let bounds = knownBounds(cell, withholding)
            variable[cell] = cells.count
            cells.append(cell)
            lower.append(bounds.lower)
            upper.append(bounds.upper)
            truth.append(ledger.values[cell])
            return cells.count - 1
        }
        var constraints: [(terms: [(Int, Int)], bound: Int, isEquality: Bool)] = []
        for index in identities ?? Array(ledger.identities.indices) {
            let identity = ledger.identities[index]
            var coefficients: [Int: Int] = [:], order: [Int] = [], known = 0
            for term in identity.terms {
                if isUnknown(term.cell, withholding) && !fixed.contains(term.cell) {
                    let v = variableOf(term.cell)
                    if coefficients[v] == nil { order.append(v) }
                    coefficients[v, default: 0] += term.coefficient
                } else {
                    known += term.coefficient * ledger.values[term.cell]
                }
            }
            let terms = order.compactMap { v in coefficients[v] == 0 ? nil : (v, coefficients[v]!) }
            guard !terms.isEmpty else { continue }
            constraints.append((terms, -known, identity.isEquality))
        }
        return (BoundedSystem(lower: lower, upper: upper, constraints: constraints), variable, cells, truth)
    }

    /// Values each cell was seen to take in a witness (besides its true
    /// value). A witness stays one when more is withheld (the true values of
    /// newly withheld cells are within what a reader knows of them), so these
    /// carry over from round to round.
    private(set) var witnessed: [DisclosureLedger.Cell: Set<Int>] = [:]

    /// The cells among `cells` a reader can narrow to fewer than `minimumValues`
    /// values. `patient`: search much longer for witnesses (for the few cells
    /// nothing more can be withheld around).
    mutating func exposed(_ cells: [DisclosureLedger.Cell], _ withholding: [Withholding], patient: Bool = false) -> [DisclosureLedger.Cell] {
        var (system, variable, cellOf, truth) = system(withholding)
        // Propagation from every identity gives bounds every solution lies in:
        // too narrow, and the cell is exposed whatever else is true.
        _ = system.propagate(everything: true)
        return cells.filter { cell in
            guard let v = variable[cell] else { return false }  // in no identity: nothing can narrow it
            return !hasEnoughValues(v, in: &system, truth: truth, cells: cellOf, patient: patient)
        }
    }

    /// Whether `minimumValues` values of variable `v` are each part of a whole
    /// solution: the true table is one; others are witnesses found earlier or
    /// searched for now. Each witness found is remembered for every cell it moves.
    mutating func hasEnoughValues(_ v: Int, in system: inout BoundedSystem, truth: [Int], cells: [DisclosureLedger.Cell],
                                  patient: Bool = false) -> Bool {
        guard system.width(v) >= Self.minimumValues else { return false }
        let cell = cells[v]
        func found() -> Int { 1 + (witnessed[cell]?.count ?? 0) }
        // A short search for each value near the truth; when `patient`, then a long one for those still missing.
        let attempts = [1, -1, 2, -2, 3, -3, 4, -4].map { ($0, 1) } + (patient ? [1, -1, 2, -2, 3, -3].map { ($0, 30) } : [])
        for (delta, budgetScale) in attempts where found() < Self.minimumValues {
            let value = truth[v] + delta
            guard value >= system.lower[v], value <= system.upper[v], witnessed[cell]?.contains(value) != true else { continue }
            let mark = system.mark
            var budget = searchBudget * budgetScale
            if system.narrow(v, lower: value, upper: value), system.propagate() == .consistent,
               system.findSolution(near: truth, from: mark, budget: &budget) {
                for moved in system.movedVariables(near: truth, from: mark) {
                    witnessed[cells[moved.variable], default: []].insert(moved.value)
                }
            }
            system.undo(to: mark)
        }
        return found() >= Self.minimumValues
    }

    /// Variable → the variables linked to it through constraints (its own included).
    static func components(_ system: BoundedSystem) -> [[Int]] {
        var parent = Array(0..<system.variableCount)
        func root(_ v: Int) -> Int {
            var v = v
            while parent[v] != v {
                parent[v] = parent[parent[v]]
                v = parent[v]
            }
            return v
        }
        for constraint in 0..<system.constraintCount {
            let terms = system.terms(of: constraint)
            guard let first = terms.first else { continue }
            for other in terms.dropFirst() {
                let a = root(first), b = root(other)
                if a != b { parent[b] = a }
            }
        }
        var members: [Int: [Int]] = [:]
        for v in 0..<system.variableCount { members[root(v), default: []].append(v) }
        return (0..<system.variableCount).map { members[root($0)]! }
    }
}
