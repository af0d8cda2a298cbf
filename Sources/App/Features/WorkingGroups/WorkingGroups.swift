import Foundation
import PostgresNIO
import Logging

/// The one way to form a working group and the one way to change its stage: each checks its rules,
/// writes the rows, the history and the audit record on the caller's connection, inside the
/// caller's transaction, so the change and its record commit together or not at all.
enum WorkingGroups {
    /// Forms a group from its origin and returns its id. Callable from the matching work with the
    /// connection of its own transaction (e.g. right after recording an accepted decision).
    static func create(_ draft: WorkingGroupDraft, actor: AuditActor, on connection: PostgresConnection,
                       logger: Logger) async throws -> UUID {
        let origin = try await WorkingGroupOrigins.resolve(draft, on: connection, logger: logger)
        let title = (draft.title ?? origin.title).trimmingCharacters(in: .whitespacesAndNewlines)
        try WorkingGroupValidation.title(title)
        let summary = draft.summary ?? String(origin.summary.prefix(2000))
        try WorkingGroupValidation.summary(summary)
        let domains = draft.domains ?? origin.domains
        try WorkingGroupValidation.domains(domains)
        let wardCodes = draft.wardCodes ?? origin.wardCodes
        let cityWide = draft.wardCodes == nil ? origin.cityWide : false
        if let day = draft.startedOn { try WorkingGroupValidation.day(day, field: "started_on") }
        let leadID = origin.leadMemberID

        let id = UUID()
        try await connection.query("""
            INSERT INTO working_groups (id, council_id, type, title, summary, domains, city_wide, stage, stage_changed_at,
                                        origin_proposal_id, origin_theme_call_id, origin_round_id, started_on, created_by)
            VALUES (\(id), \(origin.councilID), \(origin.type.rawValue), \(title), \(summary), \(domains), \(cityWide),
                    'forming', now(), \(origin.proposalID), \(origin.themeCallID), \(origin.roundID),
                    COALESCE(\(draft.startedOn)::date, (now() AT TIME ZONE 'Asia/Tokyo')::date), \(actor.userID))
            """, logger: logger)
        for ward in Set(wardCodes).sorted() {
            try await connection.query("INSERT INTO working_group_wards VALUES (\(id), \(ward))", logger: logger)
        }
        for district in Set(draft.districtIDs ?? origin.districtIDs).sorted(by: { $0.uuidString < $1.uuidString }) {
            try await connection.query("INSERT INTO working_group_districts VALUES (\(id), \(district))", logger: logger)
        }
        for need in origin.needIDs {
            try await connection.query("INSERT INTO working_group_needs VALUES (\(id), \(need))", logger: logger)
        }
        // A need a group now works on is in progress (取組中) unless it was already met or closed.
        try await connection.query("""
            UPDATE needs SET status = 'in_progress' WHERE id = ANY(\(origin.needIDs)) AND status IN ('open', 'matching')
            """, logger: logger)
        try await addParticipants(group: id, council: origin.councilID, lead: leadID,
                                  members: origin.otherMemberIDs,
                                  locals: draft.localParticipants, actor: actor, on: connection, logger: logger)
        // Decision: the support the proposal asked for is recorded as `requested`, owned by the care
        // promotion office until staff hand it to the department that provides it.
        for item in origin.supportRequested {
            try await connection.query("""
                INSERT INTO support_provided (id, council_id, working_group_id, proposal_id, item, owner_department, status)
                VALUES (\(UUID()), \(origin.councilID), \(id), \(origin.proposalID), \(item), \(defaultDepartment), 'requested')
                """, logger: logger)
        }
        if let decision = origin.decisionID {
            try await connection.query("UPDATE matching_decisions SET working_group_id = \(id) WHERE id = \(decision)",
                                       logger: logger)
        }
        try await connection.query("""
            INSERT INTO working_group_stage_history (id, council_id, working_group_id, from_stage, to_stage, note, actor_user_id)
            VALUES (\(UUID()), \(origin.councilID), \(id), NULL, 'forming', \(draft.note), \(actor.userID))
            """, logger: logger)
        try await Audit.record(on: connection, councilID: origin.councilID, actor: actor, action: "working_group.create",
                               entity: "working_group", entityID: id.uuidString.lowercased(),
                               details: ["type": origin.type.rawValue, "origin": originLabel(draft.origin),
                                         "origin_id": originID(draft.origin).uuidString.lowercased()],
                               logger: logger)
        if let call = origin.themeCallID {
            try await Notify.selectedForThemeCall(call: call, callTitle: origin.title, group: id, groupTitle: title,
                                                  members: [leadID] + origin.otherMemberIDs, council: origin.councilID,
                                                  actor: actor, on: connection, logger: logger)
        }
        return id
    }

    static let defaultDepartment = "地域包括ケア推進室"

    private static func addParticipants(group: UUID, council: UUID, lead: UUID, members: [UUID], locals: [String],
                                        actor: AuditActor, on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query("""
            INSERT INTO working_group_participants (id, council_id, working_group_id, role, member_id, joined_on)
            VALUES (\(UUID()), \(council), \(group), 'lead', \(lead), (now() AT TIME ZONE 'Asia/Tokyo')::date)
            """, logger: logger)
        for member in members where member != lead {
            try await connection.query("""
                INSERT INTO working_group_participants (id, council_id, working_group_id, role, member_id, joined_on)
                VALUES (\(UUID()), \(council), \(group), 'member', \(member), (now() AT TIME ZONE 'Asia/Tokyo')::date)
                ON CONFLICT DO NOTHING
                """, logger: logger)
        }
        // The staff member who forms the group is its first city coordinator (市担当).
        if let user = actor.userID, actor.role == "staff" || actor.role == "admin" {
            try await connection.query("""
                INSERT INTO working_group_participants (id, council_id, working_group_id, role, user_id, joined_on)
                VALUES (\(UUID()), \(council), \(group), 'coordinator', \(user), (now() AT TIME ZONE 'Asia/Tokyo')::date)
                """, logger: logger)
        }
        for name in locals {
            let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !trimmed.isEmpty else { continue }
            guard trimmed.count <= 200 else {
                throw WorkingGroupError.invalid("local_participants", ja: "名前は200文字以内にしてください。", en: "names are at most 200 characters.")
            }
            try await connection.query("""
                INSERT INTO working_group_participants (id, council_id, working_group_id, role, display_name, joined_on)
                VALUES (\(UUID()), \(council), \(group), 'local', \(trimmed), (now() AT TIME ZONE 'Asia/Tokyo')::date)
                """, logger: logger)
        }
    }

    private static func originLabel(_ origin: WorkingGroupDraft.Origin) -> String {
        switch origin {
        case .proposal: "proposal"
        case .themeCall: "theme_call"
        case .matchingDecision: "matching_decision"
        }
    }

    private static func originID(_ origin: WorkingGroupDraft.Origin) -> UUID {
        switch origin {
        case .proposal(let id), .themeCall(let id, _), .matchingDecision(let id): id
        }
    }

    /// Moves a group to `next`, or throws 404 / 409 naming the current stage. The row is locked so
    /// two concurrent changes are checked one after the other.
    @discardableResult
    static func changeStage(_ id: UUID, to next: WorkingGroupStage, note: String, actor: AuditActor,
                            on connection: PostgresConnection, logger: Logger) async throws -> WorkingGroupStage {
        guard note.count <= 4000 else {
            throw WorkingGroupError.invalid("note", ja: "4000文字以内にしてください。", en: "at most 4000 characters.")
        }
        let rows = try await connection.query(
            "SELECT council_id, stage, title FROM working_groups WHERE id = \(id) FOR UPDATE", logger: logger).rows()
        guard let row = rows.first else { throw WorkingGroupError.notFound }
        let council: UUID = try row.get("council_id")
        guard let current = WorkingGroupStage(rawValue: try row.get("stage")) else { throw AppError.internalError }
        guard current.canMove(to: next) else { throw WorkingGroupError.illegalStageChange(from: current, to: next) }
        try await connection.query("""
            UPDATE working_groups SET stage = \(next.rawValue), stage_changed_at = now() WHERE id = \(id)
            """, logger: logger)
        try await connection.query("""
            INSERT INTO working_group_stage_history (id, council_id, working_group_id, from_stage, to_stage, note, actor_user_id)
            VALUES (\(UUID()), \(council), \(id), \(current.rawValue), \(next.rawValue), \(note), \(actor.userID))
            """, logger: logger)
        try await Audit.record(on: connection, councilID: council, actor: actor, action: "working_group.stage",
                               entity: "working_group", entityID: id.uuidString.lowercased(),
                               details: ["from": current.rawValue, "to": next.rawValue], logger: logger)
        try await Notify.workingGroupStageChanged(group: id, title: try row.get("title"), council: council, from: current,
                                                  to: next, actor: actor, on: connection, logger: logger)
        return current
    }
}
