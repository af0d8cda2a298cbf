import Foundation
import PostgresNIO

/// Reading and marking one user's own notifications. Every query is scoped to the user, so
/// another person's notification is simply "not found".
enum NotificationQueries {
    /// Newest first.
    static func page(for user: UUID, _ page: PageRequest, on db: Database) async throws -> (items: [NotificationItem], total: Int) {
        let total = try await db.client.query("SELECT count(*)::int FROM notifications WHERE user_id = \(user)")
            .collect().first?.decode(Int.self) ?? 0
        let items = try await db.client.query("""
            SELECT id, kind, params::text AS params, read_at, created_at FROM notifications
            WHERE user_id = \(user) ORDER BY created_at DESC, id DESC LIMIT \(page.perPage) OFFSET \(page.offset)
            """).rows().map(item)
        return (items, total)
    }

    static func unreadCount(for user: UUID, on db: Database) async throws -> Int {
        try await db.client.query("SELECT count(*)::int FROM notifications WHERE user_id = \(user) AND read_at IS NULL")
            .collect().first?.decode(Int.self) ?? 0
    }

    static func item(_ row: PostgresRandomAccessRow) throws -> NotificationItem {
        let params = try JSONDecoder().decode([String: String].self, from: Data(try row.get("params", as: String.self).utf8))
        return NotificationItem(id: try row.get("id"), kind: NotificationKind(rawValue: try row.get("kind")) ?? .proposalStatus,
                                params: params, readAt: try row.get("read_at"), createdAt: try row.get("created_at"))
    }

    /// Marks one of the user's notifications read (again is harmless); false when it is not theirs.
    static func markRead(_ id: UUID, for user: SignedInUser, actor: AuditActor, on db: Database) async throws -> Bool {
        try await db.transaction { connection in
            let found = try await connection.query("""
                UPDATE notifications SET read_at = coalesce(read_at, now()) WHERE id = \(id) AND user_id = \(user.id)
                RETURNING id
                """, logger: db.logger).collect().count == 1
            if found {
                try await Audit.record(on: connection, councilID: user.councilID, actor: actor, action: "notification.read",
                                       entity: "notification", entityID: id.uuidString.lowercased(), logger: db.logger)
            }
            return found
        }
    }

    /// Marks every unread notification of the user read; returns how many.
    @discardableResult
    static func markAllRead(for user: SignedInUser, actor: AuditActor, on db: Database) async throws -> Int {
        try await db.transaction { connection in
            let count = try await connection.query("""
                UPDATE notifications SET read_at = now() WHERE user_id = \(user.id) AND read_at IS NULL RETURNING 1
                """, logger: db.logger).collect().count
            try await Audit.record(on: connection, councilID: user.councilID, actor: actor, action: "notification.read_all",
                                   entity: "user", entityID: user.id.uuidString.lowercased(),
                                   details: ["count": String(count)], logger: db.logger)
            return count
        }
    }
}
