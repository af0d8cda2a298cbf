import Vapor

/// `GET /login`, `POST /login`, `POST /logout`.
enum LoginPages {
    struct Model: Encodable {
        var layout: Layout
        var email: String
        var next: String
        var error: String?
    }

    struct Form: Content {
        var email: String?
        var password: String?
        var next: String?
    }

    static func show(req: Request) async throws -> Response {
        if req.signedInUser != nil { return req.redirect(to: "/portal") }
        let next = safePath(try? req.query.get(String.self, at: "next"))
        return try await render(req, email: "", next: next, error: nil, status: .ok)
    }

    static func signIn(req: Request) async throws -> Response {
        let form = try req.content.decode(Form.self)
        let email = form.email ?? ""
        let next = safePath(form.next)
        let user: SignedInUser
        do {
            user = try await SignIn.verify(email: email, password: form.password ?? "", actor: req.auditActor,
                                           db: req.database, logger: req.logger)
        } catch let error as AppError {
            // The form comes back with the address kept and the password cleared.
            return try await render(req, email: String(email.prefix(320)), next: next,
                                    error: error.message(in: req.language), status: error.status, retryAfter: error.retryAfter)
        }
        // A new session id at every sign-in: whatever session the browser had is ended, never reused.
        let session = try await req.database.transaction { connection in
            if let old = req.sessionToken { try await SignInSessions.end(token: old, on: connection, logger: req.logger) }
            return try await SignInSessions.create(userID: user.id, address: req.remoteAddress?.ipAddress,
                                                   userAgent: req.headers.first(name: .userAgent),
                                                   on: connection, logger: req.logger)
        }
        let destination = next != "/" ? next : (user.isStaff ? (user.role == .admin ? "/admin/users" : "/review") : "/portal")
        let response = req.redirect(to: destination, redirectType: .normal)
        SessionCookie.set(session.token, on: response, request: req)
        return response
    }

    /// Ends every session of the user, on every device.
    static func signOut(req: Request) async throws -> Response {
        let user = try req.requireUser()
        var actor = req.auditActor
        actor.userID = user.id
        try await req.database.transaction { connection in
            try await SignInSessions.endAll(userID: user.id, on: connection, logger: req.logger)
            try await Audit.record(on: connection, councilID: user.councilID, actor: actor, action: "auth.logout",
                                   entity: "user", entityID: user.id.uuidString.lowercased(), logger: req.logger)
        }
        let response = req.redirect(to: "/login", redirectType: .normal)
        SessionCookie.clear(on: response, request: req)
        return response
    }

    private static func render(_ req: Request, email: String, next: String, error: String?, status: HTTPStatus,
                               retryAfter: Int? = nil) async throws -> Response {
        let model = Model(layout: req.layout(titleKey: "auth_login_title"), email: email, next: next, error: error)
        let response = try await req.view.render("auth-login", model).encodeResponse(for: req)
        response.status = status
        if let retryAfter { response.headers.replaceOrAdd(name: .retryAfter, value: String(retryAfter)) }
        return response
    }

    /// Only a local path: never an open redirect.
    static func safePath(_ raw: String?) -> String {
        guard let raw, raw.hasPrefix("/"), !raw.hasPrefix("//"), !raw.contains("\\"), raw.count <= 500 else { return "/" }
        return raw
    }
}
