import Foundation

/// What a notification is about. Stored as its code with its parameters; the text is rendered
/// only when someone reads it, in the reader's language.
enum NotificationKind: String, Sendable, CaseIterable, Codable {
    /// To the proposing organisation's users: the proposal moved along its workflow.
    case proposalStatus = "proposal_status"
    /// To a selected applicant's users: the organisation was selected in a theme call and is in the new group.
    case themeCallSelected = "theme_call_selected"
    /// To the users of every organisation in the group: the group's stage changed.
    case workingGroupStage = "working_group_stage"
    /// To the users of organisations whose domains overlap the call's: a theme call was published.
    case themeCallPublished = "theme_call_published"
}

/// One notification as its reader sees it.
struct NotificationItem: Sendable {
    var id: UUID
    var kind: NotificationKind
    var params: [String: String]
    var readAt: Date?
    var createdAt: Date
}

/// How a user wants e-mail. In-app notifications are always on.
enum EmailMode: String, Sendable, CaseIterable, Codable {
    case immediate
    case dailyDigest = "daily_digest"
    case none

    static let codes = allCases.map(\.rawValue)
}
