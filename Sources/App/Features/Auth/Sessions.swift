import Vapor
import PostgresNIO
import Crypto

/// Sign-in sessions kept in PostgreSQL, so any app instance can serve any request.
/// The cookie holds a random token; the table holds only its SHA-256.
enum SignInSessions {
    static let cookieName = "tsunagu_session"
    /// Over TLS the cookie takes the `__Host-` prefix: browsers then insist on Secure, Path=/
    /// and no Domain, so no sibling host can plant or overwrite it.
    static func cookieName(servesTLS: Bool) -> String { servesTLS ? "__Host-" + cookieName : cookieName }
    static let idleTimeout: TimeInterval = 2 * 3600
    static let absoluteTimeout: TimeInterval = 12 * 3600
    /// The idle clock is moved at most this often. Moving it on every request made every signed-in
    /// page a write (a row version, WAL, a commit that waits for the disk): most of PostgreSQL's
    /// time per page under `make load`. The idle limit is then honoured to within a minute.
    static let touchInterval: TimeInterval = 60

    struct Created: Sendable {
        var token: String
        var csrfToken: String
    }

    /// A new session for `userID`; the caller sets the cookie.
    static func create(userID: UUID, address: String?, userAgent: String?, on connection: PostgresConnection,
                       logger: Logger) async throws -> Created {
        let token = randomToken()
        let csrf = randomToken()
        let expires = Date().addingTimeInterval(absoluteTimeout)
        try await connection.query("""
            INSERT INTO sessions (id_hash, user_id, csrf_token, expires_at, address, user_agent)
            VALUES (\(hash(token)), \(userID), \(csrf), \(expires), \(address)::inet, \(userAgent.map { String($0.prefix(500)) }))
            """, logger: logger)
        return Created(token: token, csrfToken: csrf)
    }

    /// The active user and CSRF token of a session cookie, touching its idle clock when it is more
    /// than `touchInterval` old; nil when the session is unknown, idle too long, past its absolute
    /// limit, or its user was deactivated.
    static func lookup(token: String, on db: Database) async throws -> (SignedInUser, csrfToken: String)? {
        let rows = try await db.client.query("""
            WITH live AS (
                SELECT s.id_hash, s.last_seen_at, s.csrf_token,
                       u.id, u.council_id, u.role, u.member_id, u.email, u.display_name
                FROM sessions s JOIN users u ON u.id = s.user_id
                WHERE s.id_hash = \(hash(token)) AND u.active
                  AND s.expires_at > now() AND s.last_seen_at > now() - make_interval(secs => \(idleTimeout))
            ), touched AS (
                UPDATE sessions s SET last_seen_at = now() FROM live
                WHERE s.id_hash = live.id_hash AND live.last_seen_at < now() - make_interval(secs => \(touchInterval))
            )
            SELECT id, council_id, role, member_id, email, display_name, csrf_token FROM live
            """).rows()
        guard let row = rows.first, let role = UserRole(rawValue: try row.get("role")) else { return nil }
        let user = SignedInUser(id: try row.get("id"), councilID: try row.get("council_id"), role: role,
                                memberID: try row.get("member_id"), email: try row.get("email"),
                                displayName: try row.get("display_name"))
        return (user, try row.get("csrf_token"))
    }

    /// Ends one session (the cookie's), e.g. the anonymous one replaced at sign-in.
    static func end(token: String, on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query("DELETE FROM sessions WHERE id_hash = \(hash(token))", logger: logger)
    }

    /// Ends every session of a user: at sign-out (on every device) and at deactivation.
    @discardableResult
    static func endAll(userID: UUID, on connection: PostgresConnection, logger: Logger) async throws -> Int {
        try await connection.query("DELETE FROM sessions WHERE user_id = \(userID) RETURNING 1", logger: logger)
            .collect().count
    }

    /// SHA-256 of a token as `bytea` (a ByteBuffer binds as bytea; a [UInt8] would bind as "char"[]).
    static func hash(_ token: String) -> ByteBuffer { ByteBuffer(bytes: SHA256.hash(data: Data(token.utf8))) }

    static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
}

/// Signs the request's user in from the session cookie, if it names a live session.
struct SessionAuthenticator: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if let token = request.sessionToken,
           let (user, csrf) = try await SignInSessions.lookup(token: token, on: request.database) {
            request.auth.login(user)
            request.storage[CSRFTokenKey.self] = csrf
            request.storage[AuthMethodKey.self] = .session
        }
        return try await next.respond(to: request)
    }
}

struct CSRFTokenKey: StorageKey { typealias Value = String }

/// How the request's user was recognised: CSRF protection applies to ambient credentials
/// (the session cookie) and not to an explicit bearer token.
enum AuthMethod: Sendable { case session, bearer }
struct AuthMethodKey: StorageKey { typealias Value = AuthMethod }

extension Request {
    /// The signed-in session's CSRF token, for forms.
    var csrfToken: String? { storage[CSRFTokenKey.self] }

    var authMethod: AuthMethod? { storage[AuthMethodKey.self] }

    var sessionCookieName: String { SignInSessions.cookieName(servesTLS: application.config.servesTLS) }

    /// The raw session token from the cookie, if any.
    var sessionToken: String? {
        guard let token = cookies[sessionCookieName]?.string, !token.isEmpty, token.count <= 100 else { return nil }
        return token
    }
}
