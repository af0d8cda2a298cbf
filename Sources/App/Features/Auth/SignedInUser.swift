import Vapor

/// The person behind a request once signed in (session cookie, or API bearer token).
public struct SignedInUser: Authenticatable, Sendable {
    public var id: UUID
    public var councilID: UUID
    public var role: UserRole
    public var memberID: UUID?
    public var email: String
    public var displayName: String

    public var isStaff: Bool { role == .staff || role == .admin }
}

extension Request {
    public var signedInUser: SignedInUser? { auth.get(SignedInUser.self) }

    /// The signed-in user, if their role is one of `roles` (any role when empty):
    /// 401 when nobody is signed in, 403 when the role may not do this.
    @discardableResult
    public func requireUser(_ roles: UserRole...) throws -> SignedInUser {
        guard let user = signedInUser else {
            throw AppError(.unauthorized, code: "unauthorized", ja: "ログインしてください。", en: "Please sign in.")
        }
        guard roles.isEmpty || roles.contains(user.role) else {
            throw AppError(.forbidden, code: "forbidden", ja: "この操作を行う権限がありません。",
                           en: "You are not allowed to do this.")
        }
        return user
    }

    /// Who is acting, for the audit log.
    public var auditActor: AuditActor {
        AuditActor(userID: signedInUser?.id, role: signedInUser?.role.rawValue ?? "anonymous",
                   address: remoteAddress?.ipAddress, requestID: logger[metadataKey: "request-id"].map { "\($0)" })
    }
}
