/// Linear constraints `Σ a·x = b` or `Σ a·x ≤ b` over non-negative integer
/// variables with bounds: what a reader of a report can write down about the
/// counts it withholds. Two operations answer "how many values can this
/// count still take?":
///
/// - `propagate`: bounds consistency. Each constraint narrows each of its
///   variables' bounds given the others'; repeated until nothing changes.
///   The bounds it leaves hold every solution (an outer bound), which is how
///   an attacker reasons by "constraint propagation".
/// - `findSolution`: a depth-first search for a whole integer assignment,
///   trying values nearest the true ones first. A solution found is a
///   witness: a second (third…) table consistent with everything published,
///   so no method, integer programming included, can rule that value out.
///
/// Changes are recorded on a trail and undone to a mark, so the search never
/// copies the bounds.
struct BoundedSystem {
    /// An upper bound at or above this is unbounded.
    static let unbounded = 1 << 46

    /// Outcome of a propagation.
    enum Propagation { case consistent, contradiction, tooLong }

    private(set) var lower: [Int]
    private(set) var upper: [Int]
    private let start: [Int]
    private let variables: [Int]
    private let coefficients: [Int]
    private let bounds: [Int]
    private let isEquality: [Bool]
    /// Variable → the constraints it appears in.
    private let constraintsOf: [[Int]]
    private var trail: [(variable: Int, lower: Int, upper: Int)] = []
    private var queued: [Bool]
    private var queue: [Int] = []
    /// Marks variables already looked at in one scan of the trail (`seenIn == scan`).
    private var seenIn: [Int]
    private var scan = 0

    /// - Parameters:
    ///   - lower, upper: each variable's bounds (`upper ≥ unbounded`: none).
    ///   - constraints: each as terms (variable, coefficient), its right-hand
    ///     side, and whether it is an equality (else `≤`).
    init(lower: [Int], upper: [Int], constraints: [(terms: [(Int, Int)], bound: Int, isEquality: Bool)]) {
        self.lower = lower
        self.upper = upper.map { min($0, Self.unbounded) }
        var start = [0], variables: [Int] = [], coefficients: [Int] = [], bounds: [Int] = [], isEquality: [Bool] = []
        var constraintsOf = Array(repeating: [Int](), count: lower.count)
        for constraint in constraints {
            for (variable, coefficient) in constraint.terms where coefficient != 0 {
                variables.append(variable)
                coefficients.append(coefficient)
                if constraintsOf[variable].last != bounds.count { constraintsOf[variable].append(bounds.count) }
            }
            bounds.append(constraint.bound)
            isEquality.append(constraint.isEquality)
            start.append(variables.count)
        }
        self.start = start
        self.variables = variables
        self.coefficients = coefficients
        self.bounds = bounds
        self.isEquality = isEquality
        self.constraintsOf = constraintsOf
        queued = Array(repeating: false, count: bounds.count)
        seenIn = Array(repeating: 0, count: lower.count)
    }

    var variableCount: Int { lower.count }
    var constraintCount: Int { bounds.count }

    func isFixed(_ variable: Int) -> Bool { lower[variable] == upper[variable] }

    /// The number of integer values a variable's bounds allow (capped for unbounded ones).
    func width(_ variable: Int) -> Int { upper[variable] >= Self.unbounded ? Self.unbounded : upper[variable] - lower[variable] + 1 }

    /// The variables of one constraint.
    func terms(of constraint: Int) -> ArraySlice<Int> { variables[start[constraint]..<start[constraint + 1]] }

    func constraints(of variable: Int) -> [Int] { constraintsOf[variable] }

    /// Positions of a constraint's terms, for `variable(at:)` and `coefficient(at:)`.
    func termIndices(of constraint: Int) -> Range<Int> { start[constraint]..<start[constraint + 1] }
    func variable(at term: Int) -> Int { variables[term] }
    func coefficient(at term: Int) -> Int { coefficients[term] }
    func bound(of constraint: Int) -> Int { bounds[constraint] }
    func isEquality(_ constraint: Int) -> Bool { isEquality[constraint] }

    /// A variable's coefficient in a constraint it appears in (once).
    func coefficient(of variable: Int, in constraint: Int) -> Int {
        for index in start[constraint]..<start[constraint + 1] where variables[index] == variable { return coefficients[index] }
        return 0
    }

    // MARK: Trail

    /// A point to undo to.
    var mark: Int { trail.count }

    mutating func undo(to mark: Int) {
        while trail.count > mark {
            let entry = trail.removeLast()
            lower[entry.variable] = entry.lower
            upper[entry.variable] = entry.upper
        }
    }

    /// Narrows a variable's bounds (never widens them); false when they become empty.
    @discardableResult
    mutating func narrow(_ variable: Int, lower newLower: Int, upper newUpper: Int) -> Bool {
        let low = max(lower[variable], newLower), high = min(upper[variable], newUpper)
        guard low != lower[variable] || high != upper[variable] else { return true }
        trail.append((variable, lower[variable], upper[variable]))
        lower[variable] = low
        upper[variable] = high
        guard low <= high else { return false }
        for constraint in constraintsOf[variable] where !queued[constraint] {
            queued[constraint] = true
            queue.append(constraint)
        }
        return true
    }

    // MARK: Propagation

    /// Bounds consistency from the constraints queued by `narrow` (or all of
    /// them with `everything`). Stops with `tooLong` after `limit` narrowings:
    /// two constraints with no integer solution between them can otherwise
    /// trade a bound down one unit at a time for a very long while.
    mutating func propagate(everything: Bool = false, limit: Int = 200_000) -> Propagation {
        if everything {
            for constraint in 0..<bounds.count where !queued[constraint] {
                queued[constraint] = true
                queue.append(constraint)
            }
        }
        var narrowings = 0
        var head = 0
        defer {
            for constraint in queue[head...] { queued[constraint] = false }
            queue.removeAll(keepingCapacity: true)
        }
        while head < queue.count {
            let constraint = queue[head]
            head += 1
            queued[constraint] = false
            let before = trail.count
            guard narrowAtMost(constraint, sign: 1),
                  !isEquality[constraint] || narrowAtMost(constraint, sign: -1) else { return .contradiction }
            narrowings += trail.count - before
            if narrowings > limit { return .tooLong }
        }
        return .consistent
    }

    /// One constraint read as `Σ sign·a·x ≤ sign·b`: narrows each term's bound
    /// from the least the other terms can add up to.
    private mutating func narrowAtMost(_ constraint: Int, sign: Int) -> Bool {
        let range = start[constraint]..<start[constraint + 1]
        let limit = sign * bounds[constraint]
        var least = 0, unboundedTerms = 0, unboundedTerm = -1
        for index in range {
            let a = sign * coefficients[index], variable = variables[index]
            if a > 0 {
                least += a * lower[variable]
            } else if upper[variable] >= Self.unbounded {
                unboundedTerms += 1
                unboundedTerm = index
            } else {
                least += a * upper[variable]
            }
        }
        if unboundedTerms == 0 && least > limit { return false }
        if unboundedTerms > 1 { return true }
        for index in range {
            if unboundedTerms == 1 && index != unboundedTerm { continue }
            let a = sign * coefficients[index], variable = variables[index]
            let own = a > 0 ? a * lower[variable] : (upper[variable] >= Self.unbounded ? 0 : a * upper[variable])
            let slack = limit - (least - own)  // a·x ≤ slack
            if a > 0 {
                let high = floorDivision(slack, a)
                if high < upper[variable], !narrow(variable, lower: lower[variable], upper: high) { return false }
            } else {
                let low = ceilingDivision(slack, a)
                if low > lower[variable], !narrow(variable, lower: low, upper: upper[variable]) { return false }
            }
        }
        return true
    }

    // MARK: Search

    /// Looks for a whole integer solution within the current bounds, near
    /// `truth` (a solution of the system before the bounds were narrowed, for
    /// example by fixing one variable to another value). Every variable keeps
    /// its true value unless its bounds exclude it or a broken constraint
    /// makes it move: the search branches only on the variables of one
    /// constraint the tentative values break, trying for each the value that
    /// repairs it, and propagates after each choice. Only variables pushed off
    /// their true values can break a constraint, so checking stays local.
    ///
    /// On success the bounds hold the solution's moved variables fixed and
    /// `solution` gives every value; on failure the bounds are as before.
    /// `budget` counts the choices tried.
    mutating func findSolution(near truth: [Int], from mark: Int, budget: inout Int) -> Bool {
        let before = self.mark
        // Limited discrepancy search: first the path of best-ranked repairs
        // alone, then paths that leave it once, twice…, so that an early wrong
        // choice is not explored all the way down before the next is tried.
        for discrepancies in 0...4 where budget > 0 {
            if repair(near: truth, from: mark, budget: &budget, discrepancies: discrepancies, depth: 0) { return true }
            undo(to: before)
        }
        return false
    }

    /// Deepest chain of repairs a witness search follows.
    static let maximumRepairDepth = 80

    /// A variable's tentative value: its true value, or the nearest its bounds allow.
    func tentative(_ variable: Int, _ truth: [Int]) -> Int { min(max(truth[variable], lower[variable]), upper[variable]) }

    /// The variables whose tentative values differ from `truth`, with those
    /// values (after `findSolution` succeeded: the solution's moved cells).
    mutating func movedVariables(near truth: [Int], from mark: Int) -> [(variable: Int, value: Int)] {
        var moved: [(variable: Int, value: Int)] = []
        scan += 1
        for entry in trail[mark...] where seenIn[entry.variable] != scan {
            seenIn[entry.variable] = scan
            let value = tentative(entry.variable, truth)
            if value != truth[entry.variable] { moved.append((entry.variable, value)) }
        }
        return moved
    }

    /// The first constraint (by position) the tentative values break, looking
    /// only at constraints of variables narrowed since `mark`.
    private mutating func brokenConstraint(near truth: [Int], from mark: Int) -> Int? {
        var broken: Int?
        scan += 1
        for entry in trail[mark...] where seenIn[entry.variable] != scan {
            let variable = entry.variable
            seenIn[variable] = scan
            guard tentative(variable, truth) != truth[variable] else { continue }
            for constraint in constraintsOf[variable] where broken == nil || constraint < broken! {
                var total = -bounds[constraint]
                for index in start[constraint]..<start[constraint + 1] {
                    total += coefficients[index] * tentative(variables[index], truth)
                }
                if isEquality[constraint] ? total != 0 : total > 0 { broken = constraint }
            }
        }
        return broken
    }

    /// How many constraints that hold at the tentative values a move would break.
    private func breaks(moving variable: Int, from current: Int, to value: Int, truth: [Int]) -> Int {
        var count = 0
        for constraint in constraintsOf[variable] {
            var total = -bounds[constraint], coefficient = 0
            for index in start[constraint]..<start[constraint + 1] {
                total += coefficients[index] * tentative(variables[index], truth)
                if variables[index] == variable { coefficient = coefficients[index] }
            }
            let after = total + coefficient * (value - current)
            let heldBefore = isEquality[constraint] ? total == 0 : total <= 0
            let holdsAfter = isEquality[constraint] ? after == 0 : after <= 0
            if heldBefore && !holdsAfter { count += 1 }
        }
        return count
    }

    private mutating func repair(near truth: [Int], from mark: Int, budget: inout Int, discrepancies: Int, depth: Int) -> Bool {
        guard let constraint = brokenConstraint(near: truth, from: mark) else { return true }
        guard depth < Self.maximumRepairDepth else { return false }
        var residual = -bounds[constraint]
        for index in start[constraint]..<start[constraint + 1] {
            residual += coefficients[index] * tentative(variables[index], truth)
        }
        // Each free variable of the constraint, moved to repair it alone, or one
        // step towards that; the moves that break the fewest other constraints first.
        var choices: [(variable: Int, value: Int, breaks: Int, distance: Int)] = []
        for index in start[constraint]..<start[constraint + 1] {
            let variable = variables[index], a = coefficients[index]
            guard !isFixed(variable) else { continue }
            let shift = a > 0 ? floorDivision(-residual, a) : ceilingDivision(-residual, a)
            let current = tentative(variable, truth)
            for step in shift.magnitude > 1 ? [shift, shift.signum()] : [shift] where step != 0 {
                let value = min(max(current + step, lower[variable]), upper[variable])
                guard value != current else { continue }
                choices.append((variable, value, breaks(moving: variable, from: current, to: value, truth: truth),
                                abs(value - truth[variable])))
            }
        }
        choices.sort { ($0.breaks, $0.distance, $0.variable, $0.value) < ($1.breaks, $1.distance, $1.variable, $1.value) }
        for (rank, choice) in choices.enumerated() {
            let departs = rank == 0 ? 0 : 1
            guard departs <= discrepancies else { break }
            budget -= 1
            guard budget > 0 else { return false }
            let before = self.mark
            if narrow(choice.variable, lower: choice.value, upper: choice.value), propagate() == .consistent,
               repair(near: truth, from: mark, budget: &budget, discrepancies: discrepancies - departs, depth: depth + 1) {
                return true
            }
            undo(to: before)
        }
        return false
    }
}

/// ⌊a / b⌋ for b ≠ 0.
func floorDivision(_ a: Int, _ b: Int) -> Int {
    let quotient = a / b
    return (a % b != 0 && (a < 0) != (b < 0)) ? quotient - 1 : quotient
}

/// ⌈a / b⌉ for b ≠ 0.
func ceilingDivision(_ a: Int, _ b: Int) -> Int {
    let quotient = a / b
    return (a % b != 0 && (a < 0) == (b < 0)) ? quotient + 1 : quotient
}
