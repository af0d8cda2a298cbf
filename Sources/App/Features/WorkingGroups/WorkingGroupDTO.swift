import Vapor

/// A working group as the API shows it. The list leaves the detail parts out (nil → absent).
struct WorkingGroupDTO: Content {
    var id: UUID
    var councilId: UUID
    var type: String
    var title: String
    var summary: String
    var domains: [String]
    /// Ward names in Japanese, or `["*"]` for city-wide (as for members).
    var wards: [String]
    var wardCodes: [String]
    var cityWide: Bool
    var stage: String
    var stageChangedAt: Date
    var daysInStage: Int
    var leadMemberId: UUID?
    var leadOrganisation: String?
    var lastActivityOn: String?
    var lastActivityTitle: String?
    var originProposalId: UUID?
    var originThemeCallId: UUID?
    var originRoundId: UUID?
    var startedOn: String?
    var isDemo: Bool
    var createdAt: Date
    var updatedAt: Date

    // Detail only.
    var outcomeNotes: String?
    var needIds: [UUID]?
    var districtIds: [UUID]?
    var participants: [ParticipantDTO]?
    var support: [SupportDTO]?
    var stageHistory: [StageChangeDTO]?
    var activities: [ActivityDTO]?
    var originProposal: OriginProposalDTO?
    /// Whether the reader may see the confidential origin details (participants and staff).
    var confidentialVisible: Bool?
}

struct ParticipantDTO: Content {
    var id: UUID
    var role: String
    var memberId: UUID?
    var userId: UUID?
    var name: String
    var joinedOn: String?
}

struct SupportDTO: Content {
    var id: UUID
    var item: String
    var ownerDepartment: String
    var status: String
    var note: String
    var updatedAt: Date
}

struct StageChangeDTO: Content {
    var fromStage: String?
    var toStage: String
    var note: String
    var actor: String?
    var at: Date
}

struct ActivityDTO: Content {
    var id: UUID
    var kind: String
    var occurredOn: String
    var title: String
    var body: String
    var links: [String]
}

/// The proposal a group came from. `body` is confidential: nil unless the reader takes part in
/// the group or is staff; everyone else reads the public title and summary.
struct OriginProposalDTO: Content {
    var id: UUID
    var title: String
    var summary: String
    var memberName: String
    var body: String?
}

struct WorkingGroupFilter: Sendable {
    var councilID: UUID
    var type: String?
    var stage: String?
    var domain: String?
    var wardCode: String?
}
