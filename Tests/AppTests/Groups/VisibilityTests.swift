import Foundation
import Testing
import Vapor
@testable import App

/// The origin proposal's body is for the group's participants and staff; everyone else reads the
/// public title and summary.
@Suite("Confidential proposal details")
struct VisibilityTests {
    static let bodyStart = "当社のスタジオと相談スペースを月に一度"
    static let summaryStart = "区内のスポーツクラブを会場に"

    @Test func participantsAndStaffReadTheBodyOthersOnlyTheSummary() async throws {
        try await withTestApp { app in
            let (staff, member, member2, _) = try await app.demoSessions()
            let path = "/api/v1/working-groups/\(demoID("w001"))"
            // member@ belongs to m001, the lead of w001; member2@ (m002) takes no part in it.
            for (headers, visible) in [(member, true), (staff, true), (member2, false)] {
                let reply = try await app.sendJSON(.GET, path, headers: headers)
                #expect(reply.status == .ok)
                let proposal = try #require(reply.object["origin_proposal"] as? [String: Any])
                #expect((proposal["summary"] as? String)?.hasPrefix(Self.summaryStart) == true)
                #expect((proposal["body"] as? String)?.hasPrefix(Self.bodyStart) == (visible ? true : nil))
                #expect(reply.object["confidential_visible"] as? Bool == visible)
                #expect(!visible || reply.text.contains(Self.bodyStart))
                #expect(visible || !reply.text.contains(Self.bodyStart))

                let (status, _, html) = try await app.get("/working-groups/\(demoID("w001"))", headers: headers)
                #expect(status == .ok)
                #expect(html.contains(Self.summaryStart))
                #expect(html.contains(Self.bodyStart) == visible)
                #expect(html.contains("参加者と市職員だけが閲覧できます") == !visible)
            }
        }
    }

    @Test func aCoordinatorAddedByUserSeesTheBodyToo() async throws {
        try await withTestApp { app in
            let member2 = try await app.signedIn(as: "member2@demo.tsunagu.example")
            try await app.database.client.query("""
                INSERT INTO working_group_participants (id, council_id, working_group_id, role, member_id)
                VALUES (\(UUID()), \(StableID.cityCouncil), \(DemoData.id("w001")), 'member', \(DemoData.id("m002")))
                """)
            let reply = try await app.sendJSON(.GET, "/api/v1/working-groups/\(demoID("w001"))", headers: member2)
            #expect(reply.object["confidential_visible"] as? Bool == true)
        }
    }

    @Test func workingGroupsAreForSignedInUsersOnly() async throws {
        try await withTestApp { app in
            #expect(try await app.sendJSON(.GET, "/api/v1/working-groups").status == .unauthorized)
            #expect(try await app.sendJSON(.GET, "/api/v1/working-groups/\(demoID("w001"))").status == .unauthorized)
            let (status, _, html) = try await app.get("/board")
            #expect(status == .unauthorized)
            #expect(html.contains("ログインしてください"))
            let member = try await app.signedIn(as: "member@demo.tsunagu.example")
            #expect(try await app.sendJSON(.GET, "/api/v1/working-groups/\(UUID())", headers: member).status == .notFound)
        }
    }
}
