import Vapor

public enum EventKind: String, CaseIterable, Codable, Sendable {
    case councilMeeting = "council_meeting"
    case studySession = "study_session"
    case exchangeMeeting = "exchange_meeting"
    case wgMeeting = "wg_meeting"
}

struct EventDTO: Content {
    var id: UUID
    var councilId: UUID
    var kind: String
    var title: String
    var description: String
    var startsAt: Date
    var endsAt: Date?
    var place: String
    var workingGroupId: UUID?
    var capacity: Int?
    var registrationCount: Int
    var isDemo: Bool
    // Detail only.
    var registeredMembers: [String]?
    var outcomes: [EventOutcomeDTO]?
}

/// A new case an exchange meeting (交流会) created: a proposal, a working group, or a note.
struct EventOutcomeDTO: Content {
    var id: UUID
    var proposalId: UUID?
    var workingGroupId: UUID?
    var workingGroupTitle: String?
    var note: String
    var createdAt: Date
}

struct EventFilter: Sendable {
    var councilID: UUID
    var kind: String?
    var from: Date?
    var until: Date?
}
