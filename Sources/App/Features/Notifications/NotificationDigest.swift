import Foundation
import PostgresNIO
import Logging

/// The daily digest: one e-mail per digest user listing what arrived since their last digest.
/// Each user's digest is one transaction holding the outbox row and the record of which
/// notifications it carries; that record's primary key makes a second digest of the same
/// notification impossible, even when two runs race.
enum NotificationDigest {
    /// Runs the scheduled digest once per Asia/Tokyo day, at or after `hour`; nil when not due
    /// (or another instance already ran today's), else how many e-mails were queued.
    static func runIfDue(hour: Int, on db: Database) async throws -> Int? {
        let claimed = try await db.client.query("""
            INSERT INTO notification_digest_runs (run_on)
            SELECT (now() AT TIME ZONE 'Asia/Tokyo')::date
            WHERE extract(hour FROM now() AT TIME ZONE 'Asia/Tokyo') >= \(hour)
            ON CONFLICT DO NOTHING RETURNING run_on
            """).collect().count == 1
        guard claimed else { return nil }
        return try await composeAll(on: db)
    }

    /// Composes the digest of every active user who chose it; returns how many e-mails were queued.
    @discardableResult
    static func composeAll(on db: Database) async throws -> Int {
        let users = try await db.client.query("""
            SELECT p.user_id FROM notification_preferences p JOIN users u ON u.id = p.user_id
            WHERE p.email_mode = 'daily_digest' AND u.active ORDER BY p.user_id
            """).rows().map { try $0.get("user_id", as: UUID.self) }
        var queued = 0
        for user in users {
            if try await compose(for: user, on: db) { queued += 1 }
        }
        return queued
    }

    /// False when the user has nothing new (or no longer wants a digest).
    static func compose(for user: UUID, on db: Database) async throws -> Bool {
        try await db.transaction { connection in
            let rows = try await connection.query("""
                SELECT p.mode_since, u.email, u.locale, u.council_id
                FROM notification_preferences p JOIN users u ON u.id = p.user_id
                WHERE p.user_id = \(user) AND p.email_mode = 'daily_digest' AND u.active
                FOR UPDATE OF p
                """, logger: db.logger).rows()
            guard let row = rows.first else { return false }
            let since: Date = try row.get("mode_since")
            let notifications = try await connection.query("""
                SELECT n.id FROM notifications n
                WHERE n.user_id = \(user) AND n.created_at >= \(since)
                  AND NOT EXISTS (SELECT 1 FROM notification_digest_items d WHERE d.notification_id = n.id)
                ORDER BY n.created_at, n.id LIMIT 500
                """, logger: db.logger).rows().map { try $0.get("id", as: UUID.self) }
            guard !notifications.isEmpty else { return false }
            let council: UUID = try row.get("council_id")
            let email: String = try row.get("email")
            let locale: String = try row.get("locale")
            let outbox = UUID()
            try await connection.query("""
                INSERT INTO email_outbox (id, council_id, user_id, recipient, locale, kind)
                VALUES (\(outbox), \(council), \(user), \(email), \(locale), 'digest')
                """, logger: db.logger)
            try await connection.query("""
                INSERT INTO notification_digest_items (notification_id, outbox_id)
                SELECT unnest(\(notifications)::uuid[]), \(outbox)
                """, logger: db.logger)
            try await connection.query("""
                UPDATE notification_preferences SET last_digest_at = now() WHERE user_id = \(user)
                """, logger: db.logger)
            try await Audit.record(on: connection, councilID: council, actor: .system, action: "notification.digest",
                                   entity: "email_outbox", entityID: outbox.uuidString.lowercased(),
                                   details: ["notifications": String(notifications.count)], logger: db.logger)
            return true
        }
    }
}
