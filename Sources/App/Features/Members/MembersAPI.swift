import Vapor

/// `GET /api/v1/members` and `GET /api/v1/members/{id}`.
enum MembersAPI {
    static let listParameters: Set<String> = ["page", "per_page", "domain", "ward", "kind", "q", "council_id"]

    static func list(req: Request) async throws -> Page<MemberDTO> {
        let query = try QueryParameters(req, allowed: listParameters)
        let filter = try await filter(from: query, on: req.database)
        return try await MemberQueries.list(filter, page: try PageRequest(query), on: req.database)
    }

    static func show(req: Request) async throws -> MemberDTO {
        guard let id = req.parameters.get("id", as: UUID.self),
              let member = try await MemberQueries.find(id, on: req.database) else {
            throw AppError.notFound("member")
        }
        return member
    }

    /// Shared by the API and the member list page.
    static func filter(from query: QueryParameters, on db: Database) async throws -> MemberFilter {
        MemberFilter(
            councilID: try await ReferenceQueries.councilID(try query.uuid("council_id"), on: db),
            domain: try query.code("domain", in: DomainCode.codes),
            wardCode: try await ReferenceQueries.wardCode(try query.string("ward"), parameter: "ward", on: db),
            kind: try query.code("kind", in: MemberKind.codes),
            search: try query.string("q"))
    }
}
