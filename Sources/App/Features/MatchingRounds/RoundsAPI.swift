import Vapor

/// `/api/v1/matching-rounds`: staff run rounds, read them, and decide their pairs.
enum RoundsAPI {
    static func list(req: Request) async throws -> Page<RoundListItem> {
        try req.requireUser(.staff, .admin)
        let query = try QueryParameters(req, allowed: ["page", "per_page", "council_id"])
        let council = try await ReferenceQueries.councilID(try query.uuid("council_id"), on: req.database)
        return try await RoundQueries.list(council: council, page: try PageRequest(query), on: req.database)
    }

    static func create(req: Request) async throws -> Response {
        let user = try req.requireUser(.staff, .admin)
        let body = try req.decodeJSONBody(RoundRequest.self)
        let spec = try await RoundSpec.check(body, on: req.database)
        if try await spec.runsInBackground(on: req.database) {
            let id = try await RoundQueue.enqueue(spec, by: user, actor: req.auditActor, on: req.database)
            let status = try await RoundQueue.status(id, on: req.database)!
            let response = try await status.encodeResponse(status: .accepted, for: req)
            response.headers.replaceOrAdd(name: .location, value: "/api/v1/matching-rounds/\(id.uuidString.lowercased())")
            return response
        }
        let id = try await MatchingRounds.run(spec, by: user, actor: req.auditActor, on: req.database)
        guard let round = try await RoundQueries.find(id, on: req.database) else { throw AppError.notFound("matching round") }
        let response = try await round.encodeResponse(status: .created, for: req)
        response.headers.replaceOrAdd(name: .location, value: "/api/v1/matching-rounds/\(id.uuidString.lowercased())")
        return response
    }

    /// The round, or while it is queued or running, its status and progress.
    static func show(req: Request) async throws -> Response {
        try req.requireUser(.staff, .admin)
        _ = try QueryParameters(req, allowed: [])
        guard let id = req.parameters.get("id", as: UUID.self),
              let status = try await RoundQueue.status(id, on: req.database) else { throw AppError.notFound("matching round") }
        guard status.status == "completed", let round = try await RoundQueries.find(id, on: req.database) else {
            return try await status.encodeResponse(for: req)
        }
        return try await round.encodeResponse(for: req)
    }

    static func pairs(req: Request) async throws -> Page<PairDTO> {
        try req.requireUser(.staff, .admin)
        let query = try QueryParameters(req, allowed: ["page", "per_page", "need_id"])
        guard let id = req.parameters.get("id", as: UUID.self),
              try await RoundQueries.find(id, on: req.database) != nil else { throw AppError.notFound("matching round") }
        return try await RoundQueries.pairs(round: id, need: try query.uuid("need_id"), page: try PageRequest(query, defaultPerPage: 50),
                                            on: req.database)
    }

    struct DecisionRequest: Content {
        var candidateId: UUID
        var needId: UUID
        var decision: String
        var note: String?
        /// For an accepted pair: `introduction` (default) or `working_group`.
        var outcome: String?
    }

    struct DecisionResponse: Content {
        var id: UUID
        var decision: String
        var introductionId: UUID?
        var workingGroupId: UUID?
        var round: RoundDTO
    }

    static func decide(req: Request) async throws -> Response {
        let user = try req.requireUser(.staff, .admin)
        guard let id = req.parameters.get("id", as: UUID.self) else { throw AppError.notFound("matching round") }
        let body = try req.decodeJSONBody(DecisionRequest.self)
        guard let decision = MatchingRounds.Decision(rawValue: body.decision) else {
            throw AppError(.unprocessableEntity, code: "invalid_field", field: "decision",
                           ja: "decision は accepted・held・rejected のいずれかです。", en: "decision must be accepted, held or rejected.")
        }
        guard let outcome = MatchingRounds.Outcome(rawValue: body.outcome ?? "introduction") else {
            throw AppError(.unprocessableEntity, code: "invalid_field", field: "outcome",
                           ja: "outcome は introduction または working_group です。", en: "outcome must be introduction or working_group.")
        }
        let note = body.note ?? ""
        guard note.count <= 4000 else {
            throw AppError(.unprocessableEntity, code: "invalid_field", field: "note", ja: "メモは4000文字以内です。",
                           en: "note must be at most 4000 characters.")
        }
        let result = try await MatchingRounds.decide(round: id, candidate: body.candidateId, need: body.needId,
                                                     decision: decision, outcome: outcome, note: note, by: user,
                                                     actor: req.auditActor,
                                                     on: req.database)
        guard let round = try await RoundQueries.find(id, on: req.database) else { throw AppError.notFound("matching round") }
        return try await DecisionResponse(id: result.decisionID, decision: decision.rawValue,
                                          introductionId: result.introductionID, workingGroupId: result.workingGroupID,
                                          round: round)
            .encodeResponse(status: .created, for: req)
    }
}
