import Vapor

/// `GET /api/v1/needs` and `GET /api/v1/needs/{id}`.
enum NeedsAPI {
    static let listParameters: Set<String> = ["page", "per_page", "domain", "ward", "district_id", "status", "q", "council_id"]

    static func list(req: Request) async throws -> Page<NeedDTO> {
        let query = try QueryParameters(req, allowed: listParameters)
        let filter = try await filter(from: query, on: req.database)
        return try await NeedQueries.list(filter, page: try PageRequest(query), on: req.database)
    }

    static func show(req: Request) async throws -> NeedDTO {
        guard let id = req.parameters.get("id", as: UUID.self),
              let need = try await NeedQueries.find(id, on: req.database) else {
            throw AppError.notFound("need")
        }
        return need
    }

    static func filter(from query: QueryParameters, on db: Database) async throws -> NeedFilter {
        NeedFilter(
            councilID: try await ReferenceQueries.councilID(try query.uuid("council_id"), on: db),
            domain: try query.code("domain", in: DomainCode.codes),
            wardCode: try await ReferenceQueries.wardCode(try query.string("ward"), parameter: "ward", on: db),
            districtID: try query.uuid("district_id"),
            status: try query.code("status", in: NeedStatus.codes),
            search: try query.string("q"))
    }
}
