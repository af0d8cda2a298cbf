import Vapor

/// `/api/v1/working-groups`: list and form; `/{id}`: read and edit; `/{id}/stage`: move it on;
/// plus the group's activities, support and participants.
enum WorkingGroupsAPI {
    static let listParameters: Set<String> = ["page", "per_page", "type", "stage", "domain", "ward", "council_id"]

    static func list(req: Request) async throws -> Page<WorkingGroupDTO> {
        try req.requireUser()
        let query = try QueryParameters(req, allowed: listParameters)
        let filter = try await filter(from: query, on: req.database)
        return try await WorkingGroupQueries.list(filter, page: try PageRequest(query), on: req.database)
    }

    static func filter(from query: QueryParameters, on db: Database) async throws -> WorkingGroupFilter {
        WorkingGroupFilter(
            councilID: try await ReferenceQueries.councilID(try query.uuid("council_id"), on: db),
            type: try query.code("type", in: WorkingGroupType.codes),
            stage: try query.code("stage", in: WorkingGroupStage.codes),
            domain: try query.code("domain", in: DomainCode.codes),
            wardCode: try await ReferenceQueries.wardCode(try query.string("ward"), parameter: "ward", on: db))
    }

    static func show(req: Request) async throws -> WorkingGroupDTO {
        let user = try req.requireUser()
        let id = try groupID(req)
        let confidential = try await WorkingGroupAccess.mayReadConfidential(user, group: id, on: req.database)
        guard let group = try await WorkingGroupQueries.detail(id, showConfidential: confidential, on: req.database) else {
            throw WorkingGroupError.notFound
        }
        return group
    }

    struct CreateBody: Content {
        /// `proposal`, `theme_call` or `matching_pair`.
        var origin: String
        var proposalId: UUID?
        var themeCallId: UUID?
        var memberIds: [UUID]?
        var leadMemberId: UUID?
        var decisionId: UUID?
        var title: String?
        var summary: String?
        var domains: [String]?
        var wards: [String]?
        var districtIds: [UUID]?
        var startedOn: String?
        var localParticipants: [String]?
        var note: String?
    }

    static func create(req: Request) async throws -> Response {
        try req.requireUser(.staff, .admin)
        let body = try req.decodeJSONBody(CreateBody.self)
        let origin: WorkingGroupDraft.Origin
        switch body.origin {
        case "proposal":
            origin = .proposal(try required(body.proposalId, "proposal_id"))
        case "theme_call":
            origin = .themeCall(try required(body.themeCallId, "theme_call_id"), selectedMemberIDs: body.memberIds ?? [])
        case "matching_pair":
            origin = .matchingDecision(try required(body.decisionId, "decision_id"))
        default:
            throw WorkingGroupError.invalid("origin", ja: "proposal、theme_call、matching_pair のいずれかです。",
                                            en: "one of proposal, theme_call, matching_pair.")
        }
        let draft = WorkingGroupDraft(
            origin: origin, title: body.title, summary: body.summary, domains: body.domains,
            wardCodes: try await wardCodes(body.wards, on: req.database), districtIDs: body.districtIds,
            leadMemberID: body.leadMemberId, startedOn: body.startedOn, localParticipants: body.localParticipants ?? [],
            note: body.note ?? "")
        let actor = req.auditActor
        let logger = req.logger
        let id = try await req.database.transaction { connection in
            try await WorkingGroups.create(draft, actor: actor, on: connection, logger: logger)
        }
        req.parameters.set("id", to: id.uuidString)
        return try await show(req: req).encodeResponse(status: .created, for: req)
    }

    struct PatchBody: Content {
        var title: String?
        var summary: String?
        var domains: [String]?
        var wards: [String]?
        var outcomeNotes: String?
        var startedOn: String?
    }

    static func update(req: Request) async throws -> WorkingGroupDTO {
        try req.requireUser(.staff, .admin)
        let id = try groupID(req)
        let body = try req.decodeJSONBody(PatchBody.self)
        let cityWide = body.wards == ["*"]
        let patch = WorkingGroupEdits.Patch(
            title: body.title, summary: body.summary, domains: body.domains,
            wardCodes: cityWide ? [] : try await wardCodes(body.wards, on: req.database),
            cityWide: body.wards == nil ? nil : cityWide, outcomeNotes: body.outcomeNotes, startedOn: body.startedOn)
        let actor = req.auditActor
        let logger = req.logger
        try await req.database.transaction { connection in
            try await WorkingGroupEdits.update(id, patch, actor: actor, on: connection, logger: logger)
        }
        return try await show(req: req)
    }

    struct StageBody: Content {
        var to: String
        var note: String?
    }

    static func changeStage(req: Request) async throws -> WorkingGroupDTO {
        let user = try req.requireUser()
        let id = try groupID(req)
        let body = try req.decodeJSONBody(StageBody.self)
        try await moveStage(req, user: user, group: id, to: body.to, note: body.note ?? "")
        return try await show(req: req)
    }

    /// Shared by the API and the page's form.
    static func moveStage(_ req: Request, user: SignedInUser, group id: UUID, to: String, note: String) async throws {
        guard let next = WorkingGroupStage(rawValue: to) else {
            throw WorkingGroupError.invalid("to", ja: "段階は \(WorkingGroupStage.codes.joined(separator: ", ")) のいずれかです。",
                                            en: "one of \(WorkingGroupStage.codes.joined(separator: ", ")).")
        }
        guard try await WorkingGroupQueries.find(id, on: req.database) != nil else { throw WorkingGroupError.notFound }
        guard try await WorkingGroupAccess.mayChangeStage(user, group: id, on: req.database) else {
            throw WorkingGroupError.notAllowed
        }
        let actor = req.auditActor
        let logger = req.logger
        try await req.database.transaction { connection in
            try await WorkingGroups.changeStage(id, to: next, note: note, actor: actor, on: connection, logger: logger)
        }
    }

    static func groupID(_ req: Request) throws -> UUID {
        guard let id = req.parameters.get("id", as: UUID.self) else { throw WorkingGroupError.notFound }
        return id
    }

    static func required<T>(_ value: T?, _ field: String) throws -> T {
        guard let value else {
            throw WorkingGroupError.invalid(field, ja: "必須です。", en: "required.")
        }
        return value
    }

    /// Ward names (or codes) to codes; nil stays nil ("take it from the origin").
    static func wardCodes(_ names: [String]?, on db: Database) async throws -> [String]? {
        guard let names else { return nil }
        var codes: [String] = []
        for name in names where name != "*" {
            // Only "no such ward" is the client's mistake; a database failure stays a 503.
            let code: String?
            do { code = try await ReferenceQueries.wardCode(name, parameter: "wards", on: db) } catch is AppError { code = nil }
            guard let code else {
                throw WorkingGroupError.invalid("wards", ja: "区の名前（例: 麻生区）で指定してください。", en: "ward names such as 麻生区.")
            }
            codes.append(code)
        }
        return codes
    }
}
