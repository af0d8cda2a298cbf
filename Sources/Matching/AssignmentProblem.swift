/// The assignment alone, by index: who can take how many, who wants how many, which pairs
/// exist with which integer score. Both solvers (`MinCostFlow`, `Greedy`) read it.
///
/// Objective (maximised): coverageBonus · Σ priority over needs with ≥ 1 partner
///                        + Σ score over assigned pairs.
public struct AssignmentProblem: Sendable, Equatable {
    public struct Edge: Sendable, Equatable {
        public var candidate: Int
        public var need: Int
        public var score: Int
        public init(candidate: Int, need: Int, score: Int) {
            self.candidate = candidate
            self.need = need
            self.score = score
        }
    }

    /// Candidate ids; index order must be id order (the deterministic tie-break).
    public var candidateIds: [String]
    public var capacities: [Int]
    /// Need ids; index order must be id order.
    public var needIds: [String]
    public var wanted: [Int]
    public var priorities: [Int]
    /// At most one edge per (candidate, need).
    public var edges: [Edge]
    public var coverageBonus: Int
    /// Indices into `edges` of pairs forced into the assignment (accepted by staff).
    public var fixedEdges: [Int]

    public init(candidateIds: [String], capacities: [Int], needIds: [String], wanted: [Int],
                priorities: [Int], edges: [Edge], coverageBonus: Int, fixedEdges: [Int] = []) {
        self.candidateIds = candidateIds
        self.capacities = capacities
        self.needIds = needIds
        self.wanted = wanted
        self.priorities = priorities
        self.edges = edges
        self.coverageBonus = coverageBonus
        self.fixedEdges = fixedEdges
    }

    /// The state left for the solvers once fixed pairs are in: fixed pairs use capacity and
    /// slots, and a need with a fixed pair is already covered (its bonus is earned).
    func residual() -> (capacity: [Int], slots: [Int], bonusOpen: [Bool], isFixed: [Bool]) {
        var capacity = capacities
        var slots = wanted
        var bonusOpen = [Bool](repeating: true, count: needIds.count)
        var isFixed = [Bool](repeating: false, count: edges.count)
        for e in fixedEdges where !isFixed[e] {
            isFixed[e] = true
            capacity[edges[e].candidate] = max(0, capacity[edges[e].candidate] - 1)
            slots[edges[e].need] = max(0, slots[edges[e].need] - 1)
            bonusOpen[edges[e].need] = false
        }
        return (capacity, slots, bonusOpen, isFixed)
    }

    /// Figures of an assignment given as one flag per edge.
    func evaluate(assigned: [Bool]) -> AssignmentResult {
        var covered = [Bool](repeating: false, count: needIds.count)
        var total = 0
        var pairs: [AssignedPair] = []
        let fixed = Set(fixedEdges)
        for (e, edge) in edges.enumerated() where assigned[e] {
            covered[edge.need] = true
            total += edge.score
            pairs.append(AssignedPair(candidateId: candidateIds[edge.candidate], needId: needIds[edge.need],
                                      scoreUnits: edge.score, fixed: fixed.contains(e)))
        }
        var bonus = 0
        var coveredCount = 0
        for j in needIds.indices where covered[j] {
            bonus += coverageBonus * priorities[j]
            coveredCount += 1
        }
        pairs.sort { ($0.needId, $0.candidateId) < ($1.needId, $1.candidateId) }
        return AssignmentResult(pairs: pairs, objective: bonus + total, coveredNeeds: coveredCount, totalScoreUnits: total)
    }
}
