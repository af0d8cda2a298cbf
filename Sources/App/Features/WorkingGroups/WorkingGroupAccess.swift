import Vapor

/// Who may see and do what with one working group. Every signed-in user sees every group's public
/// facts (the status board is for all council members); the origin proposal's body is for the
/// group's participants and staff only.
enum WorkingGroupAccess {
    /// True when the user's organisation, or the user in person, takes part in the group.
    static func isParticipant(_ user: SignedInUser, group: UUID, on db: Database) async throws -> Bool {
        try await !db.client.query("""
            SELECT 1 FROM working_group_participants
            WHERE working_group_id = \(group) AND (member_id = \(user.memberID) OR user_id = \(user.id))
            """).collect().isEmpty
    }

    static func isLead(_ user: SignedInUser, group: UUID, on db: Database) async throws -> Bool {
        guard let member = user.memberID else { return false }
        return try await !db.client.query("""
            SELECT 1 FROM working_group_participants WHERE working_group_id = \(group) AND role = 'lead' AND member_id = \(member)
            """).collect().isEmpty
    }

    static func mayReadConfidential(_ user: SignedInUser, group: UUID, on db: Database) async throws -> Bool {
        if user.isStaff { return true }
        return try await isParticipant(user, group: group, on: db)
    }

    /// Decision: staff steer stages, and so does the lead organisation (主担当), which runs the group.
    static func mayChangeStage(_ user: SignedInUser, group: UUID, on db: Database) async throws -> Bool {
        if user.isStaff { return true }
        return try await isLead(user, group: group, on: db)
    }

    /// Anyone taking part records what happened; staff always may.
    static func mayLogActivity(_ user: SignedInUser, group: UUID, on db: Database) async throws -> Bool {
        if user.isStaff { return true }
        return try await isParticipant(user, group: group, on: db)
    }
}
