/// The matching engine: scoring (`run`) and re-solving after staff decisions (`resolve`).
/// The entry points live in `MatchingEngine+Run.swift`.
public enum MatchingEngine {
    /// Stored with every round. Bump it whenever a change could alter scores, ranks or the
    /// assignment for the same input, so a stored round can be told apart from a re-run.
    public static let version = "1.1.0"
}
