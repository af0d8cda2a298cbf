import Foundation
import Testing
import Vapor
@testable import App

@Suite("Theme calls")
struct ThemeCallTests {
    @Test func aMemberAppliesOnceBeforeTheDeadline() async throws {
        try await withTestApp { app in
            try await app.keepDemoCallsOpen()
            let member2 = try await app.signedIn(as: "member2@demo.tsunagu.example")
            let path = "/api/v1/theme-calls/\(demoID("t003"))/applications"
            let first = try await app.sendJSON(.POST, path, json: ["statement": "移動販売の停留所で見守りを行えます。"], headers: member2)
            #expect(first.status == .created)
            #expect(first.object["member_id"] as? String == demoID("m002"))
            #expect(first.object["status"] as? String == "submitted")
            let again = try await app.sendJSON(.POST, path, json: ["statement": "もう一度"], headers: member2)
            #expect(again.status == .conflict)
            #expect(again.errorCode == "already_applied")
            let empty = try await app.sendJSON(.POST, "/api/v1/theme-calls/\(demoID("t004"))/applications",
                                           json: ["statement": "  "], headers: member2)
            #expect(empty.status == .unprocessableEntity)
            #expect(empty.errorField == "statement")
            #expect(try await app.count("SELECT count(*)::int FROM audit_records WHERE action = 'theme_call.apply'") == 1)
        }
    }

    @Test func anApplicationAfterTheDeadlineIsRefusedWithAClearError() async throws {
        try await withTestApp { app in
            try await app.keepDemoCallsOpen()
            let member2 = try await app.signedIn(as: "member2@demo.tsunagu.example")
            // Given t004's deadline passed a minute ago while its status still reads 'open' …
            try await app.database.client.query(
                "UPDATE theme_calls SET deadline = now() - interval '1 minute' WHERE id = \(DemoData.id("t004"))")
            let reply = try await app.sendJSON(.POST, "/api/v1/theme-calls/\(demoID("t004"))/applications",
                                           json: ["statement": "締切後の応募"], headers: member2)
            // … the application is refused, saying why and when the deadline was.
            #expect(reply.status == .conflict)
            #expect(reply.errorCode == "deadline_passed")
            #expect(reply.errorMessage?.contains("締切") == true)
            #expect(try await app.count("SELECT count(*)::int FROM theme_call_applications WHERE theme_call_id = \(DemoData.id("t004"))") == 1)
            // The call reads closed everywhere, and the page offers no form.
            let call = try await app.sendJSON(.GET, "/api/v1/theme-calls/\(demoID("t004"))", headers: member2)
            #expect(call.object["status"] as? String == "closed")
            #expect(call.object["accepting"] as? Bool == false)
            let (_, _, html) = try await app.get("/theme-calls/\(demoID("t004"))", headers: member2)
            #expect(!html.contains("name=\"statement\""))
            #expect(html.contains("締切を過ぎたため"))
            // A call already closed by staff refuses too.
            let closed = try await app.sendJSON(.POST, "/api/v1/theme-calls/\(demoID("t001"))/applications",
                                            json: ["statement": "x"], headers: member2)
            #expect(closed.status == .conflict)
        }
    }

    @Test func staffPublishACallFromNeedsAndMembersSeeMatchingOpenCallsFirst() async throws {
        try await withTestApp { app in
            try await app.keepDemoCallsOpen()
            let (staff, _, member2, _) = try await app.demoSessions()
            // A call in 川崎区 on prevention with the earliest deadline of all: it does not match m002
            // (participation/daily_life in 多摩区・宮前区・麻生区), so t003 (中原区・多摩区) still comes first for member2.
            let deadline = ISO8601DateFormatter().string(from: Date().addingTimeInterval(2 * 24 * 3600))
            let needs = try await app.rows("""
                SELECT id FROM needs WHERE ward_code = '14131' AND domain = 'prevention' AND status = 'open' ORDER BY id LIMIT 2
                """).map { try $0.get("id", as: UUID.self).uuidString }
            #expect(needs.count == 2)
            let published = try await app.sendJSON(.POST, "/api/v1/theme-calls", json: [
                "title": "介護予防の通いの場づくり", "genre": "運動・体操教室", "need_ids": needs, "deadline": deadline,
            ], headers: staff)
            #expect(published.status == .created)
            #expect(published.object["wards"] as? [String] == ["川崎区"])
            #expect(published.object["domains"] as? [String] == ["prevention"])
            #expect(published.object["accepting"] as? Bool == true)
            #expect(try await app.count("SELECT count(*)::int FROM needs WHERE id::text = ANY(\(needs.map { $0.lowercased() })) AND status = 'matching'") == 2)

            let list = try await app.sendJSON(.GET, "/api/v1/theme-calls", headers: member2)
            let titles = list.items.compactMap { $0["id"] as? String }
            #expect(titles.first == demoID("t003"))
            #expect(list.items.first?["matches_you"] as? Bool == true)
            #expect(list.items.dropFirst().first?["matches_you"] as? Bool == false)
            #expect(list.items.dropFirst().first?["id"] as? String == published.object["id"] as? String)
            // Closed calls come after every open one.
            let accepting = list.items.map { $0["accepting"] as? Bool ?? false }
            #expect(accepting == accepting.sorted { $0 && !$1 })

            let past = try await app.sendJSON(.POST, "/api/v1/theme-calls", json: [
                "title": "過去", "genre": "x", "need_ids": needs, "deadline": "2020-01-01T00:00:00Z",
            ], headers: staff)
            #expect(past.status == .unprocessableEntity)
            #expect(past.errorField == "deadline")
            let byMember = try await app.sendJSON(.POST, "/api/v1/theme-calls", json: [
                "title": "x", "genre": "x", "need_ids": needs, "deadline": deadline,
            ], headers: member2)
            #expect(byMember.status == .forbidden)
        }
    }

    @Test func staffReadEveryApplicationAndAMemberOnlyItsOwn() async throws {
        try await withTestApp { app in
            try await app.keepDemoCallsOpen()
            let (staff, member, _, _) = try await app.demoSessions()
            let path = "/api/v1/theme-calls/\(demoID("t003"))/applications"
            let all = try await app.sendJSON(.GET, path, headers: staff)
            #expect(all.object["total"] as? Int == 3)
            let own = try await app.sendJSON(.GET, path, headers: member)
            #expect(own.object["total"] as? Int == 0)
            let anonymous = try await app.sendJSON(.GET, path)
            #expect(anonymous.status == .unauthorized)
        }
    }

    @Test func staffSelectApplicantsAndFormTheGroupFromTheCallsPage() async throws {
        try await withTestApp { app in
            try await app.keepDemoCallsOpen()
            let staff = try await app.signedIn(as: "staff@demo.tsunagu.example")
            let (_, _, page) = try await app.get("/theme-calls/\(demoID("t002"))", headers: staff)
            _ = try XHTML(page)
            #expect(page.contains("name=\"member_ids[]\""))
            var headers = staff
            headers.replaceOrAdd(name: .contentType, value: "application/x-www-form-urlencoded")
            var location: String?
            try await app.testing().test(.POST, "/theme-calls/\(demoID("t002"))/working-group", headers: headers, beforeRequest: { request in
                request.body = ByteBuffer(string: "member_ids[]=\(demoID("m099"))&lead_member_id=\(demoID("m099"))&title=%E3%83%86%E3%82%B9%E3%83%88WG&csrf_token=x")
            }, afterResponse: { response async in
                #expect(response.status == .seeOther)
                location = response.headers.first(name: .location)
            })
            let link = try #require(location)
            #expect(link.hasPrefix("/working-groups/"))
            let (status, _, html) = try await app.get(link, headers: staff)
            #expect(status == .ok)
            #expect(html.contains("テストWG"))
            #expect(html.contains("テーマ型"))
        }
    }
}
