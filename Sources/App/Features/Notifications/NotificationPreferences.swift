import Foundation
import PostgresNIO

/// Each user's choice of e-mail: at once (the default), one daily digest, or none.
enum NotificationPreferences {
    static func emailMode(of user: UUID, on db: Database) async throws -> EmailMode {
        let raw = try await db.client.query("SELECT email_mode FROM notification_preferences WHERE user_id = \(user)")
            .collect().first?.decode(String.self)
        return raw.flatMap(EmailMode.init(rawValue:)) ?? .immediate
    }

    /// A change of mode restarts `mode_since`, so the first digest after switching holds only what
    /// arrived after the switch (earlier notifications were already mailed one by one, or not wanted).
    static func setEmailMode(_ mode: EmailMode, for user: SignedInUser, actor: AuditActor, on db: Database) async throws {
        try await db.transaction { connection in
            try await connection.query("""
                INSERT INTO notification_preferences (user_id, email_mode) VALUES (\(user.id), \(mode.rawValue))
                ON CONFLICT (user_id) DO UPDATE SET email_mode = EXCLUDED.email_mode,
                  mode_since = CASE WHEN notification_preferences.email_mode = EXCLUDED.email_mode
                                    THEN notification_preferences.mode_since ELSE now() END
                """, logger: db.logger)
            try await Audit.record(on: connection, councilID: user.councilID, actor: actor,
                                   action: "notification.preferences", entity: "user",
                                   entityID: user.id.uuidString.lowercased(), details: ["email_mode": mode.rawValue],
                                   logger: db.logger)
        }
    }

    static func invalidMode(_ given: String?) -> AppError {
        AppError(.unprocessableEntity, code: "invalid_field", field: "email_mode",
                 ja: "メールの受け取り方は immediate・daily_digest・none のいずれかです（指定: \(given ?? "なし")）。",
                 en: "email_mode must be immediate, daily_digest or none (got \(given ?? "nothing")).")
    }
}
