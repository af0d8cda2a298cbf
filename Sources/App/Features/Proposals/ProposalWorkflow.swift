/// The proposal's life, exactly as domain.md draws it:
/// draft → submitted → in_review → accepted | returned | declined; withdrawn from any open
/// state; returned → (edited) → submitted again.
enum ProposalWorkflow {
    /// Who may ask for a move to each status.
    enum Actor: Sendable { case owner, staff }

    /// States the member can still act on or that await a decision.
    static let open: Set<ProposalStatus> = [.draft, .submitted, .inReview, .returned]

    /// The statuses a proposal may move to from `status`.
    static func targets(from status: ProposalStatus) -> Set<ProposalStatus> {
        var targets: Set<ProposalStatus>
        switch status {
        case .draft, .returned: targets = [.submitted]
        case .submitted: targets = [.inReview]
        case .inReview: targets = [.accepted, .returned, .declined]
        case .accepted, .declined, .withdrawn: targets = []
        }
        if open.contains(status) { targets.insert(.withdrawn) }
        return targets
    }

    static func isAllowed(from: ProposalStatus, to: ProposalStatus) -> Bool { targets(from: from).contains(to) }

    /// Members submit, resubmit and withdraw their own; staff review and decide.
    static func actor(for target: ProposalStatus) -> Actor? {
        switch target {
        case .submitted, .withdrawn: .owner
        case .inReview, .accepted, .returned, .declined: .staff
        case .draft: nil
        }
    }

    /// The member may change the text while it is theirs: before submitting and after a return.
    static func isEditable(_ status: ProposalStatus) -> Bool { status == .draft || status == .returned }
}
