import Vapor
import PostgresNIO

/// Checking an e-mail and password, for the sign-in page and the token API alike.
/// Unknown user, wrong password, deactivated user and a too-long password all get the same
/// answer (and about the same time: bcrypt runs in every case), so nothing reveals which
/// addresses have accounts.
enum SignIn {
    static let invalidCredentials = AppError(
        .unauthorized, code: "invalid_credentials", field: "email",
        ja: "メールアドレスまたはパスワードが正しくありません。",
        en: "The e-mail address or password is not correct.")

    /// A bcrypt hash of a random secret, verified when the user does not exist (made once, lazily).
    private static let decoyHash: String = (try? Bcrypt.hash(UUID().uuidString, cost: PasswordPolicy.bcryptCost)) ?? ""

    private enum Outcome: Sendable {
        case signedIn(SignedInUser)
        case failed
        case throttled(Int)
    }

    /// The user behind the credentials, with the attempt recorded and audited; throws 401 or 429.
    static func verify(email rawEmail: String, password: String, actor: AuditActor, db: Database,
                       logger: Logger) async throws -> SignedInUser {
        let email = String(rawEmail.trimmingCharacters(in: .whitespaces).prefix(320))
        let outcome: Outcome = try await db.transaction { connection in
            // One attempt per account at a time, so ten parallel guesses cannot all pass the count.
            try await connection.query("SELECT pg_advisory_xact_lock(hashtext(lower(\(email))))", logger: logger)
            if let seconds = try await LoginThrottle.retryAfter(email: email, address: actor.address,
                                                                on: connection, logger: logger) {
                try await Audit.record(on: connection, councilID: nil, actor: actor, action: "auth.login_throttled",
                                       entity: "user", entityID: nil, details: ["email": email], logger: logger)
                return .throttled(seconds)
            }
            let rows = try await connection.query("""
                SELECT id, council_id, role, member_id, email, display_name, password_hash, active
                FROM users WHERE lower(email) = lower(\(email))
                """, logger: logger).collect().map { $0.makeRandomAccess() }
            let row = rows.first
            let hash = try row?.get("password_hash", as: String.self) ?? decoyHash
            let passwordFits = password.utf8.count <= PasswordPolicy.maximumBytes
            let matches = (try? Bcrypt.verify(passwordFits ? password : "", created: hash)) ?? false
            let active = try row?.get("active", as: Bool.self) ?? false
            guard let row, matches, passwordFits, active, let role = UserRole(rawValue: try row.get("role")) else {
                try await LoginThrottle.record(email: email, address: actor.address, succeeded: false,
                                               on: connection, logger: logger)
                let userID = try row?.get("id", as: UUID.self)
                let councilID = try row?.get("council_id", as: UUID.self)
                try await Audit.record(on: connection, councilID: councilID, actor: actor,
                                       action: "auth.login_failed", entity: "user",
                                       entityID: userID?.uuidString.lowercased(), details: ["email": email],
                                       logger: logger)
                return .failed
            }
            let user = SignedInUser(id: try row.get("id"), councilID: try row.get("council_id"), role: role,
                                    memberID: try row.get("member_id"), email: try row.get("email"),
                                    displayName: try row.get("display_name"))
            try await LoginThrottle.record(email: email, address: actor.address, succeeded: true,
                                           on: connection, logger: logger)
            var signedIn = actor
            signedIn.userID = user.id
            signedIn.role = user.role.rawValue
            try await Audit.record(on: connection, councilID: user.councilID, actor: signedIn, action: "auth.login",
                                   entity: "user", entityID: user.id.uuidString.lowercased(), logger: logger)
            return .signedIn(user)
        }
        switch outcome {
        case .signedIn(let user): return user
        case .failed: throw invalidCredentials
        case .throttled(let seconds): throw LoginThrottle.tooMany(retryAfter: seconds)
        }
    }
}
