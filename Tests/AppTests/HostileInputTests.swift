import Foundation
import Testing
import Vapor
import VaporTesting
@testable import App

/// Regressions for what API fuzzing (scripts/fuzz.sh, schemathesis) found: hostile bodies and
/// parameters get a documented 4xx with the JSON error shape, never a 500, and nothing changes.
@Suite("Hostile API input (fuzzing regressions)")
struct HostileInputTests {
    /// A request with a raw body and an optional content type, answered as JSONReply.
    func raw(_ app: Application, _ method: HTTPMethod, _ path: String, body: Data?, contentType: String?,
             headers: HTTPHeaders = [:]) async throws -> JSONReply {
        var reply: JSONReply?
        var all = headers
        if let contentType { all.replaceOrAdd(name: .contentType, value: contentType) }
        try await app.testing().test(method, path, headers: all, beforeRequest: { request in
            if let body { request.body = ByteBuffer(data: body) }
        }, afterResponse: { response async in
            reply = JSONReply(status: response.status, body: Data(buffer: response.body))
        })
        return reply!
    }

    /// Found: a POST without any body was a 415 the document did not list; with a body of another type
    /// it is still 415 (now documented), and the message says what to send.
    @Test func aMissingBodyIs400AndAnotherMediaTypeIs415() async throws {
        try await withTestApp { app in
            let admin = try await app.signedIn(as: Demo.admin)
            let audits = try await app.count("SELECT count(*)::int FROM audit_records")
            for path in ["/api/v1/auth/token", "/api/v1/working-groups", "/api/v1/events"] {
                let empty = try await raw(app, .POST, path, body: nil, contentType: nil, headers: admin)
                #expect(empty.status == .badRequest, "\(path)")
                #expect(empty.errorCode == "invalid_body", "\(path)")
                let text = try await raw(app, .POST, path, body: Data("email=a".utf8), contentType: "text/plain", headers: admin)
                #expect(text.status == .unsupportedMediaType, "\(path)")
                #expect(text.errorCode == "unsupported_media_type", "\(path)")
                #expect(text.errorMessage?.contains("application/json") == true, "\(path)")
            }
            #expect(try await app.count("SELECT count(*)::int FROM audit_records") == audits)
        }
    }

    /// Found: Vapor's decoding message leaked `CodingKeys(stringValue: "origin", …)`; now the
    /// answer names the field in the JSON spelling and nothing else.
    @Test func aMissingOrWronglyTypedFieldIsNamedWithoutSwiftInternals() async throws {
        try await withTestApp { app in
            let staff = try await app.signedIn(as: Demo.staff)
            let missing = try await app.sendJSON(.POST, "/api/v1/working-groups", json: [:], headers: staff)
            #expect(missing.status == .badRequest)
            #expect(missing.errorCode == "invalid_body")
            #expect(missing.errorField == "origin")
            let wrongType = try await app.sendJSON(.POST, "/api/v1/working-groups",
                                                   json: ["origin": "decision", "lead_member_id": 12], headers: staff)
            #expect(wrongType.status == .badRequest)
            #expect(wrongType.errorField == "lead_member_id")
            let status = try await app.sendJSON(
                .POST, "/api/v1/working-groups/\(demoID("w001"))/support/\(UUID().uuidString)/status", json: [:], headers: staff)
            #expect(status.status == .badRequest)
            #expect(status.errorField == "to")
            for reply in [missing, wrongType, status] {
                #expect(!reply.text.contains("CodingKeys") && !reply.text.contains("codingPath"), "\(reply.text)")
            }
            // Not JSON at all, and JSON that is not UTF-8.
            let garbage = try await raw(app, .POST, "/api/v1/working-groups", body: Data("{\"origin\":".utf8),
                                        contentType: "application/json", headers: staff)
            #expect(garbage.status == .badRequest)
            let latin1 = try await raw(app, .POST, "/api/v1/working-groups", body: Data([0x7B, 0x22, 0xE9, 0x22, 0x3A, 0x31, 0x7D]),
                                       contentType: "application/json", headers: staff)
            #expect(latin1.status == .badRequest)
            let array = try await raw(app, .POST, "/api/v1/working-groups", body: Data("[1,2]".utf8),
                                      contentType: "application/json", headers: staff)
            #expect(array.status == .badRequest)
        }
    }

    /// PostgreSQL cannot store U+0000 in text: a NUL in a body string or a query value is a 400 that
    /// names the field (it was a 500 on the sign-in's advisory lock), and nothing is written.
    @Test func theNULCharacterIsA400NamingTheField() async throws {
        try await withTestApp { app in
            let attempts = try await app.count("SELECT count(*)::int FROM login_attempts")
            let token = try await app.sendJSON(.POST, "/api/v1/auth/token",
                                               json: ["email": "admin\u{0}@demo.tsunagu.example", "password": "x"])
            #expect(token.status == .badRequest)
            #expect(token.errorField == "email")
            #expect(try await app.count("SELECT count(*)::int FROM login_attempts") == attempts)

            let member = try await app.signedIn(as: Demo.member)
            let proposals = try await app.count("SELECT count(*)::int FROM proposals")
            let nested = try await app.sendJSON(.POST, "/api/v1/proposals",
                                                json: ["title": "ok", "tags": ["fine", "bad\u{0}tag"]], headers: member)
            #expect(nested.status == .badRequest)
            #expect(nested.errorField == "tags")
            #expect(try await app.count("SELECT count(*)::int FROM proposals") == proposals)

            let query = try await app.sendJSON(.GET, "/api/v1/proposals?ward=%00", headers: member)
            #expect(query.status == .badRequest)
            #expect(query.errorCode == "invalid_parameter")
            #expect(query.errorField == "ward")
        }
    }

    /// Found: an unknown `user_id` for a working group's participant reached the foreign key (500);
    /// now it is a 422 naming the field, and the group is unchanged.
    @Test func anUnknownParticipantUserIsA422() async throws {
        try await withTestApp { app in
            let staff = try await app.signedIn(as: Demo.staff)
            let participants = try await app.count("SELECT count(*)::int FROM working_group_participants")
            let reply = try await app.sendJSON(.POST, "/api/v1/working-groups/\(demoID("w001"))/participants",
                                               json: ["role": "member", "user_id": UUID().uuidString], headers: staff)
            #expect(reply.status == .unprocessableEntity)
            #expect(reply.errorField == "user_id")
            #expect(try await app.count("SELECT count(*)::int FROM working_group_participants") == participants)
        }
    }

    /// Found by the long run: a capacity beyond 32 bits trapped in `Int32(_:)` and took the whole
    /// server down. Now it is a 422 naming the field, and no event is written.
    @Test func aHugeEventCapacityIsA422NotACrash() async throws {
        try await withTestApp { app in
            let staff = try await app.signedIn(as: Demo.staff)
            let events = try await app.count("SELECT count(*)::int FROM events")
            for capacity in [Int64(1) << 40, Int64(Events.maximumCapacity) + 1, 0] {
                let reply = try await app.sendJSON(.POST, "/api/v1/events", json: [
                    "kind": "study_session", "title": "勉強会", "starts_at": "2027-01-15T10:00:00Z", "capacity": capacity,
                ], headers: staff)
                #expect(reply.status == .unprocessableEntity, "\(capacity)")
                #expect(reply.errorField == "capacity", "\(capacity)")
            }
            #expect(try await app.count("SELECT count(*)::int FROM events") == events)
            let fits = try await app.sendJSON(.POST, "/api/v1/events", json: [
                "kind": "study_session", "title": "勉強会", "starts_at": "2027-01-15T10:00:00Z", "capacity": Events.maximumCapacity,
            ], headers: staff)
            #expect(fits.status == .created)
        }
    }

    /// The last line of defence: a data exception PostgreSQL raises for unchecked input is a 400 with
    /// the JSON error shape and no database detail, not a 500 (a real query on the real database).
    @Test func aDatabaseDataExceptionIsA400WithoutDetails() async throws {
        try await withTestApp(.reference) { app in
            app.get("api", "v1", "test-data-exception") { req async throws -> String in
                _ = try await req.database.client.query("SELECT \(Int64.max)::int").collect()
                return "unreachable"
            }
            let reply = try await app.sendJSON(.GET, "/api/v1/test-data-exception")
            #expect(reply.status == .badRequest)
            #expect(reply.errorCode == "invalid_value")
            #expect(!reply.text.contains("SQL") && !reply.text.contains("integer out of range") && !reply.text.contains("PSQL"))
        }
    }

    /// Found: a JSON string instead of an object on `PUT /api/v1/notifications/preferences` was a 400
    /// with Vapor's decoder message (`Dictionary<String, Any>`), a shape the document did not list.
    @Test func aPreferencesBodyOfTheWrongShapeIsTheDocumented400() async throws {
        try await withTestApp { app in
            let member = try await app.signedIn(as: Demo.member)
            let before = try await app.count("SELECT count(*)::int FROM audit_records")
            let string = try await raw(app, .PUT, "/api/v1/notifications/preferences", body: Data(#""\u0019}8""#.utf8),
                                       contentType: "application/json", headers: member)
            #expect(string.status == .badRequest)
            #expect(string.errorCode == "invalid_body")
            #expect(!string.text.contains("Dictionary") && !string.text.contains("decode"), "\(string.text)")
            let text = try await raw(app, .PUT, "/api/v1/notifications/preferences", body: Data("none".utf8),
                                     contentType: "text/plain", headers: member)
            #expect(text.status == .unsupportedMediaType)
            #expect(try await app.count("SELECT count(*)::int FROM audit_records") == before)
            let saved = try await app.sendJSON(.GET, "/api/v1/notifications/preferences", headers: member)
            #expect(saved.object["email_mode"] as? String == "immediate")
        }
    }
}
