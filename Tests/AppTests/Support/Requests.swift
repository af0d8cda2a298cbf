import Foundation
import Vapor
import VaporTesting
import PostgresNIO
@testable import App

/// A response as tests look at it.
struct Answer {
    var status: HTTPStatus
    var headers: HTTPHeaders
    var body: String

    func json<T: Decodable>(_ type: T.Type = T.self) throws -> T {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(T.self, from: Data(body.utf8))
    }

    var errorCode: String? { (try? json(ErrorBody.self))?.error.code }
    var errorField: String? { (try? json(ErrorBody.self))?.error.field }
    var errorMessage: String? { (try? json(ErrorBody.self))?.error.message }
}

extension Application {
    /// Any request; `json` is sent as a JSON body, `form` as a URL-encoded form.
    func send(_ method: HTTPMethod, _ path: String, headers: HTTPHeaders = [:], json: (any Encodable)? = nil,
              form: [String: String]? = nil) async throws -> Answer {
        var answer: Answer?
        try await testing().test(method, path, headers: headers, beforeRequest: { request in
            if let json {
                let encoder = JSONEncoder()
                request.headers.contentType = .json
                request.body = ByteBuffer(data: try encoder.encode(json))
            }
            if let form { try request.content.encode(form, as: .urlEncodedForm) }
        }, afterResponse: { response async in
            answer = Answer(status: response.status, headers: response.headers, body: response.body.string)
        })
        return answer!
    }

    /// A browser form post with the anonymous double-submit cookie, the way the login page sends it.
    func postAnonymousForm(_ path: String, _ form: [String: String]) async throws -> Answer {
        let token = "a" + String(repeating: "b", count: 42)
        var fields = form
        fields["csrf_token"] = token
        return try await send(.POST, path, headers: ["Cookie": "\(CSRFMiddleware.cookieName)=\(token)"], form: fields)
    }

    func userID(_ email: String) async throws -> UUID {
        try await database.client.query("SELECT id FROM users WHERE lower(email) = lower(\(email))")
            .collect().first!.decode(UUID.self)
    }
}

/// The demo logins.
enum Demo {
    static let password = "tsunagu-demo-2026"
    static let admin = "admin@demo.tsunagu.example"
    static let staff = "staff@demo.tsunagu.example"
    static let member = "member@demo.tsunagu.example"
    static let member2 = "member2@demo.tsunagu.example"
}

extension Application {
    /// A statement on the app's database whose rows do not matter (test set-up).
    func execute(_ query: PostgresQuery) async throws {
        _ = try await database.client.query(query).collect()
    }
}
