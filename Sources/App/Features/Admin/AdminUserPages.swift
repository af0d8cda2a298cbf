import Vapor

/// `/admin/users`: list, create, deactivate, reset a password.
enum AdminUserPages {
    struct Row: Encodable {
        var id: String
        var email: String
        var name: String
        var role: String
        var memberName: String
        var active: Bool
    }

    struct Model: Encodable {
        var layout: Layout
        var users: [Row]
        var pager: Pager
        var roles: [SelectOption]
        var form: CreateForm
        var error: String?
        var notice: String?
    }

    struct CreateForm: Content {
        var email: String?
        var displayName: String?
        var role: String?
        var memberId: String?
        var password: String?

        enum CodingKeys: String, CodingKey {
            case email, role, password
            case displayName = "display_name", memberId = "member_id"
        }
    }

    static func list(req: Request) async throws -> Response {
        try req.requireUser(.admin)
        let notice = (try? req.query.get(String.self, at: "done")).map { req.text("admin_done_" + $0) }
        return try await render(req, form: CreateForm(role: "member"), error: nil, notice: notice, status: .ok)
    }

    static func create(req: Request) async throws -> Response {
        try req.requireUser(.admin)
        let form = try req.content.decode(CreateForm.self)
        do {
            guard let role = form.role.flatMap(UserRole.init(rawValue:)) else {
                throw AppError(.unprocessableEntity, code: "invalid_field", field: "role", ja: "役割を選んでください。",
                               en: "Choose a role.")
            }
            var memberID: UUID?
            if let raw = form.memberId?.trimmingCharacters(in: .whitespaces), !raw.isEmpty {
                guard let id = UUID(uuidString: raw) else {
                    throw AppError(.unprocessableEntity, code: "invalid_field", field: "member_id",
                                   ja: "所属はUUIDで指定してください。", en: "member_id must be a UUID.")
                }
                memberID = id
            }
            _ = try await AdminAPI.createAccount(
                UserAccounts.NewUser(email: form.email ?? "", password: form.password ?? "", role: role, memberID: memberID,
                                     displayName: String((form.displayName ?? "").prefix(200))), req: req)
            return req.redirect(to: "/admin/users?done=created", redirectType: .normal)
        } catch let error as AppError where [.unprocessableEntity, .conflict].contains(error.status) {
            var kept = form
            kept.password = nil
            return try await render(req, form: kept, error: error.message(in: req.language), notice: nil,
                                    status: error.status)
        }
    }

    static func deactivate(req: Request) async throws -> Response {
        try req.requireUser(.admin)
        guard let id = req.parameters.get("id", as: UUID.self) else { throw AppError.notFound("user") }
        try await UserAdmin.deactivate(id, actor: req.auditActor, db: req.database, logger: req.logger)
        return req.redirect(to: "/admin/users?done=deactivated", redirectType: .normal)
    }

    struct PasswordForm: Content { var password: String? }

    static func resetPassword(req: Request) async throws -> Response {
        try req.requireUser(.admin)
        guard let id = req.parameters.get("id", as: UUID.self) else { throw AppError.notFound("user") }
        let form = try req.content.decode(PasswordForm.self)
        do {
            try await UserAdmin.resetPassword(id, to: form.password ?? "", actor: req.auditActor, db: req.database,
                                              logger: req.logger)
        } catch let error as AppError where error.status == .unprocessableEntity {
            return try await render(req, form: CreateForm(role: "member"), error: error.message(in: req.language),
                                    notice: nil, status: .unprocessableEntity)
        }
        return req.redirect(to: "/admin/users?done=password", redirectType: .normal)
    }

    private static func render(_ req: Request, form: CreateForm, error: String?, notice: String?,
                               status: HTTPStatus) async throws -> Response {
        let query = try QueryParameters(req, allowed: ["page", "per_page", "done"])
        let page = try PageRequest(query)
        let users = try await UserAdmin.list(page: page, on: req.database)
        let model = Model(
            layout: req.layout(titleKey: "admin_users_title"),
            users: users.items.map { u in
                Row(id: u.id.uuidString.lowercased(), email: u.email, name: u.displayName,
                    role: req.text("admin_role_" + u.role), memberName: u.memberName ?? "", active: u.active)
            },
            pager: Pager(path: "/admin/users", filters: [], page: page, total: users.total),
            roles: req.options(UserRole.codes, prefix: "admin_role_", selected: form.role),
            form: form, error: error, notice: notice)
        let response = try await req.view.render("admin-users", model).encodeResponse(for: req)
        response.status = status
        return response
    }
}
