import Foundation
import Testing
import Vapor
import VaporTesting
@testable import App

/// Reading notifications: the page, the header's unread count, marking read, the API and its
/// documented shape, and the outbox staff see when no SMTP server is configured.
@Suite("Notifications: reading")
struct NotificationReadingTests {
    /// Two notifications for member A (a stage change of w001, then a proposal decision), the
    /// way users get them.
    func twoNotificationsForMemberA(_ app: Application) async throws {
        let staff = try await app.signedIn(as: Demo.staff)
        let moved = try await app.sendJSON(.POST, "/api/v1/working-groups/\(demoID("w001"))/stage",
                                           json: ["to": "reviewing"], headers: staff)
        #expect(moved.status == .ok)
        let a = try await app.signedIn(as: Demo.member)
        let id = try await app.draft(a, title: "見守り付きの配食")
        try await app.force(id, to: .submitted)
        #expect(try await app.send(.POST, "/api/v1/proposals/\(id)/transitions", headers: staff,
                                   json: ["to": "in_review"]).status == .ok)
    }

    @Test func thePageListsNewestFirstMarksUnreadInWordsAndMarksReadWithCSRF() async throws {
        try await withTestApp { app in
            try await twoNotificationsForMemberA(app)
            let a = try await app.signedIn(as: Demo.member)
            let userA = try await app.userID(Demo.member)

            // The header of any page shows the unread count in words, not by colour alone.
            let (_, _, board) = try await app.get("/board", headers: a)
            #expect(board.contains("未読 2件"))
            let (status, _, page) = try await app.get("/notifications", headers: a)
            #expect(status == .ok)
            let proposal = try #require(page.range(of: "提案「見守り付きの配食」の状況が「提出済み」から「審査中」に変わりました。"))
            let stage = try #require(page.range(of: "の段階が「実践中」から「振り返り」に変わりました。"))
            #expect(proposal.lowerBound < stage.lowerBound, "newest first")
            #expect(page.components(separatedBy: "class=\"notification notification-unread\"").count - 1 == 2)
            #expect(page.components(separatedBy: ">未読</span>").count - 1 == 2)

            let stored = try await app.notifications(of: userA)
            let oldest = try #require(stored.first)
            // Without the CSRF token the form is refused.
            var noToken = a
            noToken.remove(name: "X-CSRF-Token")
            #expect(try await app.send(.POST, "/notifications/\(oldest.id)/read", headers: noToken, form: [:]).status == .forbidden)
            // Another user cannot touch it: not found, and it stays unread.
            let b = try await app.signedIn(as: Demo.member2)
            #expect(try await app.send(.POST, "/notifications/\(oldest.id)/read", headers: b, form: [:]).status == .notFound)
            #expect(try await app.notifications(of: userA).filter(\.read).isEmpty)

            let read = try await app.send(.POST, "/notifications/\(oldest.id)/read", headers: a, form: ["page": "1"])
            #expect(read.status == .seeOther)
            #expect(read.headers.first(name: .location) == "/notifications")
            #expect(try await app.notifications(of: userA).map(\.read) == [true, false])
            let (_, _, after) = try await app.get("/notifications", headers: a)
            #expect(after.contains("未読 1件"))
            #expect(after.components(separatedBy: ">既読</span>").count - 1 == 1)

            let all = try await app.send(.POST, "/notifications/read-all", headers: a, form: [:])
            #expect(all.status == .seeOther)
            #expect(try await app.notifications(of: userA).allSatisfy(\.read))
            let (_, _, none) = try await app.get("/board", headers: a)
            #expect(!none.contains("unread-badge"))
            // In English, the same notifications read in English.
            var english = a
            english.replaceOrAdd(name: .cookie, value: (a.first(name: .cookie) ?? "") + "; tsunagu_lang=en")
            let (_, _, en) = try await app.get("/notifications", headers: english)
            #expect(en.contains("moved from Submitted to In review."))
            #expect(en.contains("Your proposal &quot;見守り付きの配食&quot;"))
        }
    }

    @Test func theAPIMatchesItsOpenAPISchemaAndMarksRead() async throws {
        try await withTestApp { app in
            try await twoNotificationsForMemberA(app)
            let a = try await app.signedIn(as: Demo.member)
            let reply = try await app.sendJSON(.GET, "/api/v1/notifications?per_page=1", headers: a)
            #expect(reply.status == .ok)
            let body = reply.object
            #expect(body["total"] as? Int == 2)
            #expect(body["unread_count"] as? Int == 2)
            #expect(body["per_page"] as? Int == 1)
            #expect(reply.items.count == 1)

            // Every key is documented, every required key is present, the kind is a documented code.
            let document = try JSONSerialization.jsonObject(
                with: Data(contentsOf: URL(fileURLWithPath: TestPaths.root + "Resources/openapi.json"))) as? [String: Any]
            let schemas = try #require((document?["components"] as? [String: Any])?["schemas"] as? [String: Any])
            let pageSchema = try #require(schemas["NotificationPage"] as? [String: Any])
            let itemSchema = try #require(schemas["Notification"] as? [String: Any])
            func check(_ object: [String: Any], against schema: [String: Any]) {
                let properties = Set((schema["properties"] as? [String: Any] ?? [:]).keys)
                let required = Set(schema["required"] as? [String] ?? [])
                #expect(Set(object.keys).isSubset(of: properties), "undocumented: \(Set(object.keys).subtracting(properties))")
                #expect(required.isSubset(of: Set(object.keys)), "missing: \(required.subtracting(object.keys))")
            }
            check(body, against: pageSchema)
            let item = try #require(reply.items.first)
            check(item, against: itemSchema)
            let kinds = ((itemSchema["properties"] as? [String: Any])?["kind"] as? [String: Any])?["enum"] as? [String]
            #expect(kinds?.contains(item["kind"] as? String ?? "") == true)
            #expect(Set(kinds ?? []) == Set(NotificationKind.allCases.map(\.rawValue)))
            // Newest first: the proposal decision came last.
            #expect(item["kind"] as? String == "proposal_status")
            #expect((item["link"] as? String)?.hasPrefix("/portal/proposals/") == true)
            #expect(item["read"] as? Bool == false)
            #expect((item["text"] as? String)?.contains("見守り付きの配食") == true)
            var acceptEnglish = a
            acceptEnglish.add(name: .acceptLanguage, value: "en")
            let english = try await app.sendJSON(.GET, "/api/v1/notifications?per_page=1", headers: acceptEnglish)
            #expect((english.items.first?["text"] as? String)?.hasPrefix("Your proposal") == true)

            let id = try #require(item["id"] as? String)
            #expect(try await app.sendJSON(.POST, "/api/v1/notifications/\(id)/read", headers: a).status == .noContent)
            let b = try await app.signedIn(as: Demo.member2)
            #expect(try await app.sendJSON(.POST, "/api/v1/notifications/\(id)/read", headers: b).status == .notFound)
            let after = try await app.sendJSON(.GET, "/api/v1/notifications", headers: a)
            #expect(after.object["unread_count"] as? Int == 1)
            #expect(after.items.first?["read"] as? Bool == true)
            #expect(after.items.first?["read_at"] is String)
            #expect(try await app.sendJSON(.POST, "/api/v1/notifications/read-all", headers: a).status == .noContent)
            #expect(try await app.sendJSON(.GET, "/api/v1/notifications", headers: a).object["unread_count"] as? Int == 0)
            // Member B has none of A's.
            #expect(try await app.sendJSON(.GET, "/api/v1/notifications", headers: b).object["total"] as? Int == 0)
            #expect(try await app.sendJSON(.GET, "/api/v1/notifications?per_page=500", headers: a).status == .badRequest)
        }
    }

    @Test func withoutSMTPEmailsWaitInTheOutboxThatStaffRead() async throws {
        try await withTestApp { app in
            try await twoNotificationsForMemberA(app)
            let userA = try await app.userID(Demo.member)
            #expect(try await app.outbox(of: userA).map(\.status) == ["pending", "pending"])
            #expect(try await app.outbox(of: userA).allSatisfy { $0.recipient == Demo.member && $0.kind == "notification" })
            let staff = try await app.signedIn(as: Demo.staff)
            let (status, _, page) = try await app.get("/staff/outbox", headers: staff)
            #expect(status == .ok)
            #expect(page.contains("送信サーバー（SMTP）が設定されていない"))
            #expect(page.contains(Demo.member))
            #expect(page.contains("【つなぐ】 提案「見守り付きの配食」の状況が変わりました"))
            let (_, _, sent) = try await app.get("/staff/outbox?status=sent", headers: staff)
            #expect(!sent.contains(Demo.member))
            #expect(try await app.get("/staff/outbox?status=bogus", headers: staff).0 == .badRequest)
            #expect(try await app.get("/staff/outbox", headers: try await app.signedIn(as: Demo.member)).0 == .forbidden)
        }
    }

    @Test func theEmailChoiceDecidesWhetherAnEmailIsQueuedAtOnce() async throws {
        try await withTestApp { app in
            let a = try await app.signedIn(as: Demo.member)
            let userA = try await app.userID(Demo.member)
            #expect(try await app.sendJSON(.GET, "/api/v1/notifications/preferences", headers: a).object["email_mode"] as? String
                    == "immediate")
            let bad = try await app.send(.POST, "/notifications/preferences", headers: a, form: ["email_mode": "hourly"])
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.body.contains("メールの受け取り方は immediate・daily_digest・none のいずれかです（指定: hourly）"))
            let saved = try await app.send(.POST, "/notifications/preferences", headers: a, form: ["email_mode": "none"])
            #expect(saved.status == .seeOther)
            let (_, _, page) = try await app.get("/notifications?saved=1", headers: a)
            #expect(page.contains("value=\"none\" checked=\"checked\""))
            try await twoNotificationsForMemberA(app)
            // In-app notifications always arrive; no e-mail is queued.
            #expect(try await app.notifications(of: userA).count == 2)
            #expect(try await app.outbox(of: userA).isEmpty)
            let api = try await app.sendJSON(.PUT, "/api/v1/notifications/preferences", json: ["email_mode": "daily_digest"],
                                             headers: a)
            #expect(api.status == .ok)
            #expect(api.object["email_mode"] as? String == "daily_digest")
            #expect(try await app.sendJSON(.PUT, "/api/v1/notifications/preferences", json: ["email_mode": "x"],
                                           headers: a).errorField == "email_mode")
            #expect(try await app.count("SELECT count(*)::int FROM audit_records WHERE action = 'notification.preferences'") == 2)
        }
    }

    @Test func everyKindHasItsTextsInBothLanguages() throws {
        let localizer = try Localizer.load(from: TestPaths.root + "Resources/Localization/")
        for language in UILanguage.allCases {
            let keys = Set(localizer.table(language).keys)
            for kind in NotificationKind.allCases {
                #expect(keys.contains("notify_text_" + kind.rawValue))
                #expect(keys.contains("notify_subject_" + kind.rawValue))
            }
            for code in EmailMode.codes { #expect(keys.contains("notify_mode_" + code)) }
            for code in OutboxPage.statuses { #expect(keys.contains("outbox_status_" + code)) }
            for code in ["notification", "digest"] { #expect(keys.contains("outbox_kind_" + code)) }
        }
        // Values that contain a slot's own name are filled once, never again.
        let item = NotificationItem(id: UUID(), kind: .workingGroupStage,
                                    params: ["title": "{to}", "from": "active", "to": "piloting", "working_group_id": "x"],
                                    readAt: nil, createdAt: Date())
        #expect(NotificationText.text(item, in: .ja, localizer: localizer) == "ワーキンググループ「{to}」の段階が「活動中」から「実践中」に変わりました。")
    }
}
