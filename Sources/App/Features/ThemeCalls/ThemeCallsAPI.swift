import Vapor

/// `/api/v1/theme-calls` (GET any signed-in user, POST staff) and `/{id}/applications`
/// (GET: staff all, a member its own; POST: a member applies).
enum ThemeCallsAPI {
    static let listParameters: Set<String> = ["page", "per_page", "status", "domain", "ward", "council_id"]

    static func list(req: Request) async throws -> Page<ThemeCallDTO> {
        let user = try req.requireUser()
        let query = try QueryParameters(req, allowed: listParameters)
        let filter = ThemeCallFilter(
            councilID: try await ReferenceQueries.councilID(try query.uuid("council_id"), on: req.database),
            status: try query.code("status", in: ThemeCallStatus.allCases.map(\.rawValue)),
            domain: try query.code("domain", in: DomainCode.codes),
            wardCode: try await ReferenceQueries.wardCode(try query.string("ward"), parameter: "ward", on: req.database),
            memberID: user.memberID)
        return try await ThemeCallQueries.list(filter, page: try PageRequest(query), on: req.database)
    }

    static func show(req: Request) async throws -> ThemeCallDTO {
        let user = try req.requireUser()
        guard let id = req.parameters.get("id", as: UUID.self),
              let call = try await ThemeCallQueries.find(id, memberID: user.memberID, on: req.database) else {
            throw ThemeCallError.notFound
        }
        return call
    }

    struct CreateBody: Content {
        var title: String
        var genre: String
        var description: String?
        var needIds: [UUID]
        var wards: [String]?
        var domains: [String]?
        var deadline: Date
        var councilId: UUID?
    }

    static func create(req: Request) async throws -> Response {
        try req.requireUser(.staff, .admin)
        let body = try req.decodeJSONBody(CreateBody.self)
        let call = ThemeCalls.NewCall(
            councilID: try await ReferenceQueries.councilID(body.councilId, on: req.database), title: body.title,
            genre: body.genre, description: body.description ?? "", needIDs: body.needIds,
            wardCodes: try await WorkingGroupsAPI.wardCodes(body.wards, on: req.database), domains: body.domains,
            deadline: body.deadline)
        let actor = req.auditActor
        let logger = req.logger
        let id = try await req.database.transaction { connection in
            try await ThemeCalls.publish(call, actor: actor, on: connection, logger: logger)
        }
        req.parameters.set("id", to: id.uuidString)
        return try await show(req: req).encodeResponse(status: .created, for: req)
    }

    static func applications(req: Request) async throws -> Page<ApplicationDTO> {
        let user = try req.requireUser()
        let query = try QueryParameters(req, allowed: ["page", "per_page"])
        let call = try await show(req: req)
        return try await ThemeCallQueries.applications(of: call.id, memberID: user.isStaff ? nil : user.memberID,
                                                       page: try PageRequest(query), on: req.database)
    }

    struct ApplyBody: Content { var statement: String }

    static func apply(req: Request) async throws -> Response {
        let user = try req.requireUser()
        guard let memberID = user.memberID else { throw ThemeCallError.membersOnly }
        guard let callID = req.parameters.get("id", as: UUID.self) else { throw ThemeCallError.notFound }
        let body = try req.decodeJSONBody(ApplyBody.self)
        let actor = req.auditActor
        let logger = req.logger
        let id = try await req.database.transaction { connection in
            try await ThemeCalls.apply(to: callID, memberID: memberID, statement: body.statement, actor: actor,
                                       on: connection, logger: logger)
        }
        let page = try await ThemeCallQueries.applications(of: callID, memberID: memberID, page: PageRequest(perPage: 200),
                                                           on: req.database)
        guard let created = page.items.first(where: { $0.id == id }) else { throw AppError.internalError }
        return try await created.encodeResponse(status: .created, for: req)
    }
}
