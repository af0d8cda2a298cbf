import Foundation
import PostgresNIO
import Logging

/// The e-mail outbox: reading entries with their notifications, and recording delivery outcomes.
enum Outbox {
    struct Entry: Sendable {
        var id: UUID
        var recipient: String
        var locale: UILanguage
        var kind: String
        var status: String
        var attempts: Int
        var nextAttemptAt: Date
        var lastError: String?
        var sentAt: Date?
        var createdAt: Date
        var items: [NotificationItem]

        func rendered(localizer: Localizer, publicURL: String?) -> MailText.Rendered? {
            if kind == "digest" {
                return items.isEmpty ? nil : MailText.digest(items, language: locale, localizer: localizer, publicURL: publicURL)
            }
            return items.first.map { MailText.notification($0, language: locale, localizer: localizer, publicURL: publicURL) }
        }
    }

    /// A delivery that failed this many times is given up (status `failed`), as is one the server
    /// refused permanently (5xx).
    static let maxAttempts = 8

    /// 1, 2, 4 … minutes after the n-th failure, at most 6 hours.
    static func backoff(afterAttempt attempts: Int) -> Int {
        min(60 << min(max(attempts - 1, 0), 20), 6 * 3600)
    }

    /// Newest first, for the staff page; `status` nil for all.
    static func page(status: String?, _ page: PageRequest, on db: Database) async throws -> (items: [Entry], total: Int) {
        let total = try await db.client.query("""
            SELECT count(*)::int FROM email_outbox WHERE \(status)::text IS NULL OR status = \(status)::text
            """).collect().first?.decode(Int.self) ?? 0
        let rows = try await db.client.query("""
            SELECT id, recipient, locale, kind, status, attempts, next_attempt_at, last_error, sent_at, created_at, notification_id
            FROM email_outbox WHERE \(status)::text IS NULL OR status = \(status)::text
            ORDER BY created_at DESC, id DESC LIMIT \(page.perPage) OFFSET \(page.offset)
            """).rows()
        return (try await entries(rows, on: db), total)
    }

    static func entries(_ rows: [PostgresRandomAccessRow], on db: Database) async throws -> [Entry] {
        var result: [Entry] = []
        for row in rows {
            let id: UUID = try row.get("id")
            let kind: String = try row.get("kind")
            let notification: UUID? = try row.get("notification_id")
            let items: [NotificationItem]
            if kind == "digest" {
                items = try await db.client.query("""
                    SELECT n.id, n.kind, n.params::text AS params, n.read_at, n.created_at
                    FROM notification_digest_items d JOIN notifications n ON n.id = d.notification_id
                    WHERE d.outbox_id = \(id) ORDER BY n.created_at, n.id
                    """).rows().map(NotificationQueries.item)
            } else {
                items = try await db.client.query("""
                    SELECT id, kind, params::text AS params, read_at, created_at FROM notifications WHERE id = \(notification)
                    """).rows().map(NotificationQueries.item)
            }
            result.append(Entry(
                id: id, recipient: try row.get("recipient"), locale: UILanguage(rawValue: try row.get("locale")) ?? .ja,
                kind: kind, status: try row.get("status"), attempts: Int(try row.get("attempts", as: Int32.self)),
                nextAttemptAt: try row.get("next_attempt_at"), lastError: try row.get("last_error"),
                sentAt: try row.get("sent_at"), createdAt: try row.get("created_at"), items: items))
        }
        return result
    }
}
