import Vapor

/// `/api/v1/working-groups/{id}/activities`, `/support`, `/support/{support_id}/status`, `/participants`.
enum WorkingGroupPartsAPI {
    struct ActivityBody: Content {
        var kind: String
        var occurredOn: String
        var title: String
        var body: String?
        var links: [String]?
    }

    static func addActivity(req: Request) async throws -> Response {
        let user = try req.requireUser()
        let id = try WorkingGroupsAPI.groupID(req)
        let body = try req.decodeJSONBody(ActivityBody.self)
        guard let kind = ActivityKind(rawValue: body.kind) else {
            throw WorkingGroupError.invalid("kind", ja: "\(ActivityKind.codes.joined(separator: ", ")) のいずれかです。",
                                            en: "one of \(ActivityKind.codes.joined(separator: ", ")).")
        }
        let activity = WorkingGroupEdits.NewActivity(kind: kind, occurredOn: body.occurredOn, title: body.title,
                                                     body: body.body ?? "", links: body.links ?? [])
        try await logActivity(req, user: user, group: id, activity)
        return try await WorkingGroupsAPI.show(req: req).encodeResponse(status: .created, for: req)
    }

    static func logActivity(_ req: Request, user: SignedInUser, group id: UUID,
                            _ activity: WorkingGroupEdits.NewActivity) async throws {
        guard try await WorkingGroupQueries.find(id, on: req.database) != nil else { throw WorkingGroupError.notFound }
        guard try await WorkingGroupAccess.mayLogActivity(user, group: id, on: req.database) else {
            throw WorkingGroupError.notAllowed
        }
        let actor = req.auditActor
        let logger = req.logger
        _ = try await req.database.transaction { connection in
            try await WorkingGroupEdits.addActivity(to: id, activity, actor: actor, on: connection, logger: logger)
        }
    }

    struct SupportBody: Content {
        var item: String
        var ownerDepartment: String
        var note: String?
    }

    static func addSupport(req: Request) async throws -> Response {
        try req.requireUser(.staff, .admin)
        let id = try WorkingGroupsAPI.groupID(req)
        let body = try req.decodeJSONBody(SupportBody.self)
        guard let item = SupportMenuCode(rawValue: body.item) else {
            throw WorkingGroupError.invalid("item", ja: "支援メニューのコードで指定してください。",
                                            en: "one of \(SupportMenuCode.codes.joined(separator: ", ")).")
        }
        let actor = req.auditActor
        let logger = req.logger
        _ = try await req.database.transaction { connection in
            try await WorkingGroupEdits.addSupport(to: id, item: item, department: body.ownerDepartment, note: body.note ?? "",
                                                   actor: actor, on: connection, logger: logger)
        }
        return try await WorkingGroupsAPI.show(req: req).encodeResponse(status: .created, for: req)
    }

    struct SupportStatusBody: Content { var to: String }

    static func advanceSupport(req: Request) async throws -> WorkingGroupDTO {
        try req.requireUser(.staff, .admin)
        let id = try WorkingGroupsAPI.groupID(req)
        guard let supportID = req.parameters.get("support_id", as: UUID.self) else { throw AppError.notFound("support item") }
        let body = try req.decodeJSONBody(SupportStatusBody.self)
        guard let next = SupportStatus(rawValue: body.to) else {
            throw WorkingGroupError.invalid("to", ja: "requested、in_progress、done のいずれかです。",
                                            en: "one of requested, in_progress, done.")
        }
        let actor = req.auditActor
        let logger = req.logger
        try await req.database.transaction { connection in
            try await WorkingGroupEdits.advanceSupport(supportID, of: id, to: next, actor: actor, on: connection, logger: logger)
        }
        return try await WorkingGroupsAPI.show(req: req)
    }

    struct ParticipantBody: Content {
        var role: String
        var memberId: UUID?
        var userId: UUID?
        var displayName: String?
    }

    static func addParticipant(req: Request) async throws -> Response {
        try req.requireUser(.staff, .admin)
        let id = try WorkingGroupsAPI.groupID(req)
        let body = try req.decodeJSONBody(ParticipantBody.self)
        guard let role = ParticipantRole(rawValue: body.role) else {
            throw WorkingGroupError.invalid("role", ja: "lead、member、coordinator、local のいずれかです。",
                                            en: "one of lead, member, coordinator, local.")
        }
        let actor = req.auditActor
        let logger = req.logger
        _ = try await req.database.transaction { connection in
            try await WorkingGroupEdits.addParticipant(to: id, role: role, memberID: body.memberId, userID: body.userId,
                                                       name: body.displayName, actor: actor, on: connection, logger: logger)
        }
        return try await WorkingGroupsAPI.show(req: req).encodeResponse(status: .created, for: req)
    }
}
