import Vapor

/// `GET /api/v1/coverage`: the coverage report as JSON (the same numbers as the heat map).
enum CoverageAPI {
    static func show(req: Request) async throws -> CoverageReport {
        try req.requireUser()
        let query = try QueryParameters(req, allowed: ["council_id"])
        let council = try await ReferenceQueries.councilID(try query.uuid("council_id"), on: req.database)
        return try await Coverage.report(councilID: council, on: req.database)
    }
}
