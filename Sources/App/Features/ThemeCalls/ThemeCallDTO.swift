import Vapor

/// A theme call (テーマ型募集). `status` is the effective one: an `open` call whose deadline has
/// passed reads `closed`, so no job has to close calls at midnight.
struct ThemeCallDTO: Content {
    var id: UUID
    var councilId: UUID
    var title: String
    var genre: String
    var description: String
    var domains: [String]
    var wards: [String]
    var wardCodes: [String]
    var needIds: [UUID]
    var deadline: Date
    var status: String
    var accepting: Bool
    /// For a member: whether the call shares a domain and a ward with the member (city-wide members
    /// share every ward). Absent for staff.
    var matchesYou: Bool?
    var applicationCount: Int
    var isDemo: Bool
    var createdAt: Date
}

struct ApplicationDTO: Content {
    var id: UUID
    var themeCallId: UUID
    var memberId: UUID
    var memberName: String
    var statement: String
    var status: String
    var createdAt: Date
}

struct ThemeCallFilter: Sendable {
    var councilID: UUID
    var status: String?
    var domain: String?
    var wardCode: String?
    /// The reading member, to rank its matching calls first.
    var memberID: UUID?
}

enum ThemeCallStatus: String, CaseIterable, Sendable {
    case draft, open, closed, formed, cancelled
}
