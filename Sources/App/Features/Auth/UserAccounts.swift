import Vapor
import PostgresNIO

public enum UserRole: String, CaseIterable, Codable, Sendable {
    case member, staff, admin
}

/// Creating sign-in accounts: checked, hashed, audited, in one transaction.
enum UserAccounts {
    struct NewUser: Sendable {
        var email: String
        var password: String
        var role: UserRole
        var memberID: UUID?
        var councilID: UUID?
        var displayName: String = ""
    }

    static func create(_ user: NewUser, actor: AuditActor, on connection: PostgresConnection, logger: Logger) async throws -> UUID {
        let email = user.email.trimmingCharacters(in: .whitespaces)
        guard email.count <= 320, email.wholeMatch(of: /[^@\s]+@[^@\s]+\.[^@\s]+/) != nil else {
            throw AppError(.unprocessableEntity, code: "invalid_email", field: "email",
                           ja: "メールアドレスの形式が正しくありません。", en: "The e-mail address is not valid.")
        }
        if user.role == .member, user.memberID == nil {
            throw AppError(.unprocessableEntity, code: "member_required", field: "member_id",
                           ja: "参画企業・団体のユーザーには所属（member_id）が必要です。",
                           en: "A member user needs the organisation it belongs to (member_id).")
        }
        if user.role != .member, user.memberID != nil {
            throw AppError(.unprocessableEntity, code: "member_not_allowed", field: "member_id",
                           ja: "市職員・管理者は参画企業・団体に所属できません。",
                           en: "Staff and admins do not belong to a member organisation.")
        }
        let hash = try PasswordPolicy.hash(user.password)
        let councilID: UUID
        if let memberID = user.memberID {
            guard let memberCouncil = try await connection.query(
                "SELECT council_id FROM members WHERE id = \(memberID)", logger: logger
            ).collect().first?.decode(UUID.self) else {
                throw AppError(.unprocessableEntity, code: "unknown_member", field: "member_id",
                               ja: "その参画企業・団体はありません。", en: "No member organisation has that id.")
            }
            councilID = memberCouncil
        } else if let given = user.councilID {
            guard try await !connection.query("SELECT 1 FROM councils WHERE id = \(given)", logger: logger)
                .collect().isEmpty else {
                throw AppError(.unprocessableEntity, code: "unknown_council", field: "council_id",
                               ja: "その協議会はありません。", en: "No council has that id.")
            }
            councilID = given
        } else {
            guard let city = try await connection.query(
                "SELECT id FROM councils WHERE level = 'city' ORDER BY created_at, code LIMIT 1", logger: logger
            ).collect().first?.decode(UUID.self) else {
                throw AppError(.unprocessableEntity, code: "no_council", field: "council_id",
                               ja: "協議会がありません（先に tsunagu seed を実行してください）。",
                               en: "No council exists: run `tsunagu seed` first.")
            }
            councilID = city
        }
        let taken = try await !connection.query(
            "SELECT 1 FROM users WHERE lower(email) = lower(\(email))", logger: logger).collect().isEmpty
        if taken {
            throw AppError(.conflict, code: "email_taken", field: "email",
                           ja: "このメールアドレスは既に使われています。", en: "That e-mail address is already in use.")
        }
        let id = UUID()
        try await connection.query("""
            INSERT INTO users (id, council_id, email, display_name, password_hash, role, member_id)
            VALUES (\(id), \(councilID), \(email), \(user.displayName), \(hash), \(user.role.rawValue), \(user.memberID))
            """, logger: logger)
        try await Audit.record(on: connection, councilID: councilID, actor: actor, action: "user.create", entity: "user",
                               entityID: id.uuidString.lowercased(), details: ["email": email, "role": user.role.rawValue],
                               logger: logger)
        return id
    }
}
