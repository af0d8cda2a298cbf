import Foundation

/// What staff decide when they form a working group. Everything left nil is taken from the origin
/// (the proposal, the theme call and its needs, or the matched need and candidate).
struct WorkingGroupDraft: Sendable {
    enum Origin: Sendable {
        /// An accepted proposal → an open-type group (オープン型) led by the proposing member.
        case proposal(UUID)
        /// A theme call's selected applicants → a theme-type group (テーマ型); the first is the lead
        /// unless `leadMemberID` says otherwise.
        case themeCall(UUID, selectedMemberIDs: [UUID])
        /// An accepted matching pair (a `matching_decisions` row): open-type when the candidate is a
        /// proposal, theme-type when it is a member answering a region's need.
        case matchingDecision(UUID)
    }

    var origin: Origin
    var title: String? = nil
    var summary: String? = nil
    var domains: [String]? = nil
    var wardCodes: [String]? = nil
    var districtIDs: [UUID]? = nil
    var leadMemberID: UUID? = nil
    /// YYYY-MM-DD (Japan); today when nil.
    var startedOn: String? = nil
    /// Local bodies (地域: 町内会, 地区社協 …) that are not council members, by name.
    var localParticipants: [String] = []
    var note: String = ""
}

/// The origin read from the database, with the defaults it gives the new group.
struct ResolvedOrigin: Sendable {
    var councilID: UUID
    var type: WorkingGroupType
    var title: String
    var summary: String
    var domains: [String]
    var cityWide: Bool
    var wardCodes: [String]
    var districtIDs: [UUID]
    var needIDs: [UUID]
    var leadMemberID: UUID
    var otherMemberIDs: [UUID]
    var proposalID: UUID?
    var themeCallID: UUID?
    var roundID: UUID?
    var decisionID: UUID?
    /// Support-menu items the proposal asked for: they start as `requested` rows of the group.
    var supportRequested: [String]
}
