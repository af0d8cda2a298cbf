import Foundation
import Vapor
import PostgresNIO
@testable import App

/// A notification row as the tests look at it.
struct StoredNotification {
    var id: UUID
    var kind: String
    var params: [String: String]
    var read: Bool
}

extension Application {
    /// Another active login of a member organisation (its password is never used: tests sign in
    /// through `signedIn(as:)`).
    @discardableResult
    func addMemberUser(_ email: String, member: UUID, locale: String = "ja") async throws -> UUID {
        let id = UUID()
        try await execute("""
            INSERT INTO users (id, council_id, email, display_name, password_hash, role, member_id, locale)
            SELECT \(id), council_id, \(email), \(email), 'not-a-password-hash', 'member', id, \(locale)
            FROM members WHERE id = \(member)
            """)
        return id
    }

    func memberID(of email: String) async throws -> UUID {
        try await rows("SELECT member_id FROM users WHERE lower(email) = lower(\(email))").first!.get("member_id")
    }

    func notifications(of user: UUID) async throws -> [StoredNotification] {
        try await rows("""
            SELECT id, kind, params::text AS params, read_at IS NOT NULL AS read FROM notifications
            WHERE user_id = \(user) ORDER BY created_at, id
            """).map { row in
            StoredNotification(id: try row.get("id"), kind: try row.get("kind"),
                               params: try JSONDecoder().decode([String: String].self,
                                                                from: Data(try row.get("params", as: String.self).utf8)),
                               read: try row.get("read"))
        }
    }

    func notificationCount() async throws -> Int { try await count("SELECT count(*)::int FROM notifications") }

    func outboxCount() async throws -> Int { try await count("SELECT count(*)::int FROM email_outbox") }

    /// Outbox rows addressed to this user.
    func outbox(of user: UUID) async throws -> [(kind: String, status: String, recipient: String)] {
        try await rows("SELECT kind, status, recipient FROM email_outbox WHERE user_id = \(user) ORDER BY created_at, id")
            .map { (try $0.get("kind"), try $0.get("status"), try $0.get("recipient")) }
    }
}
