import Vapor

/// `/api/v1/events` (GET signed-in users; POST staff), `/{id}`, `/{id}/registrations` (a member
/// registers its organisation), `/{id}/outcomes` (staff record an exchange meeting's new cases).
enum EventsAPI {
    static func list(req: Request) async throws -> Page<EventDTO> {
        try req.requireUser()
        let query = try QueryParameters(req, allowed: ["page", "per_page", "kind", "from", "until", "council_id"])
        let filter = EventFilter(
            councilID: try await ReferenceQueries.councilID(try query.uuid("council_id"), on: req.database),
            kind: try query.code("kind", in: EventKind.codes),
            from: try day(query, "from"), until: try day(query, "until"))
        return try await EventQueries.list(filter, page: try PageRequest(query), on: req.database)
    }

    static func day(_ query: QueryParameters, _ name: String) throws -> Date? {
        guard let raw = try query.string(name, maxLength: 10) else { return nil }
        guard WorkingGroupValidation.isRealDay(raw), let date = JapanDate.parse(raw) else {
            throw AppError.invalidParameter(name, ja: "YYYY-MM-DD で指定してください", en: "must be a date written YYYY-MM-DD")
        }
        // The day starts at midnight in Japan.
        return date.addingTimeInterval(-12 * 3600)
    }

    static func show(req: Request) async throws -> EventDTO {
        try req.requireUser()
        guard let id = req.parameters.get("id", as: UUID.self), let event = try await EventQueries.find(id, on: req.database) else {
            throw EventError.notFound
        }
        return event
    }

    struct CreateBody: Content {
        var kind: String
        var title: String
        var description: String?
        var startsAt: Date
        var endsAt: Date?
        var place: String?
        var workingGroupId: UUID?
        var capacity: Int?
        var councilId: UUID?
    }

    static func create(req: Request) async throws -> Response {
        try req.requireUser(.staff, .admin)
        let body = try req.decodeJSONBody(CreateBody.self)
        guard let kind = EventKind(rawValue: body.kind) else {
            throw EventError.invalid("kind", ja: "\(EventKind.codes.joined(separator: ", ")) のいずれかです。",
                                     en: "one of \(EventKind.codes.joined(separator: ", ")).")
        }
        let event = Events.NewEvent(
            councilID: try await ReferenceQueries.councilID(body.councilId, on: req.database), kind: kind, title: body.title,
            description: body.description ?? "", startsAt: body.startsAt, endsAt: body.endsAt, place: body.place ?? "",
            workingGroupID: body.workingGroupId, capacity: body.capacity)
        let actor = req.auditActor
        let logger = req.logger
        let id = try await req.database.transaction { connection in
            try await Events.create(event, actor: actor, on: connection, logger: logger)
        }
        req.parameters.set("id", to: id.uuidString)
        return try await show(req: req).encodeResponse(status: .created, for: req)
    }

    static func register(req: Request) async throws -> Response {
        let user = try req.requireUser()
        guard let member = user.memberID else { throw EventError.membersOnly }
        guard let id = req.parameters.get("id", as: UUID.self) else { throw EventError.notFound }
        let actor = req.auditActor
        let logger = req.logger
        try await req.database.transaction { connection in
            try await Events.register(event: id, member: member, actor: actor, on: connection, logger: logger)
        }
        return try await show(req: req).encodeResponse(status: .created, for: req)
    }

    struct OutcomeBody: Content {
        var note: String?
        var proposalId: UUID?
        var workingGroupId: UUID?
    }

    static func recordOutcome(req: Request) async throws -> Response {
        try req.requireUser(.staff, .admin)
        guard let id = req.parameters.get("id", as: UUID.self) else { throw EventError.notFound }
        let body = try req.decodeJSONBody(OutcomeBody.self)
        let actor = req.auditActor
        let logger = req.logger
        _ = try await req.database.transaction { connection in
            try await Events.recordOutcome(event: id, note: body.note ?? "", proposalID: body.proposalId,
                                           workingGroupID: body.workingGroupId, actor: actor, on: connection, logger: logger)
        }
        return try await show(req: req).encodeResponse(status: .created, for: req)
    }
}
