import Vapor

/// `/api/v1/proposals`, `/api/v1/proposals/{id}`, `/api/v1/proposals/{id}/transitions`.
enum ProposalsAPI {
    static let listParameters: Set<String> = ["page", "per_page", "status", "domain", "ward", "track", "q"]

    static func list(req: Request) async throws -> Page<ProposalDTO> {
        let user = try req.requireUser()
        let query = try QueryParameters(req, allowed: listParameters)
        let filter = try await filter(from: query, on: req.database)
        return try await ProposalQueries.list(for: user, filter: filter, page: try PageRequest(query), on: req.database)
    }

    static func filter(from query: QueryParameters, on db: Database) async throws -> ProposalQueries.Filter {
        ProposalQueries.Filter(
            status: try query.code("status", in: ProposalStatus.codes),
            domain: try query.code("domain", in: DomainCode.codes),
            wardCode: try await ReferenceQueries.wardCode(try query.string("ward"), parameter: "ward", on: db),
            track: try query.code("track", in: ProposalTrack.codes),
            search: try query.string("q"))
    }

    /// The full proposal for its member and staff, the public summary of an accepted one for
    /// other members, 404 for everything else.
    static func show(req: Request) async throws -> Response {
        let user = try req.requireUser()
        switch try await visible(req, user) {
        case .full(let proposal):
            return try await proposal.encodeResponse(for: req)
        case .summary(let summary):
            return try await summary.encodeResponse(for: req)
        }
    }

    /// Finds what `user` may see, auditing every staff read of a full proposal.
    static func visible(_ req: Request, _ user: SignedInUser) async throws -> ProposalQueries.Visible {
        guard let id = req.parameters.get("id", as: UUID.self),
              let visible = try await ProposalQueries.find(id, for: user, on: req.database) else {
            throw AppError.notFound("proposal")
        }
        if user.isStaff, case .full(let proposal) = visible {
            let actor = req.auditActor
            try await req.database.transaction { connection in
                try await Audit.record(on: connection, councilID: proposal.councilId, actor: actor, action: "proposal.read",
                                       entity: "proposal", entityID: id.uuidString.lowercased(), logger: req.logger)
            }
        }
        return visible
    }

    static func create(req: Request) async throws -> Response {
        let user = try req.requireUser(.member)
        let input = try decode(req)
        let id = try await ProposalWrites.create(input, by: user, actor: req.auditActor, db: req.database, logger: req.logger)
        guard case .full(let proposal)? = try await ProposalQueries.find(id, for: user, on: req.database) else {
            throw AppError.internalError
        }
        let response = try await proposal.encodeResponse(status: .created, for: req)
        response.headers.replaceOrAdd(name: .location, value: "/api/v1/proposals/\(id.uuidString.lowercased())")
        return response
    }

    static func update(req: Request) async throws -> ProposalDTO {
        let user = try req.requireUser()
        guard let id = req.parameters.get("id", as: UUID.self) else { throw AppError.notFound("proposal") }
        let input = try decode(req)
        try await ProposalWrites.update(id, input, by: user, actor: req.auditActor, db: req.database, logger: req.logger)
        guard case .full(let proposal)? = try await ProposalQueries.find(id, for: user, on: req.database) else {
            throw AppError.notFound("proposal")
        }
        return proposal
    }

    struct TransitionRequest: Content {
        var to: String?
        var comment: String?
    }

    static func transition(req: Request) async throws -> ProposalDTO {
        let user = try req.requireUser()
        guard let id = req.parameters.get("id", as: UUID.self) else { throw AppError.notFound("proposal") }
        let body = try req.decodeJSONBody(TransitionRequest.self)
        guard let raw = body.to else { throw TokenAPI.missing("to") }
        guard let target = ProposalStatus(rawValue: raw), target != .draft else {
            throw AppError(.unprocessableEntity, code: "invalid_field", field: "to",
                           ja: "to には submitted, in_review, returned, accepted, declined, withdrawn のいずれかを指定してください。",
                           en: "to must be one of submitted, in_review, returned, accepted, declined, withdrawn.")
        }
        _ = try await ProposalWrites.transition(id, to: target, comment: body.comment ?? "", by: user,
                                                actor: req.auditActor, db: req.database, logger: req.logger)
        guard case .full(let proposal)? = try await ProposalQueries.find(id, for: user, on: req.database) else {
            throw AppError.notFound("proposal")
        }
        return proposal
    }

    static func decode(_ req: Request) throws -> ProposalInput {
        try req.decodeJSONBody(ProposalInput.self)
    }
}

extension String {
    /// `supportMenu` → `support_menu`, to name fields as the JSON does.
    var snakeCased: String {
        var result = ""
        for character in self {
            if character.isUppercase { result += "_" + character.lowercased() } else { result.append(character) }
        }
        return result
    }
}
