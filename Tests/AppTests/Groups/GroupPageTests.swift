import Foundation
import Testing
import Vapor
@testable import App

/// Every page of the groups work renders in Japanese with the demo data, as well-formed XHTML,
/// with its inputs labelled, and in English on request.
@Suite("Working-group pages")
struct GroupPageTests {
    static let pages = [
        "/board", "/board?type=open", "/working-groups/\(demoID("w001"))", "/working-groups/\(demoID("w007"))",
        "/theme-calls", "/theme-calls/\(demoID("t001"))", "/theme-calls/\(demoID("t003"))", "/events",
        "/events/calendar", "/events/calendar?month=2026-12", "/events/\(demoID("e007"))", "/coverage", "/dashboard",
    ]

    @Test(arguments: ["staff@demo.tsunagu.example", "member@demo.tsunagu.example"])
    func pagesRenderInJapaneseAsWellFormedXHTML(email: String) async throws {
        try await withTestApp { app in
            try await app.keepDemoCallsOpen()
            let headers = try await app.signedIn(as: email)
            for page in Self.pages where email.hasPrefix("staff") || page != "/dashboard" {
                let (status, _, html) = try await app.get(page, headers: headers)
                #expect(status == .ok, "\(page)")
                #expect(html.contains("<html lang=\"ja\">"), "\(page)")
                do { _ = try XHTML(html) } catch { Issue.record("\(page): \(error)") }
                // Every input, select and textarea that is not hidden has a label.
                let ids = html.matches(of: /<(?:input|select|textarea) [^>]*id="([^"]+)"/).map { String($0.1) }
                for id in ids { #expect(html.contains("for=\"\(id)\""), "\(page): #\(id) has no label") }
                #expect(!html.contains("style="), "\(page)")
                #expect(!html.contains("<script"), "\(page)")
                // A missing localisation key shows itself as text.
                #expect(html.firstMatch(of: />(?:board|wg|theme|event|coverage|dashboard|stage|role|domain)_[a-z_]+</) == nil,
                        "\(page): missing string")
            }
        }
    }

    @Test func theWorkingGroupPageShowsParticipantsSupportAndATimeline() async throws {
        try await withTestApp { app in
            let staff = try await app.signedIn(as: "staff@demo.tsunagu.example")
            let (_, _, html) = try await app.get("/working-groups/\(demoID("w003"))", headers: staff)
            let document = try XHTML(html)
            let participants = try await app.count(
                "SELECT count(*)::int FROM working_group_participants WHERE working_group_id = \(DemoData.id("w003"))")
            #expect(document.collector.rows.filter { ["主担当", "参画", "市担当", "地域"].contains($0.dropFirst().first ?? "") }.count == participants)
            #expect(html.contains("<svg xmlns=\"http://www.w3.org/2000/svg\""))
            // The timeline draws one band per stage change, each labelled with its stage.
            let changes = try await app.count(
                "SELECT count(*)::int FROM working_group_stage_history WHERE working_group_id = \(DemoData.id("w003"))")
            #expect(html.components(separatedBy: "<rect").count - 1 >= changes)
            #expect(html.contains(">振り返り</text>"))
            // Staff can move the group on: reviewing → piloting, completed, dissolved.
            #expect(html.contains("<option value=\"piloting\">実践中</option>"))
            #expect(html.contains("name=\"csrf_token\""))
        }
    }

    @Test func formsOnTheWorkingGroupPageChangeTheStageAndLogActivities() async throws {
        try await withTestApp { app in
            let member = try await app.signedIn(as: "member@demo.tsunagu.example")
            let path = "/working-groups/\(demoID("w001"))"
            let (stageStatus, location, _) = try await app.postForm(path + "/stage", ["to": "reviewing", "note": "3か月の振り返り"],
                                                                    headers: member)
            #expect(stageStatus == .seeOther)
            #expect(location == path.lowercased())
            let (activityStatus, _, _) = try await app.postForm(path + "/activities", [
                "kind": "meeting", "occurred_on": "2026-11-20", "title": "第5回定例会",
                "links": "https://example.org/minutes/5\nhttps://example.org/photos",
            ], headers: member)
            #expect(activityStatus == .seeOther)
            let (_, _, html) = try await app.get(path, headers: member)
            #expect(html.contains("第5回定例会"))
            #expect(html.contains("href=\"https://example.org/minutes/5\""))
            #expect(html.contains("3か月の振り返り"))
            let (bad, _, _) = try await app.postForm(path + "/activities", [
                "kind": "meeting", "occurred_on": "2026-11-20", "title": "x", "links": "javascript:alert(1)",
            ], headers: member)
            #expect(bad == .unprocessableEntity)
            let member2 = try await app.signedIn(as: "member2@demo.tsunagu.example")
            let (forbidden, _, _) = try await app.postForm(path + "/activities", [
                "kind": "meeting", "occurred_on": "2026-11-20", "title": "x",
            ], headers: member2)
            #expect(forbidden == .forbidden)
        }
    }

    @Test func supportMovesForwardOnlyFromRequestedToDone() async throws {
        try await withTestApp { app in
            let staff = try await app.signedIn(as: "staff@demo.tsunagu.example")
            let group = demoID("w006")
            let added = try await app.sendJSON(.POST, "/api/v1/working-groups/\(group)/support",
                                           json: ["item": "pr_support", "owner_department": "市民文化局 広報課"], headers: staff)
            #expect(added.status == .created)
            let item = try #require((added.object["support"] as? [[String: Any]])?.first { $0["item"] as? String == "pr_support" && $0["owner_department"] as? String == "市民文化局 広報課" })
            let id = try #require(item["id"] as? String)
            let path = "/api/v1/working-groups/\(group)/support/\(id)/status"
            #expect(try await app.sendJSON(.POST, path, json: ["to": "done"], headers: staff).status == .conflict)
            #expect(try await app.sendJSON(.POST, path, json: ["to": "in_progress"], headers: staff).status == .ok)
            #expect(try await app.sendJSON(.POST, path, json: ["to": "done"], headers: staff).status == .ok)
            #expect(try await app.sendJSON(.POST, path, json: ["to": "requested"], headers: staff).status == .conflict)
            let member = try await app.signedIn(as: "member@demo.tsunagu.example")
            #expect(try await app.sendJSON(.POST, "/api/v1/working-groups/\(group)/support",
                                       json: ["item": "pr_support", "owner_department": "x"], headers: member).status == .forbidden)
        }
    }

    @Test func staffEditAGroupAndAddParticipants() async throws {
        try await withTestApp { app in
            let staff = try await app.signedIn(as: "staff@demo.tsunagu.example")
            let group = demoID("w006")
            let patched = try await app.sendJSON(.PATCH, "/api/v1/working-groups/\(group)", json: [
                "title": "新しい名前", "wards": ["川崎区", "幸区"], "outcome_notes": "成果",
            ], headers: staff)
            #expect(patched.status == .ok)
            #expect(patched.object["title"] as? String == "新しい名前")
            #expect(patched.object["wards"] as? [String] == ["川崎区", "幸区"])
            let invalid = try await app.sendJSON(.PATCH, "/api/v1/working-groups/\(group)", json: ["domains": ["health"]], headers: staff)
            #expect(invalid.status == .unprocessableEntity)
            #expect(invalid.errorField == "domains")
            let added = try await app.sendJSON(.POST, "/api/v1/working-groups/\(group)/participants",
                                           json: ["role": "local", "display_name": "大師地区町内会連合会"], headers: staff)
            #expect(added.status == .created)
            #expect((added.object["participants"] as? [[String: Any]])?.contains { $0["name"] as? String == "大師地区町内会連合会" } == true)
            let lead = try await app.sendJSON(.POST, "/api/v1/working-groups/\(group)/participants",
                                          json: ["role": "lead", "member_id": demoID("m005")], headers: staff)
            #expect(lead.status == .conflict)
            #expect(try await app.count("SELECT count(*)::int FROM audit_records WHERE entity_id = \(group.lowercased())") == 2)
        }
    }

    @Test func datesReadTheJapaneseWayWithTheEraOnNoticesAndTheEnglishWayOnRequest() async throws {
        try await withTestApp { app in
            var headers = try await app.signedIn(as: "staff@demo.tsunagu.example")
            for page in ["/theme-calls/\(demoID("t001"))", "/events/\(demoID("e007"))", "/working-groups/\(demoID("w001"))"] {
                let (_, _, html) = try await app.get(page, headers: headers)
                #expect(html.contains(/令和(?:元|\d+)（20\d\d）年\d{1,2}月\d{1,2}日/), "\(page): the era date of a notice")
            }
            for page in Self.pages + ["/review", "/staff/matching", "/members/\(demoID("m001"))"] {
                let (_, _, html) = try await app.get(page, headers: headers)
                // ISO dates only inside attributes (datetime="…", value="…", links), never as text.
                #expect(html.firstMatch(of: />[^<]*20\d\d-\d\d-\d\d[^<]*</) == nil, "\(page): an ISO date shown as text")
            }
            headers.replaceOrAdd(name: "Cookie", value: headers.first(name: "Cookie")! + "; tsunagu_lang=en")
            let (_, _, english) = try await app.get("/theme-calls/\(demoID("t001"))", headers: headers)
            #expect(english.contains(/\d{1,2} (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) 20\d\d \d{1,2}:\d\d/))
            #expect(!english.contains("令和"))
        }
    }

    @Test func pagesSpeakEnglishWhenAsked() async throws {
        try await withTestApp { app in
            var headers = try await app.signedIn(as: "staff@demo.tsunagu.example")
            headers.replaceOrAdd(name: "Cookie", value: headers.first(name: "Cookie")! + "; tsunagu_lang=en")
            let (_, _, board) = try await app.get("/board", headers: headers)
            #expect(board.contains("<html lang=\"en\">"))
            #expect(board.contains("Working-group status board"))
            let (_, _, coverage) = try await app.get("/coverage", headers: headers)
            #expect(coverage.contains("Gap"))
        }
    }
}
