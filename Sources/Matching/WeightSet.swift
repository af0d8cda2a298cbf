/// A named, versioned set of feature weights. A round stores name + version, so a round can
/// be reproduced after the default changes: never edit a published set, publish a new version.
public struct WeightSet: Sendable, Codable, Equatable {
    public var name: String
    public var version: String
    /// Weight per feature code (`Feature.rawValue`); a missing feature weighs 0.
    public var weights: [String: Double]

    public init(name: String, version: String, weights: [String: Double]) {
        self.name = name
        self.version = version
        self.weights = weights
    }

    /// `standard` v1. The weights sum to 1, so a score reads as a share of a perfect match.
    /// - content fit (tags 0.25 + text 0.25 = 0.5) dominates: it is what the need asks for;
    ///   tags are curated by staff, text catches what tags miss, so they weigh the same;
    /// - domain 0.20 and area 0.15 are coarse yes/no signals, and rounds can hard-filter on
    ///   them anyway; area weighs less because many members serve the whole city (0.8);
    /// - experience 0.10 rewards a track record in the domain without locking out newcomers;
    /// - capacity 0.05 only nudges towards members with room: the assignment already
    ///   enforces capacity exactly, and full members are not eligible at all.
    public static let standard = WeightSet(name: "standard", version: "1", weights: [
        Feature.domain.rawValue: 0.20,
        Feature.area.rawValue: 0.15,
        Feature.tags.rawValue: 0.25,
        Feature.text.rawValue: 0.25,
        Feature.capacity.rawValue: 0.05,
        Feature.experience.rawValue: 0.10,
    ])

    /// Weights in `Feature.allCases` order, validated.
    func resolved() throws(MatchingError) -> FeatureWeights {
        for (key, value) in weights.sorted(by: { $0.key < $1.key }) {
            guard Feature(rawValue: key) != nil else {
                throw MatchingError(code: "unknown_feature", field: "weights.\(key)",
                                    message: "unknown feature \"\(key)\" (expected one of \(Feature.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            guard value.isFinite, value >= 0 else {
                throw MatchingError(code: "invalid_weight", field: "weights.\(key)",
                                    message: "weight must be a finite number ≥ 0, got \(value)")
            }
        }
        return FeatureWeights(
            domain: weights[Feature.domain.rawValue] ?? 0,
            area: weights[Feature.area.rawValue] ?? 0,
            tags: weights[Feature.tags.rawValue] ?? 0,
            text: weights[Feature.text.rawValue] ?? 0,
            capacity: weights[Feature.capacity.rawValue] ?? 0,
            experience: weights[Feature.experience.rawValue] ?? 0)
    }
}

/// Weights as plain fields: the hot scoring loop must not hash feature names.
struct FeatureWeights: Sendable {
    var domain, area, tags, text, capacity, experience: Double
}
