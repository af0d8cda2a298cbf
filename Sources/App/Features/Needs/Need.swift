import Vapor

/// A regional need (地域ニーズ) as the API shows it.
struct NeedDTO: Content {
    var id: UUID
    var councilId: UUID
    var ward: String?
    var wardCode: String?
    var districtId: UUID?
    var district: String?
    var domain: String
    var title: String
    var description: String
    var tags: [String]
    var severity: Int
    var source: String
    var wanted: Int
    var status: String
    var isDemo: Bool
    var createdAt: Date
    var updatedAt: Date
}

struct NeedFilter: Sendable {
    var councilID: UUID
    var domain: String?
    var wardCode: String?
    var districtID: UUID?
    var status: String?
    var search: String?
}
