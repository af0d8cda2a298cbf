import Vapor

/// A proposal (企業・団体提案) as its member and staff see it.
struct ProposalDTO: Content {
    var id: UUID
    var councilId: UUID
    var memberId: UUID
    var memberName: String
    var title: String
    var summary: String
    /// Only in the detail; lists leave the long text out.
    var body: String?
    var domains: [String]
    /// Ward names in Japanese, or `["*"]` for city-wide.
    var wards: [String]
    var districtIds: [UUID]
    var tags: [String]
    var supportMenu: [String]
    var resourcesOffered: [String]
    var track: String
    var status: String
    var submittedAt: Date?
    var decidedAt: Date?
    var createdAt: Date
    var updatedAt: Date
    var history: [HistoryEntry]?

    struct HistoryEntry: Content {
        var from: String?
        var to: String
        var comment: String
        var at: Date
    }
}

/// What another member may see of an accepted proposal: no body, no resources, no history.
struct ProposalSummaryDTO: Content {
    var id: UUID
    var memberName: String
    var title: String
    var summary: String
    var domains: [String]
    var wards: [String]
    var track: String
    var status: String
}

public enum ProposalTrack: String, CaseIterable, Codable, Sendable {
    case regional
    case serviceCreation = "service_creation"
}

/// Resources a member offers (the CHECK of the proposals table lists the same codes).
public enum ResourceCode: String, CaseIterable, Codable, Sendable {
    case space, vehicles, staff, funds, data, venue, expertise, equipment, products
}
