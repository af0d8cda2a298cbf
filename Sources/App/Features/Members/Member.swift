import Vapor

/// A member organisation of the council (参画企業・団体) as the API shows it.
struct MemberDTO: Content {
    var id: UUID
    var councilId: UUID
    var nameJa: String
    var nameEn: String?
    var kind: String
    var industry: String
    var domains: [String]
    /// Ward names in Japanese, or `["*"]` for city-wide.
    var wards: [String]
    var tags: [String]
    var description: String
    var capacity: Int
    var joinedOn: String?
    var status: String
    var isDemo: Bool
    var createdAt: Date
    var updatedAt: Date
}

/// The filters of the member list, already checked.
struct MemberFilter: Sendable {
    var councilID: UUID
    var domain: String?
    var wardCode: String?
    var kind: String?
    var search: String?
}
