/// Hard filters a round can switch on. A filtered-out pair is never scored into the top L.
public struct HardFilters: Sendable, Codable, Equatable {
    /// The candidate must work in the need's domain.
    public var domainMustMatch: Bool
    /// The candidate must serve the need's area (area value > 0: its ward/district or city-wide).
    public var areaMustMatch: Bool
    /// Pairs scoring below this are dropped (score scale: Σ weights, 1 for `standard`).
    public var minimumScore: Double?

    public init(domainMustMatch: Bool = false, areaMustMatch: Bool = false, minimumScore: Double? = nil) {
        self.domainMustMatch = domainMustMatch
        self.areaMustMatch = areaMustMatch
        self.minimumScore = minimumScore
    }
}

/// Everything a round is run with besides its candidates and needs.
public struct RoundParameters: Sendable, Codable, Equatable {
    public var weights: WeightSet
    public var filters: HardFilters
    /// Candidates kept per need (the edges of the assignment network).
    public var topL: Int
    /// Objective bonus per covered need, multiplied by the need's priority, in score units
    /// (1 unit = 10⁻⁴ of score). nil picks one large enough that covering needs always comes
    /// first: more than any total score the round could reach.
    public var coverageBonus: Int?

    public init(weights: WeightSet = .standard, filters: HardFilters = HardFilters(),
                topL: Int = 50, coverageBonus: Int? = nil) {
        self.weights = weights
        self.filters = filters
        self.topL = topL
        self.coverageBonus = coverageBonus
    }
}
