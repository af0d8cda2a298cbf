/// The stage rules of a working group (domain.md):
/// forming → active → piloting → reviewing → (back to piloting) → completed | dissolved.
///
/// Decisions: a group may be dissolved (解散) from any stage that is not final, because a group
/// can fall apart at any time (the demo's w007 dissolved while active); it is completed (完了)
/// only from reviewing, because completion is a judgement made when the results are reviewed.
/// completed and dissolved are final: a group that starts again is a new group.
extension WorkingGroupStage {
    var allowedNext: [WorkingGroupStage] {
        switch self {
        case .forming: [.active, .dissolved]
        case .active: [.piloting, .dissolved]
        case .piloting: [.reviewing, .dissolved]
        case .reviewing: [.piloting, .completed, .dissolved]
        case .completed, .dissolved: []
        }
    }

    func canMove(to next: WorkingGroupStage) -> Bool { allowedNext.contains(next) }

    var isFinal: Bool { allowedNext.isEmpty }

    /// Labels for error messages; pages use the `stage_` keys of the localisation tables.
    var labelJa: String {
        switch self {
        case .forming: "組成中"
        case .active: "活動中"
        case .piloting: "実践中"
        case .reviewing: "振り返り"
        case .completed: "完了"
        case .dissolved: "解散"
        }
    }

    var labelEn: String {
        switch self {
        case .forming: "forming"
        case .active: "active"
        case .piloting: "piloting"
        case .reviewing: "reviewing"
        case .completed: "completed"
        case .dissolved: "dissolved"
        }
    }
}

/// Support-menu items provided move forward only: requested → in_progress → done.
enum SupportStatus: String, CaseIterable, Codable, Sendable {
    case requested
    case inProgress = "in_progress"
    case done

    var allowedNext: [SupportStatus] {
        switch self {
        case .requested: [.inProgress]
        case .inProgress: [.done]
        case .done: []
        }
    }
}

public enum ActivityKind: String, CaseIterable, Codable, Sendable {
    case meeting, decision, result, note
}
