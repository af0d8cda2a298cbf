/// The additive score features. Each value x is in [0, 1]; a pair's score is Σ w·x.
public enum Feature: String, CaseIterable, Sendable, Codable {
    case domain
    case area
    case tags
    case text
    case capacity
    case experience
}
