/// Every input problem the engine or `AssignCommand` reports. `field` names the offending
/// input (e.g. `pairs[3].candidate`) so the App can show it next to the form field or
/// put it into its `{"error": {"code", "message", "field"}}` body.
public struct MatchingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Stable machine-readable code, e.g. `unknown_candidate`, `duplicate_pair`.
    public var code: String
    /// The input path of the offending value.
    public var field: String
    /// A human-readable explanation (English; the App localises by `code`).
    public var message: String

    public init(code: String, field: String, message: String) {
        self.code = code
        self.field = field
        self.message = message
    }

    public var description: String { "\(field): \(message)" }
}
