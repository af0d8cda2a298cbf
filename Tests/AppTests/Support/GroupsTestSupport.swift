import Foundation
import Vapor
import VaporTesting
@testable import App

/// Requests with a JSON body and JSON answers read loosely, for the working-group tests.
struct JSONReply {
    var status: HTTPStatus
    var body: Data

    var object: [String: Any] { (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:] }
    var items: [[String: Any]] { object["items"] as? [[String: Any]] ?? [] }
    var errorCode: String? { (object["error"] as? [String: Any])?["code"] as? String }
    var errorField: String? { (object["error"] as? [String: Any])?["field"] as? String }
    var errorMessage: String? { (object["error"] as? [String: Any])?["message"] as? String }
    var text: String { String(decoding: body, as: UTF8.self) }
}

extension Application {
    func sendJSON(_ method: HTTPMethod, _ path: String, json: [String: Any]? = nil, headers: HTTPHeaders = [:]) async throws -> JSONReply {
        var reply: JSONReply?
        var allHeaders = headers
        if json != nil { allHeaders.replaceOrAdd(name: .contentType, value: "application/json") }
        try await testing().test(method, path, headers: allHeaders, beforeRequest: { request in
            if let json { request.body = ByteBuffer(data: try JSONSerialization.data(withJSONObject: json)) }
        }, afterResponse: { response async in
            reply = JSONReply(status: response.status, body: Data(buffer: response.body))
        })
        return reply!
    }

    /// Posts an HTML form (as the pages do) and returns status, Location and body.
    func postForm(_ path: String, _ fields: [String: String], headers: HTTPHeaders) async throws -> (HTTPStatus, String?, String) {
        var result: (HTTPStatus, String?, String)?
        try await testing().test(.POST, path, headers: headers, beforeRequest: { request in
            try request.content.encode(fields, as: .urlEncodedForm)
        }, afterResponse: { response async in
            result = (response.status, response.headers.first(name: .location), response.body.string)
        })
        return result!
    }

    /// Sessions for the four demo logins.
    func demoSessions() async throws -> (staff: HTTPHeaders, member: HTTPHeaders, member2: HTTPHeaders, admin: HTTPHeaders) {
        (try await signedIn(as: "staff@demo.tsunagu.example"), try await signedIn(as: "member@demo.tsunagu.example"),
         try await signedIn(as: "member2@demo.tsunagu.example"), try await signedIn(as: "admin@demo.tsunagu.example"))
    }
}

/// A demo row's id as the API writes it (Foundation encodes UUIDs in upper case).
func demoID(_ key: String) -> String { DemoData.id(key).uuidString }

extension Application {
    /// The demo's open calls (t003, t004) have fixed deadlines; tests that need them open move the
    /// deadlines a month past today, so the suite does not expire with the demo calendar.
    func keepDemoCallsOpen() async throws {
        try await database.client.query("""
            UPDATE theme_calls SET deadline = now() + interval '30 days'
            WHERE id IN (\(DemoData.id("t003")), \(DemoData.id("t004")))
            """)
    }
}
