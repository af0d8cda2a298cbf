/// One kept (candidate, need) pair with its full breakdown.
public struct ScoredPair: Sendable, Codable, Equatable {
    public var candidateId: String
    public var needId: String
    /// 1 = best candidate for this need.
    public var rank: Int
    /// Σ contributions.
    public var score: Double
    /// round(10⁴ · score): the integer the assignment works with.
    public var scoreUnits: Int
    /// Feature value x_f ∈ [0, 1] per feature.
    public var values: FeatureValues
    /// Contribution w_f · x_f per feature (stored with the pair); they sum to `score`.
    public var contributions: FeatureValues
    /// One Japanese sentence per feature, e.g. `area`: 多摩区で活動.
    public var explanations: FeatureExplanations
}

/// One assigned pair.
public struct AssignedPair: Sendable, Codable, Equatable {
    public var candidateId: String
    public var needId: String
    /// Score in units (10⁻⁴).
    public var scoreUnits: Int
    /// Forced in as a staff-accepted pair.
    public var fixed: Bool
}

/// An assignment with its figures. `objective = coverageBonus · Σ priority(covered needs) + totalScoreUnits`.
public struct AssignmentResult: Sendable, Codable, Equatable {
    /// Sorted by need id, then candidate id.
    public var pairs: [AssignedPair]
    public var objective: Int
    public var coveredNeeds: Int
    public var totalScoreUnits: Int
}

/// Why the best candidate that did not get a need lost it.
public enum RunnerUpReason: String, Sendable, Codable {
    /// Its remaining capacity went to other needs.
    case capacityUsedElsewhere = "capacity_used_elsewhere"
    /// It had room, but the need's slots went to candidates scoring higher.
    case scoreGap = "score_gap"
    /// It had room, but staff-accepted pairs already fill the need.
    case filledByFixedPairs = "filled_by_fixed_pairs"
    /// Assigning it would not raise the objective (e.g. zero score and no bonus).
    case notProfitable = "not_profitable"
}

/// For one need: the best non-assigned kept candidate and why it lost, as data and as a sentence.
public struct RunnerUp: Sendable, Codable, Equatable {
    public var needId: String
    public var candidateId: String
    public var scoreUnits: Int
    public var reason: RunnerUpReason
    /// The runner-up's capacity in this round and how many other needs it was assigned to.
    public var capacity: Int
    public var assignedElsewhere: Int
    /// Lowest score among the need's assigned partners (nil if none).
    public var weakestAssignedUnits: Int?
    /// weakestAssignedUnits − scoreUnits (nil if none assigned).
    public var scoreGapUnits: Int?
    /// The Japanese explanation for staff.
    public var sentence: String
}

/// Wall-clock time of each phase, in milliseconds.
public struct RoundTimings: Sendable, Codable, Equatable {
    /// Normalisation, tokenisation, indexes.
    public var preparationMs: Double
    /// Top-L scoring of every need: the kept pairs and their exact scores. (Rounds stored
    /// before 2026-12-02 also counted each kept pair's values and contributions here.)
    public var scoringMs: Double
    /// Exact min-cost-flow assignment.
    public var assignmentMs: Double
    /// Greedy baseline.
    public var greedyMs: Double
    /// The breakdown staff read of every kept pair: its values, contributions and one-line
    /// sentences (0 in rounds stored before this phase was timed on its own, which counted
    /// it in `scoringMs`).
    public var explanationMs: Double

    public init(preparationMs: Double, scoringMs: Double, assignmentMs: Double, greedyMs: Double, explanationMs: Double = 0) {
        self.preparationMs = preparationMs
        self.scoringMs = scoringMs
        self.assignmentMs = assignmentMs
        self.greedyMs = greedyMs
        self.explanationMs = explanationMs
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        preparationMs = try c.decode(Double.self, forKey: .preparationMs)
        scoringMs = try c.decode(Double.self, forKey: .scoringMs)
        assignmentMs = try c.decode(Double.self, forKey: .assignmentMs)
        greedyMs = try c.decode(Double.self, forKey: .greedyMs)
        explanationMs = try c.decodeIfPresent(Double.self, forKey: .explanationMs) ?? 0
    }

    private enum CodingKeys: String, CodingKey { case preparationMs, scoringMs, assignmentMs, greedyMs, explanationMs }

    /// `explanationMs` is left out when 0, so a round without it encodes as before the phase
    /// was timed on its own (the golden tests pin whole rounds as JSON, timings zeroed).
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(preparationMs, forKey: .preparationMs)
        try c.encode(scoringMs, forKey: .scoringMs)
        try c.encode(assignmentMs, forKey: .assignmentMs)
        try c.encode(greedyMs, forKey: .greedyMs)
        if explanationMs != 0 { try c.encode(explanationMs, forKey: .explanationMs) }
    }

    public var totalMs: Double { preparationMs + scoringMs + assignmentMs + greedyMs + explanationMs }
}

/// Everything a round produces. Deterministic: the same input gives the same value
/// (apart from `timings`).
public struct RoundResult: Sendable, Codable, Equatable {
    public var engineVersion: String
    public var weightSetName: String
    public var weightSetVersion: String
    public var parameters: RoundParameters
    /// The coverage bonus actually used (resolves `parameters.coverageBonus == nil`).
    public var coverageBonus: Int
    /// Kept pairs, sorted by need id then rank.
    public var pairs: [ScoredPair]
    public var optimal: AssignmentResult
    public var greedy: AssignmentResult
    /// One entry per need that has a kept, non-assigned candidate; sorted by need id.
    public var runnerUps: [RunnerUp]
    public var timings: RoundTimings

    /// Equality that ignores timings: what "the same result" means for reproducibility.
    public func sameOutcome(as other: RoundResult) -> Bool {
        var a = self, b = other
        a.timings = RoundTimings(preparationMs: 0, scoringMs: 0, assignmentMs: 0, greedyMs: 0)
        b.timings = a.timings
        return a == b
    }
}
