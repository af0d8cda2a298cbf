import Vapor
import PostgresNIO

/// API tokens for scripts and other systems: random, stored as SHA-256 only, valid for
/// 30 days, revocable by their user and by admins; deactivating a user revokes them all.
enum APITokens {
    static let lifetime: TimeInterval = 30 * 24 * 3600

    struct Issued: Content {
        var id: UUID
        var token: String
        var expiresAt: Date
    }

    struct Listed: Content {
        var id: UUID
        var userId: UUID
        var name: String
        var createdAt: Date
        var expiresAt: Date
        var revokedAt: Date?
        var lastUsedAt: Date?
    }

    static func issue(userID: UUID, name: String, on connection: PostgresConnection, logger: Logger) async throws -> Issued {
        let token = "tsu_" + SignInSessions.randomToken()
        let id = UUID()
        let expires = Date().addingTimeInterval(lifetime)
        try await connection.query("""
            INSERT INTO api_tokens (id, user_id, token_hash, name, expires_at)
            VALUES (\(id), \(userID), \(SignInSessions.hash(token)), \(name), \(expires))
            """, logger: logger)
        return Issued(id: id, token: token, expiresAt: expires)
    }

    /// The active user of a live token, noting its use.
    static func lookup(token: String, on db: Database) async throws -> SignedInUser? {
        let rows = try await db.client.query("""
            UPDATE api_tokens t SET last_used_at = now()
            FROM users u
            WHERE t.token_hash = \(SignInSessions.hash(token)) AND u.id = t.user_id AND u.active
              AND t.revoked_at IS NULL AND t.expires_at > now()
            RETURNING u.id, u.council_id, u.role, u.member_id, u.email, u.display_name
            """).rows()
        guard let row = rows.first, let role = UserRole(rawValue: try row.get("role")) else { return nil }
        return SignedInUser(id: try row.get("id"), councilID: try row.get("council_id"), role: role,
                            memberID: try row.get("member_id"), email: try row.get("email"),
                            displayName: try row.get("display_name"))
    }

    static func list(userID: UUID?, on db: Database) async throws -> [Listed] {
        try await db.client.query("""
            SELECT id, user_id, name, created_at, expires_at, revoked_at, last_used_at FROM api_tokens
            WHERE \(userID)::uuid IS NULL OR user_id = \(userID) ORDER BY created_at DESC LIMIT 200
            """).rows().map { row in
            Listed(id: try row.get("id"), userId: try row.get("user_id"), name: try row.get("name"),
                   createdAt: try row.get("created_at"), expiresAt: try row.get("expires_at"),
                   revokedAt: try row.get("revoked_at"), lastUsedAt: try row.get("last_used_at"))
        }
    }

    /// Revokes a token of `ownerID` (any user's when nil: admins); false when there is no such token.
    static func revoke(id: UUID, ownerID: UUID?, on connection: PostgresConnection, logger: Logger) async throws -> UUID? {
        try await connection.query("""
            UPDATE api_tokens SET revoked_at = coalesce(revoked_at, now())
            WHERE id = \(id) AND (\(ownerID)::uuid IS NULL OR user_id = \(ownerID))
            RETURNING user_id
            """, logger: logger).collect().first?.decode(UUID.self)
    }

    static func revokeAll(userID: UUID, on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query(
            "UPDATE api_tokens SET revoked_at = now() WHERE user_id = \(userID) AND revoked_at IS NULL", logger: logger)
    }
}

/// `Authorization: Bearer …` signs API clients in. A bearer header that names no live token
/// is a 401 at once rather than a silent fall-back to anonymous.
struct BearerAuthenticator: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if let bearer = request.headers.bearerAuthorization {
            guard bearer.token.count <= 100, let user = try await APITokens.lookup(token: bearer.token, on: request.database) else {
                throw AppError(.unauthorized, code: "invalid_token", ja: "APIトークンが無効か、期限切れです。",
                               en: "The API token is invalid, expired or revoked.")
            }
            request.auth.login(user)
            request.storage[AuthMethodKey.self] = .bearer
        }
        return try await next.respond(to: request)
    }
}
