import Vapor

/// `/api/v1/users` and `/api/v1/audit-records`: admins only.
enum AdminAPI {
    struct NewUser: Content {
        var email: String?
        var password: String?
        var role: String?
        var memberId: UUID?
        var displayName: String?
    }

    struct Created: Content { var id: UUID }

    static func users(req: Request) async throws -> Page<UserAdmin.UserDTO> {
        try req.requireUser(.admin)
        let query = try QueryParameters(req, allowed: ["page", "per_page"])
        return try await UserAdmin.list(page: try PageRequest(query), on: req.database)
    }

    static func createUser(req: Request) async throws -> Response {
        try req.requireUser(.admin)
        let body = try req.decodeJSONBody(NewUser.self)
        guard let email = body.email else { throw TokenAPI.missing("email") }
        guard let password = body.password else { throw TokenAPI.missing("password") }
        guard let role = body.role.flatMap(UserRole.init(rawValue:)) else {
            throw AppError(.unprocessableEntity, code: "invalid_field", field: "role",
                           ja: "role は member, staff, admin のいずれかです。", en: "role must be member, staff or admin.")
        }
        let id = try await createAccount(UserAccounts.NewUser(email: email, password: password, role: role,
                                                              memberID: body.memberId,
                                                              displayName: String((body.displayName ?? "").prefix(200))),
                                         req: req)
        return try await Created(id: id).encodeResponse(status: .created, for: req)
    }

    static func createAccount(_ user: UserAccounts.NewUser, req: Request) async throws -> UUID {
        let actor = req.auditActor
        return try await req.database.transaction { connection in
            try await UserAccounts.create(user, actor: actor, on: connection, logger: req.logger)
        }
    }

    static func deactivate(req: Request) async throws -> HTTPStatus {
        try req.requireUser(.admin)
        guard let id = req.parameters.get("id", as: UUID.self) else { throw AppError.notFound("user") }
        try await UserAdmin.deactivate(id, actor: req.auditActor, db: req.database, logger: req.logger)
        return .noContent
    }

    static func auditRecords(req: Request) async throws -> Page<AuditQueries.Record> {
        try req.requireUser(.admin)
        let query = try QueryParameters(req, allowed: AuditQueries.parameters)
        return try await AuditQueries.list(try AuditQueries.filter(query), page: try PageRequest(query), on: req.database)
    }
}
