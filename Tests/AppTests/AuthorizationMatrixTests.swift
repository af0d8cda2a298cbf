import Foundation
import Testing
import Vapor
import VaporTesting
@testable import App

/// The authorisation matrix: every route of the route table × {anonymous, member of org A,
/// member of org B, staff, admin}, always aimed at org A's objects (so A sees its own and B
/// another organisation's). Each cell states the expected status; a route without a row fails.
/// Actors run in the order of the columns on one fresh database per row, so a row's later
/// cells see what earlier cells did (noted where it matters).
@Suite("Authorisation matrix")
struct AuthorizationMatrixTests {
    enum Actor: Int, CaseIterable { case anonymous, memberA, memberB, staff, admin }

    struct Row: Sendable {
        var method: HTTPMethod
        /// The route's path with `{draft}`, `{submitted}`, `{member}`, `{need}`, `{token}`, `{user}` for A's objects.
        var path: String
        var route: String
        var json: [String: AnyEncodableValue]? = nil
        var form: [String: String]? = nil
        /// anonymous, member A, member B, staff, admin.
        var expected: [UInt]
    }

    static let rows: [Row] = {
        let all200: [UInt] = [200, 200, 200, 200, 200]
        let signedIn200: [UInt] = [401, 200, 200, 200, 200]
        let adminOnly: [UInt] = [401, 403, 403, 403, 200]
        let memberPage: [UInt] = [401, 200, 200, 403, 403]
        var rows: [Row] = []
        func add(_ method: HTTPMethod, _ route: String, at path: String? = nil, json: [String: AnyEncodableValue]? = nil,
                 form: [String: String]? = nil, _ expected: [UInt]) {
            rows.append(Row(method: method, path: path ?? route, route: route, json: json, form: form, expected: expected))
        }
        // Operations and public pages
        add(.GET, "/health", all200)
        add(.GET, "/ready", all200)
        add(.GET, "/openapi.json", all200)
        add(.GET, "/", all200)
        add(.GET, "/members", all200)
        add(.GET, "/members/:id", at: "/members/{member}", all200)
        add(.GET, "/needs", all200)
        add(.GET, "/needs/:id", at: "/needs/{need}", all200)
        add(.POST, "/language", form: ["lang": "en"], [303, 303, 303, 303, 303])
        // Signing in and out (signed-in users may sign in again: a new session replaces theirs)
        add(.GET, "/login", [200, 303, 303, 303, 303])
        add(.POST, "/login", form: ["email": Demo.member, "password": Demo.password], [303, 303, 303, 303, 303])
        add(.POST, "/logout", [401, 303, 303, 303, 303])
        // The member portal (staff and admins are sent to their own start pages)
        add(.GET, "/portal", [401, 200, 200, 303, 303])
        add(.GET, "/portal/profile", memberPage)
        add(.POST, "/portal/profile", form: ["description": "更新", "domains[]": "prevention", "wards[]": "*"], [401, 303, 303, 403, 403])
        add(.GET, "/portal/proposals/new", memberPage)
        add(.POST, "/portal/proposals", form: ["title": "新しい提案", "domains[]": "prevention"], [401, 303, 303, 403, 403])
        add(.GET, "/portal/proposals/:id", at: "/portal/proposals/{draft}", [401, 200, 404, 403, 403])
        add(.GET, "/portal/proposals/:id/edit", at: "/portal/proposals/{draft}/edit", [401, 200, 404, 403, 403])
        add(.POST, "/portal/proposals/:id", at: "/portal/proposals/{draft}", form: ["title": "変更", "domains[]": "prevention"],
            [401, 303, 404, 403, 403])
        add(.POST, "/portal/proposals/:id/transitions", at: "/portal/proposals/{draft}/transitions", form: ["to": "submitted"],
            [401, 303, 404, 403, 403])
        // Staff review (admin's cell follows staff's: the proposal is then in review already → 409)
        add(.GET, "/review", [401, 403, 403, 200, 200])
        add(.GET, "/review/:id", at: "/review/{submitted}", [401, 403, 403, 200, 200])
        add(.POST, "/review/:id/transitions", at: "/review/{submitted}/transitions", form: ["to": "in_review"], [401, 403, 403, 303, 409])
        // Administration
        add(.GET, "/admin/users", adminOnly)
        add(.POST, "/admin/users", form: ["email": "matrix@example.org", "role": "staff", "password": "long-enough-pw"],
            [401, 403, 403, 403, 303])
        add(.POST, "/admin/users/:id/deactivate", at: "/admin/users/{user}/deactivate", [401, 403, 403, 403, 303])
        add(.POST, "/admin/users/:id/password", at: "/admin/users/{user}/password", form: ["password": "a-new-password"],
            [401, 403, 403, 403, 303])
        add(.GET, "/admin/audit", adminOnly)
        // API: reference and members (a member edits only its own profile; staff any)
        for path in ["/api/v1/councils", "/api/v1/wards", "/api/v1/districts", "/api/v1/domains", "/api/v1/support-menu",
                     "/api/v1/members", "/api/v1/needs"] {
            add(.GET, path, all200)
        }
        add(.GET, "/api/v1/members/:id", at: "/api/v1/members/{member}", all200)
        add(.PATCH, "/api/v1/members/:id", at: "/api/v1/members/{member}", json: ["capacity": 3], [401, 200, 403, 200, 200])
        add(.GET, "/api/v1/needs/:id", at: "/api/v1/needs/{need}", all200)
        // API: tokens
        add(.POST, "/api/v1/auth/token", json: ["email": .string(Demo.member), "password": .string(Demo.password)],
            [201, 201, 201, 201, 201])
        add(.GET, "/api/v1/auth/tokens", signedIn200)
        add(.DELETE, "/api/v1/auth/tokens/:id", at: "/api/v1/auth/tokens/{token}", [401, 204, 404, 404, 204])
        // API: proposals
        add(.GET, "/api/v1/proposals", signedIn200)
        add(.POST, "/api/v1/proposals", json: ["title": "API 提案", "domains": .strings(["prevention"])], [401, 201, 201, 403, 403])
        add(.GET, "/api/v1/proposals/:id", at: "/api/v1/proposals/{submitted}", [401, 200, 404, 200, 200])
        add(.GET, "/api/v1/proposals/:id", at: "/api/v1/proposals/{draft}", [401, 200, 404, 404, 404])
        add(.PATCH, "/api/v1/proposals/:id", at: "/api/v1/proposals/{draft}", json: ["title": "変更"], [401, 200, 404, 404, 404])
        add(.POST, "/api/v1/proposals/:id/transitions", at: "/api/v1/proposals/{submitted}/transitions", json: ["to": "withdrawn"],
            [401, 200, 404, 403, 403])
        add(.POST, "/api/v1/proposals/:id/transitions", at: "/api/v1/proposals/{draft}/transitions", json: ["to": "in_review"],
            [401, 403, 404, 404, 404])
        // API: administration
        add(.GET, "/api/v1/users", adminOnly)
        add(.POST, "/api/v1/users", json: ["email": "api-matrix@example.org", "role": "staff", "password": "long-enough-pw"],
            [401, 403, 403, 403, 201])
        add(.POST, "/api/v1/users/:id/deactivate", at: "/api/v1/users/{user}/deactivate", [401, 403, 403, 403, 204])
        add(.GET, "/api/v1/audit-records", adminOnly)
        return rows
    }()

    @Test func everyRouteHasARow() async throws {
        try await withTestApp(.reference) { app in
            let covered = Set(Self.rows.map { "\($0.method) \($0.route)" })
            let routes = app.routes.all.map { route in
                "\(route.method) /" + route.path.map(\.description).joined(separator: "/")
            }
            let missing = routes.filter { !covered.contains($0) && $0 != "GET /" }
            #expect(missing.isEmpty, "routes without a row in the authorisation matrix: \(missing)")
            #expect(covered.isSubset(of: Set(routes).union(["GET /"])))
            // The size of the matrix, for the record.
            #expect(Self.rows.count * Actor.allCases.count >= 250)
        }
    }

    @Test(arguments: rows.indices)
    func cellsOfRow(_ index: Int) async throws {
        let row = Self.rows[index]
        try await withTestApp { app in
            let a = try await app.signedIn(as: Demo.member)
            let draft = try await app.draft(a, title: "A の下書き")
            let submitted = try await app.draft(a, title: "A の提出済み")
            try await app.force(submitted, to: .submitted)
            let member = try await app.rows("SELECT member_id FROM users WHERE email = \(Demo.member)").first!.get("member_id", as: UUID.self)
            let need = try await app.rows("SELECT id FROM needs LIMIT 1").first!.get("id", as: UUID.self)
            let token = try await app.send(.POST, "/api/v1/auth/token", json: ["email": Demo.member, "password": Demo.password])
                .json(TokenBody.self).id
            let user = try await app.userID(Demo.member)
            var path = row.path
            for (name, id) in [("draft", draft), ("submitted", submitted), ("member", member), ("need", need),
                               ("token", token), ("user", user)] {
                path = path.replacingOccurrences(of: "{\(name)}", with: id.uuidString.lowercased())
            }
            var actual: [UInt] = []
            for actor in Actor.allCases {
                let headers: HTTPHeaders
                switch actor {
                case .anonymous:
                    let csrf = String(repeating: "m", count: 43)
                    headers = ["Cookie": "\(CSRFMiddleware.cookieName)=\(csrf)", "X-CSRF-Token": csrf]
                case .memberA: headers = try await app.signedIn(as: Demo.member)
                case .memberB: headers = try await app.signedIn(as: Demo.member2)
                case .staff: headers = try await app.signedIn(as: Demo.staff)
                case .admin: headers = try await app.signedIn(as: Demo.admin)
                }
                let answer = try await app.send(row.method, encoded(path), headers: headers, json: row.json, form: row.form)
                actual.append(answer.status.code)
            }
            #expect(actual == row.expected, "\(row.method) \(row.path): anonymous, A, B, staff, admin")
        }
    }
}

/// JSON values of the matrix's bodies (Sendable, so rows can be test arguments).
enum AnyEncodableValue: Encodable, Sendable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral {
    case string(String), int(Int), strings([String])
    init(stringLiteral value: String) { self = .string(value) }
    init(integerLiteral value: Int) { self = .int(value) }
    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let value): try container.encode(value)
        case .int(let value): try container.encode(value)
        case .strings(let value): try container.encode(value)
        }
    }
}
