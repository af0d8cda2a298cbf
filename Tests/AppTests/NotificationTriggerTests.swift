import Foundation
import Testing
import Vapor
import VaporTesting
@testable import App

/// The four causes of a notification: each reaches exactly the right users, never another
/// organisation's, and a change that fails or rolls back leaves no notification and no e-mail.
@Suite("Notification triggers")
struct NotificationTriggerTests {
    @Test func aProposalsStatusChangeNotifiesTheProposingOrganisationsUsersOnly() async throws {
        try await withTestApp { app in
            let a = try await app.signedIn(as: Demo.member)
            let staff = try await app.signedIn(as: Demo.staff)
            let memberA = try await app.memberID(of: Demo.member)
            let userA = try await app.userID(Demo.member)
            let colleague = try await app.addMemberUser("colleague@a.example", member: memberA)
            let userB = try await app.userID(Demo.member2)
            let staffUser = try await app.userID(Demo.staff)
            let id = try await app.draft(a, title: "歩いて通える体操教室")
            let before = try await app.notificationCount()

            // Given A submits its own proposal, then only A's colleague hears of it (A did it).
            let submitted = try await app.send(.POST, "/api/v1/proposals/\(id)/transitions", headers: a, json: ["to": "submitted"])
            #expect(submitted.status == .ok)
            #expect(try await app.notifications(of: userA).isEmpty)
            let first = try await app.notifications(of: colleague)
            #expect(first.count == 1)
            #expect(first.first?.kind == "proposal_status")
            #expect(first.first?.params == ["proposal_id": id.uuidString.lowercased(), "title": "歩いて通える体操教室",
                                            "from": "draft", "to": "submitted"])

            // When staff take it into review, both of A's users are told; B and staff are not.
            let review = try await app.send(.POST, "/api/v1/proposals/\(id)/transitions", headers: staff, json: ["to": "in_review"])
            #expect(review.status == .ok)
            #expect(try await app.notifications(of: userA).map { $0.params["to"] } == ["in_review"])
            #expect(try await app.notifications(of: colleague).map { $0.params["to"] } == ["submitted", "in_review"])
            #expect(try await app.notifications(of: userB).isEmpty)
            #expect(try await app.notifications(of: staffUser).isEmpty)
            #expect(try await app.notificationCount() == before + 3)
            // Immediate e-mail is the default: one outbox row per notification, to the user's address.
            #expect(try await app.outbox(of: userA).map(\.recipient) == [Demo.member])
            #expect(try await app.outbox(of: colleague).count == 2)
            #expect(try await app.outbox(of: userB).isEmpty)

            // A refused move (409) leaves nothing behind.
            let outboxBefore = try await app.outboxCount()
            let illegal = try await app.send(.POST, "/api/v1/proposals/\(id)/transitions", headers: a, json: ["to": "submitted"])
            #expect(illegal.status == .conflict)
            let forbidden = try await app.send(.POST, "/api/v1/proposals/\(id)/transitions", headers: a, json: ["to": "accepted"])
            #expect(forbidden.status == .forbidden)
            #expect(try await app.notificationCount() == before + 3)
            #expect(try await app.outboxCount() == outboxBefore)
        }
    }

    @Test func selectedApplicantsOfAThemeCallAreNotifiedAndNobodyElse() async throws {
        try await withTestApp { app in
            let staff = try await app.signedIn(as: Demo.staff)
            // t001's deadline has passed; m055 and m112 applied and were not selected for the first groups.
            let m055a = try await app.addMemberUser("a@m055.example", member: DemoData.id("m055"))
            let m055b = try await app.addMemberUser("b@m055.example", member: DemoData.id("m055"))
            let m112 = try await app.addMemberUser("a@m112.example", member: DemoData.id("m112"))
            let m115 = try await app.addMemberUser("a@m115.example", member: DemoData.id("m115"))  // applied earlier, not now
            let userA = try await app.userID(Demo.member)
            let before = try await app.notificationCount()

            // A refused forming (the open call t003 is still before its deadline) notifies nobody.
            try await app.keepDemoCallsOpen()
            let early = try await app.sendJSON(.POST, "/api/v1/working-groups", json: [
                "origin": "theme_call", "theme_call_id": demoID("t003"), "member_ids": [demoID("m074")],
            ], headers: staff)
            #expect(early.status == .conflict)
            #expect(try await app.notificationCount() == before)

            let reply = try await app.sendJSON(.POST, "/api/v1/working-groups", json: [
                "origin": "theme_call", "theme_call_id": demoID("t001"), "title": "買い物支援WG",
                "member_ids": [demoID("m055"), demoID("m112")], "lead_member_id": demoID("m112"),
            ], headers: staff)
            #expect(reply.status == .created)
            let group = try #require(reply.object["id"] as? String).lowercased()
            let callTitle = try await app.rows("SELECT title FROM theme_calls WHERE id = \(DemoData.id("t001"))").first!
                .get("title", as: String.self)
            for user in [m055a, m055b, m112] {
                let got = try await app.notifications(of: user)
                #expect(got.map(\.kind) == ["theme_call_selected"])
                #expect(got.first?.params == ["theme_call_id": DemoData.id("t001").uuidString.lowercased(), "title": callTitle,
                                              "working_group_id": group, "group": "買い物支援WG"])
            }
            #expect(try await app.notifications(of: m115).isEmpty)
            #expect(try await app.notifications(of: userA).isEmpty)
            #expect(try await app.notificationCount() == before + 3)
        }
    }

    @Test func aStageChangeNotifiesTheUsersOfEveryOrganisationInTheGroup() async throws {
        try await withTestApp { app in
            let staff = try await app.signedIn(as: Demo.staff)
            // w001: m001 (member A) leads, m062 and m084 take part; m002 (member B) is not in it.
            let userA = try await app.userID(Demo.member)
            let m062 = try await app.addMemberUser("a@m062.example", member: DemoData.id("m062"))
            let m084 = try await app.addMemberUser("a@m084.example", member: DemoData.id("m084"), locale: "en")
            let userB = try await app.userID(Demo.member2)
            let staffUser = try await app.userID(Demo.staff)
            let before = try await app.notificationCount()

            let illegal = try await app.sendJSON(.POST, "/api/v1/working-groups/\(demoID("w001"))/stage",
                                                 json: ["to": "forming"], headers: staff)
            #expect(illegal.status == .conflict)
            #expect(try await app.notificationCount() == before)

            let moved = try await app.sendJSON(.POST, "/api/v1/working-groups/\(demoID("w001"))/stage",
                                               json: ["to": "reviewing", "note": "振り返り"], headers: staff)
            #expect(moved.status == .ok)
            for user in [userA, m062, m084] {
                let got = try await app.notifications(of: user)
                #expect(got.map(\.kind) == ["working_group_stage"])
                #expect(got.first?.params["from"] == "piloting")
                #expect(got.first?.params["to"] == "reviewing")
                #expect(got.first?.params["working_group_id"] == DemoData.id("w001").uuidString.lowercased())
            }
            #expect(try await app.notifications(of: userB).isEmpty)
            #expect(try await app.notifications(of: staffUser).isEmpty)
            #expect(try await app.notificationCount() == before + 3)
            // The e-mail is kept in the recipient's own language.
            #expect(try await app.rows("SELECT locale FROM email_outbox WHERE user_id = \(m084)").first?.get("locale", as: String.self) == "en")
        }
    }

    @Test func aStageChangeThatRollsBackLeavesNoNotificationOrEmail() async throws {
        try await withTestApp { app in
            struct Abandoned: Error {}
            let before = (try await app.notificationCount(), try await app.outboxCount())
            await #expect(throws: Abandoned.self) {
                try await app.database.transaction { connection -> Void in
                    try await WorkingGroups.changeStage(DemoData.id("w001"), to: .reviewing, note: "", actor: .system,
                                                        on: connection, logger: app.logger)
                    // The notifications exist inside the transaction …
                    let inside = try await connection.query("SELECT count(*)::int FROM notifications", logger: app.logger)
                        .collect().first!.decode(Int.self)
                    #expect(inside > before.0)
                    throw Abandoned()
                }
            }
            // … and are gone with it.
            #expect(try await app.notificationCount() == before.0)
            #expect(try await app.outboxCount() == before.1)
            #expect(try await app.rows("SELECT stage FROM working_groups WHERE id = \(DemoData.id("w001"))").first?
                .get("stage", as: String.self) == "piloting")
        }
    }

    @Test func aPublishedThemeCallReachesActiveOrganisationsWorkingInItsDomains() async throws {
        try await withTestApp { app in
            let staff = try await app.signedIn(as: Demo.staff)
            let userA = try await app.userID(Demo.member)   // m001: prevention, participation
            let userB = try await app.userID(Demo.member2)  // m002: participation, daily_life
            // m004 works in prevention too, but is inactive: it hears nothing.
            let inactive = try await app.addMemberUser("a@m004.example", member: DemoData.id("m004"))
            try await app.execute("UPDATE members SET status = 'inactive' WHERE id = \(DemoData.id("m004"))")
            let needs = try await app.rows("""
                SELECT id FROM needs WHERE domain = 'prevention' AND status = 'open' ORDER BY id LIMIT 1
                """).map { try $0.get("id", as: UUID.self).uuidString }
            let deadline = ISO8601DateFormatter().string(from: Date().addingTimeInterval(10 * 24 * 3600))
            let before = try await app.notificationCount()

            let refused = try await app.sendJSON(.POST, "/api/v1/theme-calls", json: [
                "title": "介護予防の通いの場づくり", "genre": "運動・体操教室", "need_ids": needs, "deadline": "2020-01-01T00:00:00Z",
            ], headers: staff)
            #expect(refused.status == .unprocessableEntity)
            #expect(try await app.notificationCount() == before)

            let published = try await app.sendJSON(.POST, "/api/v1/theme-calls", json: [
                "title": "介護予防の通いの場づくり", "genre": "運動・体操教室", "need_ids": needs, "deadline": deadline,
                "domains": ["prevention"],
            ], headers: staff)
            #expect(published.status == .created, "\(published.text)")
            let call = try #require(published.object["id"] as? String).lowercased()
            let got = try await app.notifications(of: userA)
            #expect(got.map(\.kind) == ["theme_call_published"])
            #expect(got.first?.params["theme_call_id"] == call)
            #expect(got.first?.params["genre"] == "運動・体操教室")
            #expect(try await app.notifications(of: userB).isEmpty)
            #expect(try await app.notifications(of: inactive).isEmpty)
            #expect(try await app.notifications(of: try await app.userID(Demo.staff)).isEmpty)
            // Exactly the users of active member organisations of the council with prevention among their domains.
            let expected = try await app.count("""
                SELECT count(*)::int FROM users u JOIN members m ON m.id = u.member_id
                WHERE u.active AND m.status = 'active' AND 'prevention' = ANY(m.domains)
                """)
            #expect(expected >= 1)
            #expect(try await app.notificationCount() == before + expected)
        }
    }
}
