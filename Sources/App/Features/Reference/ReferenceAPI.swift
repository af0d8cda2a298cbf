import Vapor

/// `/api/v1/councils`, `/wards`, `/districts`, `/domains`, `/support-menu`.
enum ReferenceAPI {
    static func councils(req: Request) async throws -> Page<CouncilDTO> {
        let query = try QueryParameters(req, allowed: ["page", "per_page"])
        return try await ReferenceQueries.councils(on: req.database, page: try PageRequest(query))
    }

    static func wards(req: Request) async throws -> Page<WardDTO> {
        let query = try QueryParameters(req, allowed: ["page", "per_page"])
        return paged(try await ReferenceQueries.wards(on: req.database), try PageRequest(query))
    }

    static func districts(req: Request) async throws -> Page<DistrictDTO> {
        let query = try QueryParameters(req, allowed: ["page", "per_page", "ward"])
        let ward = try await ReferenceQueries.wardCode(try query.string("ward"), parameter: "ward", on: req.database)
        return try await ReferenceQueries.districts(wardCode: ward, page: try PageRequest(query), on: req.database)
    }

    static func domains(req: Request) async throws -> Page<LabelledCodeDTO> {
        let query = try QueryParameters(req, allowed: ["page", "per_page"])
        return paged(try await ReferenceQueries.domains(on: req.database), try PageRequest(query))
    }

    static func supportMenu(req: Request) async throws -> Page<LabelledCodeDTO> {
        let query = try QueryParameters(req, allowed: ["page", "per_page"])
        return paged(try await ReferenceQueries.supportMenu(on: req.database), try PageRequest(query))
    }

    /// Small fixed lists are read whole and cut here, so they share the list shape of the API.
    private static func paged<Item: Content>(_ all: [Item], _ page: PageRequest) -> Page<Item> {
        let slice = all.dropFirst(page.offset).prefix(page.perPage)
        return Page(items: Array(slice), total: all.count, request: page)
    }
}
