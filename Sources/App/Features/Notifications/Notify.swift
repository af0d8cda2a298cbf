import Foundation
import PostgresNIO
import Logging

/// Writes notifications on the connection of the change that causes them, inside its transaction:
/// a change that rolls back leaves no notification and no e-mail behind. The person who made the
/// change is not notified of their own action.
enum Notify {
    static func proposalStatusChanged(proposal: UUID, member: UUID, council: UUID, title: String,
                                      from: ProposalStatus, to: ProposalStatus, actor: AuditActor,
                                      on connection: PostgresConnection, logger: Logger) async throws {
        let recipients = try await connection.query("""
            SELECT id FROM users WHERE member_id = \(member) AND active AND id IS DISTINCT FROM \(actor.userID)
            """, logger: logger).rows().map { try $0.get("id", as: UUID.self) }
        try await write(.proposalStatus, council: council, to: recipients,
                        params: ["proposal_id": id(proposal), "title": title, "from": from.rawValue, "to": to.rawValue],
                        on: connection, logger: logger)
    }

    /// Applicants selected when staff form a theme-type group from the call.
    static func selectedForThemeCall(call: UUID, callTitle: String, group: UUID, groupTitle: String, members: [UUID],
                                     council: UUID, actor: AuditActor, on connection: PostgresConnection,
                                     logger: Logger) async throws {
        let recipients = try await connection.query("""
            SELECT id FROM users WHERE member_id = ANY(\(members)) AND active AND id IS DISTINCT FROM \(actor.userID)
            """, logger: logger).rows().map { try $0.get("id", as: UUID.self) }
        try await write(.themeCallSelected, council: council, to: recipients,
                        params: ["theme_call_id": id(call), "title": callTitle, "working_group_id": id(group),
                                 "group": groupTitle],
                        on: connection, logger: logger)
    }

    static func workingGroupStageChanged(group: UUID, title: String, council: UUID, from: WorkingGroupStage,
                                         to: WorkingGroupStage, actor: AuditActor, on connection: PostgresConnection,
                                         logger: Logger) async throws {
        let recipients = try await connection.query("""
            SELECT u.id FROM users u
            WHERE u.active AND u.id IS DISTINCT FROM \(actor.userID) AND u.member_id IN (
              SELECT p.member_id FROM working_group_participants p
              WHERE p.working_group_id = \(group) AND p.member_id IS NOT NULL)
            """, logger: logger).rows().map { try $0.get("id", as: UUID.self) }
        try await write(.workingGroupStage, council: council, to: recipients,
                        params: ["working_group_id": id(group), "title": title, "from": from.rawValue, "to": to.rawValue],
                        on: connection, logger: logger)
    }

    /// Every active organisation of the council working in one of the call's domains.
    static func themeCallPublished(call: UUID, title: String, genre: String, domains: [String], deadline: Date,
                                   council: UUID, actor: AuditActor, on connection: PostgresConnection,
                                   logger: Logger) async throws {
        let recipients = try await connection.query("""
            SELECT u.id FROM users u JOIN members m ON m.id = u.member_id
            WHERE u.active AND m.status = 'active' AND m.council_id = \(council) AND m.domains && \(domains)::text[]
              AND u.id IS DISTINCT FROM \(actor.userID)
            """, logger: logger).rows().map { try $0.get("id", as: UUID.self) }
        try await write(.themeCallPublished, council: council, to: recipients,
                        params: ["theme_call_id": id(call), "title": title, "genre": genre,
                                 "deadline": tokyoMinute(deadline)],
                        on: connection, logger: logger)
    }

    /// One notification per recipient and, for those who want e-mail at once (the default), an
    /// outbox row in the same statement.
    static func write(_ kind: NotificationKind, council: UUID, to recipients: [UUID], params: [String: String],
                      on connection: PostgresConnection, logger: Logger) async throws {
        guard !recipients.isEmpty else { return }
        let json = String(decoding: try JSONEncoder().encode(params), as: UTF8.self)
        try await connection.query("""
            WITH created AS (
              INSERT INTO notifications (id, council_id, user_id, kind, params)
              SELECT gen_random_uuid(), \(council), u.id, \(kind.rawValue), \(json)::jsonb
              FROM users u WHERE u.id = ANY(\(recipients))
              RETURNING id, user_id
            )
            INSERT INTO email_outbox (id, council_id, user_id, recipient, locale, kind, notification_id)
            SELECT gen_random_uuid(), \(council), u.id, u.email, u.locale, 'notification', c.id
            FROM created c JOIN users u ON u.id = c.user_id
            LEFT JOIN notification_preferences p ON p.user_id = u.id
            WHERE coalesce(p.email_mode, 'immediate') = 'immediate'
            """, logger: logger)
    }

    private static func id(_ value: UUID) -> String { value.uuidString.lowercased() }

    /// Deadlines are shown as the council's local time.
    static func tokyoMinute(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Tokyo") ?? .gmt
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        return String(format: "%04d-%02d-%02d %02d:%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0, c.hour ?? 0, c.minute ?? 0)
    }
}
