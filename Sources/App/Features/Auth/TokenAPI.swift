import Vapor

/// `POST /api/v1/auth/token`, `GET /api/v1/auth/tokens`, `DELETE /api/v1/auth/tokens/{id}`.
enum TokenAPI {
    struct Credentials: Content {
        var email: String?
        var password: String?
        var name: String?
    }

    struct TokenResponse: Content {
        var id: UUID
        var token: String
        var expiresAt: Date
    }

    static func create(req: Request) async throws -> Response {
        let body = try req.decodeJSONBody(Credentials.self)
        guard let email = body.email, !email.isEmpty else { throw missing("email") }
        guard let password = body.password, !password.isEmpty else { throw missing("password") }
        let name = body.name ?? ""
        guard name.count <= 100 else {
            throw AppError(.unprocessableEntity, code: "too_long", field: "name",
                           ja: "name は100文字以内にしてください。", en: "name must be at most 100 characters.")
        }
        let user = try await SignIn.verify(email: email, password: password, actor: req.auditActor,
                                           db: req.database, logger: req.logger)
        var actor = req.auditActor
        actor.userID = user.id
        actor.role = user.role.rawValue
        let issued = try await req.database.transaction { connection in
            let issued = try await APITokens.issue(userID: user.id, name: name, on: connection, logger: req.logger)
            try await Audit.record(on: connection, councilID: user.councilID, actor: actor, action: "api_token.create",
                                   entity: "api_token", entityID: issued.id.uuidString.lowercased(), logger: req.logger)
            return issued
        }
        let response = Response(status: .created)
        try response.content.encode(TokenResponse(id: issued.id, token: issued.token, expiresAt: issued.expiresAt), as: .json)
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }

    /// A user's own tokens; an admin sees everyone's.
    static func list(req: Request) async throws -> [APITokens.Listed] {
        let user = try req.requireUser()
        return try await APITokens.list(userID: user.role == .admin ? nil : user.id, on: req.database)
    }

    static func revoke(req: Request) async throws -> HTTPStatus {
        let user = try req.requireUser()
        guard let id = req.parameters.get("id", as: UUID.self) else { throw AppError.notFound("token") }
        let actor = req.auditActor
        let revoked = try await req.database.transaction { connection -> Bool in
            guard let owner = try await APITokens.revoke(id: id, ownerID: user.role == .admin ? nil : user.id,
                                                         on: connection, logger: req.logger) else { return false }
            try await Audit.record(on: connection, councilID: user.councilID, actor: actor, action: "api_token.revoke",
                                   entity: "api_token", entityID: id.uuidString.lowercased(),
                                   details: ["owner": owner.uuidString.lowercased()], logger: req.logger)
            return true
        }
        // Another user's token is "not found", not "forbidden": its existence is not yours to know.
        guard revoked else { throw AppError.notFound("token") }
        return .noContent
    }

    static func missing(_ field: String) -> AppError {
        AppError(.unprocessableEntity, code: "missing_field", field: field,
                 ja: "\(field) を指定してください。", en: "\(field) is required.")
    }
}
