/// The three priority collaboration domains (重点連携領域) of `domain.md`.
/// Three codes fit in a bitmask, which keeps the per-pair domain test to one AND.
public enum CollaborationDomain: String, CaseIterable, Sendable, Codable {
    case prevention
    case participation
    case dailyLife = "daily_life"

    /// The label shown to staff, exactly as in the source documents.
    public var label: String {
        switch self {
        case .prevention: "予防・自立支援"
        case .participation: "参加と活躍によるつながり"
        case .dailyLife: "日常の暮らしの支え"
        }
    }

    var index: Int {
        switch self {
        case .prevention: 0
        case .participation: 1
        case .dailyLife: 2
        }
    }

    var bit: UInt8 { 1 << UInt8(index) }

    static func parse(_ code: String, field: String) throws(MatchingError) -> CollaborationDomain {
        guard let domain = CollaborationDomain(rawValue: code) else {
            throw MatchingError(code: "unknown_domain", field: field,
                                message: "unknown domain code \"\(code)\" (expected prevention, participation or daily_life)")
        }
        return domain
    }
}
