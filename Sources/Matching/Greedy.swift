/// The baseline staff would do by hand: take pairs best score first while the candidate has
/// room and the need has an open slot. Reported next to the optimum to show what the exact
/// solver gains.
public enum Greedy {
    /// One flag per edge of `problem`.
    public static func solve(_ problem: AssignmentProblem) -> [Bool] {
        var (capacity, slots, bonusOpen, isFixed) = problem.residual()
        var assigned = isFixed
        let order = problem.edges.indices.filter { !isFixed[$0] }.sorted { a, b in
            let ea = problem.edges[a], eb = problem.edges[b]
            if ea.score != eb.score { return ea.score > eb.score }
            if ea.candidate != eb.candidate { return ea.candidate < eb.candidate }
            return ea.need < eb.need
        }
        for e in order {
            let edge = problem.edges[e]
            guard capacity[edge.candidate] > 0, slots[edge.need] > 0 else { continue }
            // Only pairs that raise the objective (a negative score can still pay for coverage).
            let bonus = bonusOpen[edge.need] ? problem.coverageBonus * problem.priorities[edge.need] : 0
            guard edge.score + bonus > 0 else { continue }
            bonusOpen[edge.need] = false
            capacity[edge.candidate] -= 1
            slots[edge.need] -= 1
            assigned[e] = true
        }
        return assigned
    }
}
