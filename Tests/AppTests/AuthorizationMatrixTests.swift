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
        /// The route's path with `{draft}`, `{submitted}`, `{member}`, `{need}`, `{token}`, `{user}` for A's objects
        /// (and the placeholders filled in `cellsOfRow`, such as `{accepted}` and `{open_need}`).
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
        // Forming an open-type group from an accepted proposal (admin's cell follows staff's: already formed → 409)
        add(.POST, "/review/:id/working-group", at: "/review/{accepted}/working-group",
            form: ["title": "新しいWG", "started_on": "2026-12-01"], [401, 403, 403, 303, 409])
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
        add(.GET, "/metrics", all200)
        add(.GET, "/staff/exports/members.csv", [401, 403, 403, 200, 200])
        add(.GET, "/staff/exports/needs.csv", [401, 403, 403, 200, 200])
        let staffOnly: [UInt] = [401, 403, 403, 200, 200]
        // Deadlines and event days typed into the staff forms: always ahead of the test run.
        let nextYear = Calendar(identifier: .gregorian).component(.year, from: Date()) + 1
        // Matching rounds (staff): pages and API; {round} is a round run for the row, {pair_*} its first proposed pair.
        add(.GET, "/staff/matching", staffOnly)
        add(.POST, "/staff/matching", form: ["candidates": "members", "top_l": "5"], [401, 403, 403, 303, 303])
        add(.GET, "/staff/matching/:id", at: "/staff/matching/{round}", staffOnly)
        add(.POST, "/staff/matching/:id/decisions", at: "/staff/matching/{round}/decisions",
            form: ["candidate_id": "{pair_candidate}", "need_id": "{pair_need}", "decision": "held"], [401, 403, 403, 303, 409])
        add(.GET, "/api/v1/matching-rounds", staffOnly)
        add(.POST, "/api/v1/matching-rounds", json: ["candidates": "members", "top_l": 5], [401, 403, 403, 201, 201])
        add(.GET, "/api/v1/matching-rounds/:id", at: "/api/v1/matching-rounds/{round}", staffOnly)
        add(.GET, "/api/v1/matching-rounds/:id/pairs", at: "/api/v1/matching-rounds/{round}/pairs", staffOnly)
        add(.POST, "/api/v1/matching-rounds/:id/decisions", at: "/api/v1/matching-rounds/{round}/decisions",
            json: ["candidate_id": "{pair_candidate}", "need_id": "{pair_need}", "decision": "rejected"], [401, 403, 403, 201, 409])
        // Working groups: every signed-in user reads; staff, and the lead organisation for stages and activities, write.
        // {wg} is w001, led by member A's organisation.
        add(.GET, "/board", signedIn200)
        add(.GET, "/coverage", signedIn200)
        add(.GET, "/dashboard", staffOnly)
        add(.GET, "/working-groups/:id", at: "/working-groups/{wg}", signedIn200)
        add(.POST, "/working-groups/:id/stage", at: "/working-groups/{wg}/stage", form: ["to": "reviewing"], [401, 303, 403, 409, 409])
        add(.POST, "/working-groups/:id/activities", at: "/working-groups/{wg}/activities",
            form: ["kind": "meeting", "occurred_on": "2026-11-20", "title": "定例会"], [401, 303, 403, 303, 303])
        add(.POST, "/working-groups/:id/support", at: "/working-groups/{wg}/support",
            form: ["item": "pr_support", "owner_department": "市民文化局"], [401, 403, 403, 303, 303])
        add(.POST, "/working-groups/:id/support/:support_id/status", at: "/working-groups/{wg}/support/{support}/status",
            form: ["to": "in_progress"], [401, 403, 403, 303, 409])
        add(.GET, "/api/v1/working-groups", signedIn200)
        add(.POST, "/api/v1/working-groups", json: ["origin": "proposal", "proposal_id": "{accepted}"], [401, 403, 403, 201, 409])
        add(.GET, "/api/v1/working-groups/:id", at: "/api/v1/working-groups/{wg}", signedIn200)
        add(.PATCH, "/api/v1/working-groups/:id", at: "/api/v1/working-groups/{wg}", json: ["summary": "更新"], [401, 403, 403, 200, 200])
        add(.POST, "/api/v1/working-groups/:id/stage", at: "/api/v1/working-groups/{wg}/stage", json: ["to": "reviewing"],
            [401, 200, 403, 409, 409])
        add(.POST, "/api/v1/working-groups/:id/activities", at: "/api/v1/working-groups/{wg}/activities",
            json: ["kind": "meeting", "occurred_on": "2026-11-20", "title": "定例会"], [401, 201, 403, 201, 201])
        add(.POST, "/api/v1/working-groups/:id/support", at: "/api/v1/working-groups/{wg}/support",
            json: ["item": "pr_support", "owner_department": "市民文化局"], [401, 403, 403, 201, 201])
        add(.POST, "/api/v1/working-groups/:id/support/:support_id/status", at: "/api/v1/working-groups/{wg}/support/{support}/status",
            json: ["to": "in_progress"], [401, 403, 403, 200, 409])
        add(.POST, "/api/v1/working-groups/:id/participants", at: "/api/v1/working-groups/{wg}/participants",
            json: ["role": "local", "display_name": "町内会"], [401, 403, 403, 201, 201])
        // Theme calls ({call} is the open call t003) and events ({event} the future council meeting e006;
        // {exchange} the exchange meeting e007, the only kind that records new cases)
        add(.GET, "/theme-calls", signedIn200)
        add(.POST, "/theme-calls", form: ["title": "移動支援", "genre": "交通", "need_ids[]": "{open_need}",
                                          "deadline_date": "\(nextYear)-03-31", "deadline_time": "17:00"], [401, 403, 403, 303, 303])
        add(.GET, "/theme-calls/:id", at: "/theme-calls/{call}", signedIn200)
        add(.POST, "/theme-calls/:id/applications", at: "/theme-calls/{call}/applications", form: ["statement": "参加します"],
            [401, 303, 303, 403, 403])
        add(.POST, "/theme-calls/:id/working-group", at: "/theme-calls/{call}/working-group", form: ["member_ids[]": "{member}"],
            [401, 403, 403, 409, 409])
        add(.GET, "/api/v1/theme-calls", signedIn200)
        add(.POST, "/api/v1/theme-calls", json: ["title": "移動支援", "genre": "交通", "need_ids": .strings(["{need}"]),
                                                 "deadline": "2027-03-31T08:00:00Z"], [401, 403, 403, 201, 201])
        add(.GET, "/api/v1/theme-calls/:id", at: "/api/v1/theme-calls/{call}", signedIn200)
        add(.GET, "/api/v1/theme-calls/:id/applications", at: "/api/v1/theme-calls/{call}/applications", signedIn200)
        add(.POST, "/api/v1/theme-calls/:id/applications", at: "/api/v1/theme-calls/{call}/applications",
            json: ["statement": "参加します"], [401, 201, 201, 403, 403])
        add(.GET, "/events", signedIn200)
        add(.POST, "/events", form: ["kind": "study_session", "title": "勉強会", "starts_date": "\(nextYear)-03-01",
                                     "starts_time": "14:00"], [401, 403, 403, 303, 303])
        add(.GET, "/events/calendar", signedIn200)
        add(.GET, "/events/:id", at: "/events/{event}", signedIn200)
        add(.POST, "/events/:id/registrations", at: "/events/{event}/registrations", [401, 303, 303, 403, 403])
        add(.POST, "/events/:id/outcomes", at: "/events/{exchange}/outcomes", form: ["note": "新しい事例"], [401, 403, 403, 303, 303])
        add(.GET, "/api/v1/events", signedIn200)
        add(.POST, "/api/v1/events", json: ["kind": "study_session", "title": "勉強会", "starts_at": "2027-03-01T05:00:00Z"],
            [401, 403, 403, 201, 201])
        add(.GET, "/api/v1/events/:id", at: "/api/v1/events/{event}", signedIn200)
        add(.POST, "/api/v1/events/:id/registrations", at: "/api/v1/events/{event}/registrations", [401, 201, 201, 403, 403])
        add(.POST, "/api/v1/events/:id/outcomes", at: "/api/v1/events/{exchange}/outcomes", json: ["note": "新しい事例"],
            [401, 403, 403, 201, 201])
        add(.GET, "/api/v1/coverage", signedIn200)
        add(.GET, "/api/v1/dashboard", staffOnly)
        // Notifications: each user's own ({notification} is one of member A's); the e-mail outbox is staff's.
        add(.GET, "/notifications", signedIn200)
        add(.POST, "/notifications/read-all", [401, 303, 303, 303, 303])
        add(.POST, "/notifications/preferences", form: ["email_mode": "daily_digest"], [401, 303, 303, 303, 303])
        add(.POST, "/notifications/:id/read", at: "/notifications/{notification}/read", [401, 303, 404, 404, 404])
        add(.GET, "/staff/outbox", staffOnly)
        add(.GET, "/api/v1/notifications", signedIn200)
        add(.POST, "/api/v1/notifications/read-all", [401, 204, 204, 204, 204])
        add(.GET, "/api/v1/notifications/preferences", signedIn200)
        add(.PUT, "/api/v1/notifications/preferences", json: ["email_mode": "none"], [401, 200, 200, 200, 200])
        add(.POST, "/api/v1/notifications/:id/read", at: "/api/v1/notifications/{notification}/read", [401, 204, 404, 404, 404])
        // CSV imports (staff): {batch} is a valid needs upload of the staff user — only they may see or confirm it.
        add(.GET, "/staff/imports", staffOnly)
        add(.POST, "/staff/imports", form: ["kind": "needs"], [401, 403, 403, 422, 422])
        add(.GET, "/staff/imports/:id", at: "/staff/imports/{batch}", [401, 403, 403, 200, 403])
        add(.POST, "/staff/imports/:id/confirm", at: "/staff/imports/{batch}/confirm", [401, 403, 403, 303, 403])
        add(.GET, "/staff/imports/templates/:file", at: "/staff/imports/templates/needs.csv", staffOnly)
        add(.GET, "/staff/exports/proposals.csv", staffOnly)
        add(.GET, "/staff/exports/working-groups.csv", staffOnly)
        add(.GET, "/staff/exports/matching-rounds/:id/pairs.csv", at: "/staff/exports/matching-rounds/{round}/pairs.csv", staffOnly)
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
            var ids: [(String, UUID)] = [("draft", draft), ("submitted", submitted), ("member", member), ("need", need),
                                         ("token", token), ("user", user), ("wg", DemoData.id("w001")),
                                         ("call", DemoData.id("t003")), ("event", DemoData.id("e006")),
                                         ("exchange", DemoData.id("e007"))]
            let text = "\(row.path) \(row.json.map { "\($0)" } ?? "") \(row.form.map { "\($0)" } ?? "")"
            if text.contains("{support}") {
                // A support item still at 'requested', so the first allowed actor can move it on.
                let support = UUID()
                try await app.database.client.query("""
                    INSERT INTO support_provided (id, council_id, working_group_id, item, owner_department, status)
                    SELECT \(support), council_id, id, 'needs_sharing', '地域包括ケア推進室', 'requested'
                    FROM working_groups WHERE id = \(DemoData.id("w001"))
                    """)
                ids.append(("support", support))
            }
            if text.contains("{accepted}") {
                // An accepted proposal that no working group grew from yet.
                ids.append(("accepted", try await app.rows("""
                    SELECT p.id FROM proposals p WHERE p.status = 'accepted'
                    AND NOT EXISTS (SELECT 1 FROM working_groups w WHERE w.origin_proposal_id = p.id) ORDER BY p.id LIMIT 1
                    """).first!.get("id", as: UUID.self)))
            }
            if text.contains("{open_need}") {
                ids.append(("open_need", try await app.rows("SELECT id FROM needs WHERE status = 'open' ORDER BY id LIMIT 1")
                    .first!.get("id", as: UUID.self)))
            }
            if text.contains("{round}") || text.contains("{pair_") {
                let round = try await app.runRound(["candidates": "members", "top_l": 5])
                ids.append(("round", round.id))
                ids.append(("pair_candidate", round.assignment[0].candidateId))
                ids.append(("pair_need", round.assignment[0].needId))
            }
            if text.contains("{notification}") {
                let notification = UUID()
                try await app.execute("""
                    INSERT INTO notifications (id, council_id, user_id, kind, params)
                    SELECT \(notification), council_id, id, 'working_group_stage', '{}'::jsonb FROM users WHERE id = \(user)
                    """)
                ids.append(("notification", notification))
            }
            if text.contains("{batch}") {
                ids.append(("batch", try await app.uploadBatch(ImportTests.goodNeeds, headers: try await app.signedIn(as: Demo.staff))))
            }
            try await app.keepDemoCallsOpen()
            func fill(_ text: String) -> String {
                ids.reduce(text) { $0.replacingOccurrences(of: "{\($1.0)}", with: $1.1.uuidString.lowercased()) }
            }
            let path = fill(row.path)
            let form = row.form?.mapValues(fill)
            let json = row.json?.mapValues { $0.filled(fill) }
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
                let answer = try await app.send(row.method, encoded(path), headers: headers, json: json, form: form)
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
    /// With `{name}` placeholders replaced.
    func filled(_ fill: (String) -> String) -> AnyEncodableValue {
        switch self {
        case .string(let value): .string(fill(value))
        case .int: self
        case .strings(let values): .strings(values.map(fill))
        }
    }
    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let value): try container.encode(value)
        case .int(let value): try container.encode(value)
        case .strings(let value): try container.encode(value)
        }
    }
}
