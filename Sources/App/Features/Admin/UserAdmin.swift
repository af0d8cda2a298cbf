import Vapor
import PostgresNIO

/// What admins do to accounts: list, deactivate (ending every session and token at once),
/// reset a password (which also ends the user's sessions).
enum UserAdmin {
    struct UserDTO: Content {
        var id: UUID
        var email: String
        var displayName: String
        var role: String
        var memberId: UUID?
        var memberName: String?
        var active: Bool
        var createdAt: Date
    }

    static func list(page: PageRequest, on db: Database) async throws -> Page<UserDTO> {
        let total = try await db.client.query("SELECT count(*)::int FROM users").collect().first?.decode(Int.self) ?? 0
        let rows = try await db.client.query("""
            SELECT u.id, u.email, u.display_name, u.role, u.member_id, m.name_ja AS member_name, u.active, u.created_at
            FROM users u LEFT JOIN members m ON m.id = u.member_id
            ORDER BY u.active DESC, u.role, lower(u.email) LIMIT \(page.perPage) OFFSET \(page.offset)
            """).rows()
        let items = try rows.map { row in
            UserDTO(id: try row.get("id"), email: try row.get("email"), displayName: try row.get("display_name"),
                    role: try row.get("role"), memberId: try row.get("member_id"), memberName: try row.get("member_name"),
                    active: try row.get("active"), createdAt: try row.get("created_at"))
        }
        return Page(items: items, total: total, request: page)
    }

    static func deactivate(_ id: UUID, actor: AuditActor, db: Database, logger: Logger) async throws {
        try await db.transaction { connection in
            let council = try await connection.query("""
                UPDATE users SET active = false, deactivated_at = coalesce(deactivated_at, now())
                WHERE id = \(id) RETURNING council_id
                """, logger: logger).collect().first?.decode(UUID.self)
            guard let council else { throw AppError.notFound("user") }
            let ended = try await SignInSessions.endAll(userID: id, on: connection, logger: logger)
            try await APITokens.revokeAll(userID: id, on: connection, logger: logger)
            try await Audit.record(on: connection, councilID: council, actor: actor, action: "user.deactivate",
                                   entity: "user", entityID: id.uuidString.lowercased(),
                                   details: ["sessions_ended": String(ended)], logger: logger)
        }
    }

    static func resetPassword(_ id: UUID, to password: String, actor: AuditActor, db: Database, logger: Logger) async throws {
        let hash = try PasswordPolicy.hash(password)
        try await db.transaction { connection in
            let council = try await connection.query(
                "UPDATE users SET password_hash = \(hash) WHERE id = \(id) RETURNING council_id", logger: logger
            ).collect().first?.decode(UUID.self)
            guard let council else { throw AppError.notFound("user") }
            // Whoever knew the old password is signed out everywhere.
            try await SignInSessions.endAll(userID: id, on: connection, logger: logger)
            try await Audit.record(on: connection, councilID: council, actor: actor, action: "user.reset_password",
                                   entity: "user", entityID: id.uuidString.lowercased(), logger: logger)
        }
    }
}
