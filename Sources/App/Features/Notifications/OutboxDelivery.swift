import Foundation
import PostgresNIO
import Logging

/// Sends due outbox e-mails over SMTP and records each outcome. Rows are claimed by pushing their
/// next attempt a lease ahead (FOR UPDATE SKIP LOCKED), so many app instances share the work and a
/// process that dies mid-send only delays the message: it is tried again when the lease runs out.
enum OutboxDelivery {
    struct Summary: Sendable, Equatable {
        var sent = 0
        var retrying = 0
        var failed = 0
    }

    static let lease = 600

    static func deliverDue(settings: SMTPSettings, localizer: Localizer, publicURL: String?, on db: Database,
                           batch: Int = 20, send: (@Sendable (MailMessage) async throws -> Void)? = nil) async throws -> Summary {
        let client = SMTPClient(settings: settings)
        let send = send ?? { message in try await client.send(message) }
        var summary = Summary()
        while true {
            let rows = try await db.client.query("""
                UPDATE email_outbox SET attempts = attempts + 1, next_attempt_at = now() + make_interval(secs => \(Double(lease)))
                WHERE id IN (SELECT id FROM email_outbox WHERE status = 'pending' AND next_attempt_at <= now()
                             ORDER BY next_attempt_at, id FOR UPDATE SKIP LOCKED LIMIT \(batch))
                RETURNING id, recipient, locale, kind, status, attempts, next_attempt_at, last_error, sent_at, created_at,
                          notification_id
                """).rows()
            if rows.isEmpty { return summary }
            for entry in try await Outbox.entries(rows, on: db) {
                guard let text = entry.rendered(localizer: localizer, publicURL: publicURL) else {
                    try await record(entry, error: "the notifications of this e-mail no longer exist", permanent: true, on: db)
                    summary.failed += 1
                    continue
                }
                let message = MailMessage(from: settings.from, to: entry.recipient, subject: text.subject, body: text.body,
                                          messageID: entry.id.uuidString.lowercased())
                do {
                    try await send(message)
                    try await db.client.query("""
                        UPDATE email_outbox SET status = 'sent', sent_at = now(), last_error = NULL WHERE id = \(entry.id)
                        """)
                    summary.sent += 1
                } catch {
                    let permanent = (error as? SMTPError)?.isPermanent ?? false
                    let gaveUp = try await record(entry, error: "\(error)", permanent: permanent, on: db)
                    if gaveUp { summary.failed += 1 } else { summary.retrying += 1 }
                    db.logger.warning("E-mail \(entry.id) not sent (attempt \(entry.attempts)): \(error)")
                }
            }
            if rows.count < batch { return summary }
        }
    }

    /// Records a failed attempt; true when the message is given up.
    @discardableResult
    static func record(_ entry: Outbox.Entry, error: String, permanent: Bool, on db: Database) async throws -> Bool {
        let gaveUp = permanent || entry.attempts >= Outbox.maxAttempts
        let delay = Outbox.backoff(afterAttempt: entry.attempts)
        try await db.client.query("""
            UPDATE email_outbox SET last_error = \(String(error.prefix(1000))),
              status = CASE WHEN \(gaveUp) THEN 'failed' ELSE 'pending' END,
              next_attempt_at = now() + make_interval(secs => \(Double(delay)))
            WHERE id = \(entry.id)
            """)
        return gaveUp
    }
}
