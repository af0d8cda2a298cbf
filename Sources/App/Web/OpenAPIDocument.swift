import Vapor

/// `/openapi.json`: the OpenAPI 3.1 description of every `/api/v1` route, kept in
/// `Resources/openapi.json`; a test fails when a registered route is missing from it.
enum OpenAPIDocument {
    static func serve(req: Request) async throws -> Response {
        let path = req.application.directory.resourcesDirectory + "openapi.json"
        guard let data = FileManager.default.contents(atPath: path) else { throw AppError.notFound("page") }
        var headers = HTTPHeaders()
        headers.contentType = .json
        return Response(status: .ok, headers: headers, body: .init(data: data))
    }
}
