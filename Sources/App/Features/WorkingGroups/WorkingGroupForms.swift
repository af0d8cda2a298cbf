import Vapor

/// The working-group page's forms: each does what its API twin does, then returns to the page.
enum WorkingGroupForms {
    struct StageForm: Content {
        var to: String
        var note: String?
    }

    static func changeStage(req: Request) async throws -> Response {
        let user = try req.requireUser()
        let id = try WorkingGroupsAPI.groupID(req)
        let form = try req.content.decode(StageForm.self)
        try await WorkingGroupsAPI.moveStage(req, user: user, group: id, to: form.to, note: form.note ?? "")
        return req.redirect(to: "/working-groups/\(id.uuidString.lowercased())", redirectType: .normal)
    }

    struct ActivityForm: Content {
        var kind: String
        var occurred_on: String
        var title: String
        var body: String?
        var links: String?
    }

    static func addActivity(req: Request) async throws -> Response {
        let user = try req.requireUser()
        let id = try WorkingGroupsAPI.groupID(req)
        let form = try req.content.decode(ActivityForm.self)
        guard let kind = ActivityKind(rawValue: form.kind) else {
            throw WorkingGroupError.invalid("kind", ja: "種類を選んでください。", en: "choose a kind.")
        }
        let links = (form.links ?? "").split(whereSeparator: \.isNewline).map(String.init)
        try await WorkingGroupPartsAPI.logActivity(req, user: user, group: id, WorkingGroupEdits.NewActivity(
            kind: kind, occurredOn: form.occurred_on, title: form.title, body: form.body ?? "", links: links))
        return req.redirect(to: "/working-groups/\(id.uuidString.lowercased())#activities", redirectType: .normal)
    }

    struct SupportForm: Content {
        var item: String
        var owner_department: String
        var note: String?
    }

    static func addSupport(req: Request) async throws -> Response {
        try req.requireUser(.staff, .admin)
        let id = try WorkingGroupsAPI.groupID(req)
        let form = try req.content.decode(SupportForm.self)
        guard let item = SupportMenuCode(rawValue: form.item) else {
            throw WorkingGroupError.invalid("item", ja: "支援メニューを選んでください。", en: "choose a support item.")
        }
        let actor = req.auditActor
        let logger = req.logger
        _ = try await req.database.transaction { connection in
            try await WorkingGroupEdits.addSupport(to: id, item: item, department: form.owner_department, note: form.note ?? "",
                                                   actor: actor, on: connection, logger: logger)
        }
        return req.redirect(to: "/working-groups/\(id.uuidString.lowercased())#support", redirectType: .normal)
    }

    struct SupportStatusForm: Content { var to: String }

    static func advanceSupport(req: Request) async throws -> Response {
        try req.requireUser(.staff, .admin)
        let id = try WorkingGroupsAPI.groupID(req)
        guard let supportID = req.parameters.get("support_id", as: UUID.self) else { throw AppError.notFound("support item") }
        let form = try req.content.decode(SupportStatusForm.self)
        guard let next = SupportStatus(rawValue: form.to) else {
            throw WorkingGroupError.invalid("to", ja: "状況を選んでください。", en: "choose a status.")
        }
        let actor = req.auditActor
        let logger = req.logger
        try await req.database.transaction { connection in
            try await WorkingGroupEdits.advanceSupport(supportID, of: id, to: next, actor: actor, on: connection, logger: logger)
        }
        return req.redirect(to: "/working-groups/\(id.uuidString.lowercased())#support", redirectType: .normal)
    }
}
