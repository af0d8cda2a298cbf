import Foundation
import Testing
import Vapor
import VaporTesting
@testable import App

/// The staff page forms that do what the API does: publishing a theme call (/theme-calls),
/// creating an event (/events) and forming an open-type group from an accepted proposal
/// (/review/{id}). Each: success (row, audit record, 303 to the new object's page), a validation
/// error (422, field messages, typed values kept, nothing written), and members refused (403).
@Suite("Staff page forms")
struct StaffFormTests {
    /// A day in Japan `days` from now, as `<input type="date">` sends it.
    static func day(_ days: Int) -> String { JapanDate.day(Date().addingTimeInterval(Double(days) * 24 * 3600)) }

    /// Every visible input has a label; no inline script or style.
    static func expectLabelledInputs(_ html: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let ids = html.matches(of: /<(?:input|select|textarea) [^>]*id="([^"]+)"/).map { String($0.1) }
        #expect(!ids.isEmpty, sourceLocation: sourceLocation)
        for id in ids { #expect(html.contains("for=\"\(id)\""), "#\(id) has no label", sourceLocation: sourceLocation) }
        #expect(!html.contains("style="), sourceLocation: sourceLocation)
        #expect(!html.contains("<script"), sourceLocation: sourceLocation)
    }

    // MARK: Theme calls

    @Test func staffPublishAThemeCallFromTheListPage() async throws {
        try await withTestApp { app in
            let (staff, member, _, _) = try await app.demoSessions()
            // The form is there for staff, well formed, and not there for members.
            let (status, _, page) = try await app.get("/theme-calls", headers: staff)
            #expect(status == .ok)
            _ = try XHTML(page)
            #expect(page.contains("method=\"post\" action=\"/theme-calls\""))
            #expect(page.contains("name=\"csrf_token\""))
            Self.expectLabelledInputs(page)
            let (_, _, memberPage) = try await app.get("/theme-calls", headers: member)
            #expect(!memberPage.contains("method=\"post\" action=\"/theme-calls\""))
            // In English on request, from the same localisation keys.
            var english = staff
            english.replaceOrAdd(name: .cookie, value: (staff.first(name: .cookie) ?? "") + "; tsunagu_lang=en")
            let (_, _, englishPage) = try await app.get("/theme-calls", headers: english)
            #expect(englishPage.contains("Publish a theme call"))
            _ = try XHTML(englishPage)

            let needs = try await app.rows("""
                SELECT id FROM needs WHERE ward_code = '14131' AND domain = 'prevention' AND status = 'open' ORDER BY id LIMIT 2
                """).map { try $0.get("id", as: UUID.self) }
            #expect(needs.count == 2)
            let deadlineDay = Self.day(10)
            let (posted, location, _) = try await app.postFormPairs("/theme-calls", [
                ("title", "介護予防の通いの場づくり"), ("genre", "運動・体操教室"), ("description", "公園での体操教室を担える団体を募ります。"),
                ("need_ids[]", needs[0].uuidString.lowercased()), ("need_ids[]", needs[1].uuidString.lowercased()),
                ("wards[]", "14131"), ("deadline_date", deadlineDay), ("deadline_time", "17:30"),
            ], headers: staff)
            #expect(posted == .seeOther)
            let link = try #require(location)
            #expect(link.hasPrefix("/theme-calls/"))
            let id = try #require(UUID(uuidString: String(link.dropFirst("/theme-calls/".count))))
            let row = try #require(try await app.rows("""
                SELECT title, genre, status, domains, to_char(deadline AT TIME ZONE 'Asia/Tokyo', 'YYYY-MM-DD HH24:MI') AS jst
                FROM theme_calls WHERE id = \(id)
                """).first)
            #expect(try row.get("title", as: String.self) == "介護予防の通いの場づくり")
            #expect(try row.get("status", as: String.self) == "open")
            #expect(try row.get("domains", as: [String].self) == ["prevention"])
            #expect(try row.get("jst", as: String.self) == "\(deadlineDay) 17:30")
            #expect(try await app.count("SELECT count(*)::int FROM theme_call_needs WHERE theme_call_id = \(id)") == 2)
            #expect(try await app.count("SELECT count(*)::int FROM theme_call_wards WHERE theme_call_id = \(id) AND ward_code = '14131'") == 1)
            #expect(try await app.count("""
                SELECT count(*)::int FROM audit_records WHERE action = 'theme_call.publish' AND entity_id = \(id.uuidString.lowercased())
                """) == 1)
            // The needs are now being matched, and the call's page shows it.
            #expect(try await app.count("SELECT count(*)::int FROM needs WHERE id = ANY(\(needs)) AND status = 'matching'") == 2)
            let (shown, _, html) = try await app.get(link, headers: staff)
            #expect(shown == .ok)
            #expect(html.contains("介護予防の通いの場づくり"))
        }
    }

    @Test func aThemeCallWithProblemsShowsTheFormAgainWithWhatWasTyped() async throws {
        try await withTestApp { app in
            let staff = try await app.signedIn(as: Demo.staff)
            let before = try await app.count("SELECT count(*)::int FROM theme_calls")
            let need = try await app.rows("SELECT id FROM needs WHERE status = 'open' ORDER BY id LIMIT 1").first!
                .get("id", as: UUID.self).uuidString.lowercased()
            // No title, a past deadline; the genre, the need and the ward chosen stay.
            let (status, location, html) = try await app.postFormPairs("/theme-calls", [
                ("title", "  "), ("genre", "見守り"), ("need_ids[]", need), ("wards[]", "14137"),
                ("deadline_date", Self.day(-3)), ("deadline_time", "09:00"),
            ], headers: staff)
            #expect(status == .unprocessableEntity)
            #expect(location == nil)
            #expect(try XHTML(html).fieldErrorProblems() == [], "each error is tied to its field for screen readers")
            #expect(html.contains("<html lang=\"ja\">"))
            #expect(html.contains("募集名を入力してください。"))
            #expect(html.contains("締切は今より後の日時にしてください。"))
            #expect(html.contains("value=\"見守り\""))
            #expect(html.contains("value=\"\(need)\" checked=\"checked\""))
            #expect(html.contains("value=\"14137\" checked=\"checked\""))
            #expect(html.contains("value=\"\(Self.day(-3))\""))
            // No need chosen and a date that does not exist.
            let (again, _, second) = try await app.postFormPairs("/theme-calls", [
                ("title", "移動支援"), ("genre", "交通"), ("deadline_date", "2027-02-30"), ("deadline_time", "10:00"),
            ], headers: staff)
            #expect(again == .unprocessableEntity)
            #expect(second.contains("対象の地域ニーズを1件以上選んでください。"))
            #expect(second.contains("締切の日付（年-月-日）と時刻（時:分）が正しくありません。"))
            #expect(second.contains("value=\"移動支援\""))
            // Nothing was written.
            #expect(try await app.count("SELECT count(*)::int FROM theme_calls") == before)
            #expect(try await app.count("SELECT count(*)::int FROM audit_records WHERE action = 'theme_call.publish'") == 0)
        }
    }

    @Test func membersCannotPublishThemeCalls() async throws {
        try await withTestApp { app in
            let member = try await app.signedIn(as: Demo.member)
            let before = try await app.count("SELECT count(*)::int FROM theme_calls")
            let need = try await app.rows("SELECT id FROM needs WHERE status = 'open' ORDER BY id LIMIT 1").first!
                .get("id", as: UUID.self).uuidString.lowercased()
            let (status, _, _) = try await app.postFormPairs("/theme-calls", [
                ("title", "移動支援"), ("genre", "交通"), ("need_ids[]", need),
                ("deadline_date", Self.day(10)), ("deadline_time", "17:00"),
            ], headers: member)
            #expect(status == .forbidden)
            #expect(try await app.count("SELECT count(*)::int FROM theme_calls") == before)
        }
    }

    // MARK: Events

    @Test func staffCreateAnEventFromTheListPage() async throws {
        try await withTestApp { app in
            let (staff, member, _, _) = try await app.demoSessions()
            let (status, _, page) = try await app.get("/events", headers: staff)
            #expect(status == .ok)
            _ = try XHTML(page)
            #expect(page.contains("method=\"post\" action=\"/events\""))
            Self.expectLabelledInputs(page)
            let (_, _, memberPage) = try await app.get("/events", headers: member)
            #expect(!memberPage.contains("method=\"post\" action=\"/events\""))

            let day = Self.day(20)
            let group = DemoData.id("w001")
            let (posted, location, _) = try await app.postForm("/events", [
                "kind": "wg_meeting", "title": "あさおの保健室 定例会", "description": "次回の健康チェックの段取り",
                "starts_date": day, "starts_time": "14:00", "ends_time": "16:00", "place": "麻生区役所 会議室",
                "working_group_id": group.uuidString.lowercased(),
            ], headers: staff)
            #expect(posted == .seeOther)
            let link = try #require(location)
            #expect(link.hasPrefix("/events/"))
            let id = try #require(UUID(uuidString: String(link.dropFirst("/events/".count))))
            let row = try #require(try await app.rows("""
                SELECT kind, title, place, working_group_id,
                       to_char(starts_at AT TIME ZONE 'Asia/Tokyo', 'YYYY-MM-DD HH24:MI') AS starts,
                       to_char(ends_at AT TIME ZONE 'Asia/Tokyo', 'YYYY-MM-DD HH24:MI') AS ends
                FROM events WHERE id = \(id)
                """).first)
            #expect(try row.get("kind", as: String.self) == "wg_meeting")
            #expect(try row.get("place", as: String.self) == "麻生区役所 会議室")
            #expect(try row.get("working_group_id", as: UUID?.self) == group)
            #expect(try row.get("starts", as: String.self) == "\(day) 14:00")
            #expect(try row.get("ends", as: String.self) == "\(day) 16:00")
            #expect(try await app.count("""
                SELECT count(*)::int FROM audit_records WHERE action = 'event.create' AND entity_id = \(id.uuidString.lowercased())
                """) == 1)
            let (shown, _, html) = try await app.get(link, headers: member)
            #expect(shown == .ok)
            #expect(html.contains("あさおの保健室 定例会"))
        }
    }

    @Test func anEventWithProblemsShowsTheFormAgainWithWhatWasTyped() async throws {
        try await withTestApp { app in
            let staff = try await app.signedIn(as: Demo.staff)
            let before = try await app.count("SELECT count(*)::int FROM events")
            // A working-group meeting without its group, no title, and an end before the start.
            let (status, location, html) = try await app.postForm("/events", [
                "kind": "wg_meeting", "title": "", "starts_date": Self.day(5), "starts_time": "15:00", "ends_time": "13:00",
                "place": "高津市民館",
            ], headers: staff)
            #expect(status == .unprocessableEntity)
            #expect(location == nil)
            #expect(try XHTML(html).fieldErrorProblems() == [], "each error is tied to its field for screen readers")
            #expect(html.contains("名称を入力してください。"))
            #expect(html.contains("終了は開始より後の日時にしてください。"))
            #expect(html.contains("WG会議にはワーキンググループを選んでください。"))
            #expect(html.contains("value=\"高津市民館\""))
            #expect(html.contains("<option value=\"wg_meeting\" selected=\"selected\">"))
            #expect(html.contains("value=\"15:00\""))
            // No start at all.
            let (again, _, second) = try await app.postForm("/events", ["kind": "study_session", "title": "勉強会"], headers: staff)
            #expect(again == .unprocessableEntity)
            #expect(second.contains("開始の日付と時刻を入力してください。"))
            #expect(second.contains("value=\"勉強会\""))
            #expect(try await app.count("SELECT count(*)::int FROM events") == before)
            #expect(try await app.count("SELECT count(*)::int FROM audit_records WHERE action = 'event.create'") == 0)
        }
    }

    @Test func membersCannotCreateEvents() async throws {
        try await withTestApp { app in
            let (_, member, member2, _) = try await app.demoSessions()
            let before = try await app.count("SELECT count(*)::int FROM events")
            for headers in [member, member2] {
                let (status, _, _) = try await app.postForm("/events", [
                    "kind": "study_session", "title": "勉強会", "starts_date": Self.day(5), "starts_time": "10:00",
                ], headers: headers)
                #expect(status == .forbidden)
            }
            #expect(try await app.count("SELECT count(*)::int FROM events") == before)
        }
    }

    // MARK: Forming a group from an accepted proposal

    @Test func staffFormAnOpenTypeGroupFromTheReviewPageOfAnAcceptedProposal() async throws {
        try await withTestApp { app in
            let staff = try await app.signedIn(as: Demo.staff)
            // p009 is accepted and has no group yet; p001 already formed w001; p013 is only submitted.
            let p009 = DemoData.id("p009").uuidString.lowercased()
            let (status, _, page) = try await app.get("/review/\(p009)", headers: staff)
            #expect(status == .ok)
            _ = try XHTML(page)
            #expect(page.contains("action=\"/review/\(p009)/working-group\""))
            Self.expectLabelledInputs(page)
            let (_, _, formed) = try await app.get("/review/\(DemoData.id("p001").uuidString.lowercased())", headers: staff)
            #expect(!formed.contains("/working-group\""))
            #expect(formed.contains("/working-groups/\(DemoData.id("w001").uuidString.lowercased())"))
            let (_, _, submitted) = try await app.get("/review/\(DemoData.id("p013").uuidString.lowercased())", headers: staff)
            #expect(!submitted.contains("/working-group\""))

            let (posted, location, _) = try await app.postForm("/review/\(p009)/working-group", [
                "title": "王禅寺の買い物支援WG", "started_on": "2026-12-01",
                "local_participants": "王禅寺地区社会福祉協議会\n王禅寺町内会", "note": "提案者と初回打合せ済み",
            ], headers: staff)
            #expect(posted == .seeOther)
            let link = try #require(location)
            #expect(link.hasPrefix("/working-groups/"))
            let id = try #require(UUID(uuidString: String(link.dropFirst("/working-groups/".count))))
            let row = try #require(try await app.rows("""
                SELECT type, title, stage, origin_proposal_id, started_on::text AS started FROM working_groups WHERE id = \(id)
                """).first)
            #expect(try row.get("type", as: String.self) == "open")
            #expect(try row.get("title", as: String.self) == "王禅寺の買い物支援WG")
            #expect(try row.get("stage", as: String.self) == "forming")
            #expect(try row.get("origin_proposal_id", as: UUID?.self) == DemoData.id("p009"))
            #expect(try row.get("started", as: String.self) == "2026-12-01")
            let roles = try await app.rows("""
                SELECT role FROM working_group_participants WHERE working_group_id = \(id) ORDER BY role
                """).map { try $0.get("role", as: String.self) }
            #expect(roles == ["coordinator", "lead", "local", "local"])
            #expect(try await app.count("""
                SELECT count(*)::int FROM working_group_stage_history WHERE working_group_id = \(id) AND note = '提案者と初回打合せ済み'
                """) == 1)
            #expect(try await app.count("""
                SELECT count(*)::int FROM audit_records WHERE action = 'working_group.create' AND entity_id = \(id.uuidString.lowercased())
                """) == 1)
            // The review page now links the group and offers no second forming; posting again is refused.
            let (_, _, after) = try await app.get("/review/\(p009)", headers: staff)
            _ = try XHTML(after)
            #expect(after.contains(link))
            #expect(!after.contains("action=\"/review/\(p009)/working-group\""))
            let (again, _, refused) = try await app.postForm("/review/\(p009)/working-group",
                                                             ["title": "二つ目", "started_on": "2026-12-01"], headers: staff)
            #expect(again == .conflict)
            _ = try XHTML(refused)
            #expect(refused.contains("既にワーキンググループが組成されています"))
            #expect(try await app.count("SELECT count(*)::int FROM working_groups WHERE origin_proposal_id = \(DemoData.id("p009"))") == 1)
        }
    }

    @Test func formingAGroupWithProblemsShowsTheFormAgainWithWhatWasTyped() async throws {
        try await withTestApp { app in
            let staff = try await app.signedIn(as: Demo.staff)
            let p009 = DemoData.id("p009").uuidString.lowercased()
            let before = try await app.count("SELECT count(*)::int FROM working_groups")
            let (status, location, html) = try await app.postForm("/review/\(p009)/working-group", [
                "title": "", "started_on": "2026-02-30", "local_participants": "王禅寺町内会", "note": "初回の打合せ予定",
            ], headers: staff)
            #expect(status == .unprocessableEntity)
            #expect(location == nil)
            #expect(try XHTML(html).fieldErrorProblems() == [], "each error is tied to its field for screen readers")
            #expect(html.contains("ワーキンググループ名を入力してください。"))
            #expect(html.contains("開始日を 年-月-日 の形で正しく入力してください。"))
            #expect(html.contains(">王禅寺町内会</textarea>"))
            #expect(html.contains(">初回の打合せ予定</textarea>"))
            #expect(html.contains("value=\"2026-02-30\""))
            #expect(try await app.count("SELECT count(*)::int FROM working_groups") == before)
            #expect(try await app.count("SELECT count(*)::int FROM audit_records WHERE action = 'working_group.create'") == 0)
        }
    }

    @Test func membersCannotFormGroupsFromTheReviewPage() async throws {
        try await withTestApp { app in
            let (_, member, member2, _) = try await app.demoSessions()
            let before = try await app.count("SELECT count(*)::int FROM working_groups")
            for headers in [member, member2] {
                let (status, _, _) = try await app.postForm("/review/\(DemoData.id("p009").uuidString.lowercased())/working-group",
                                                            ["title": "WG", "started_on": "2026-12-01"], headers: headers)
                #expect(status == .forbidden)
            }
            #expect(try await app.count("SELECT count(*)::int FROM working_groups") == before)
        }
    }
}

extension Application {
    /// Posts a URL-encoded form whose fields may repeat (checkbox lists), as a browser does.
    func postFormPairs(_ path: String, _ pairs: [(String, String)], headers: HTTPHeaders) async throws -> (HTTPStatus, String?, String) {
        let safe = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")
        func encode(_ text: String) -> String { text.addingPercentEncoding(withAllowedCharacters: safe) ?? text }
        let body = pairs.map { "\(encode($0.0))=\(encode($0.1))" }.joined(separator: "&")
        var result: (HTTPStatus, String?, String)?
        try await testing().test(.POST, path, headers: headers, beforeRequest: { request in
            request.headers.contentType = .urlEncodedForm
            request.body = ByteBuffer(string: body)
        }, afterResponse: { response async in
            result = (response.status, response.headers.first(name: .location), response.body.string)
        })
        return result!
    }
}
