import Foundation
import Testing
import Vapor
@testable import App

/// The board and the working-group list against counts made by hand from
/// Resources/Seed/demo/working_groups.json (12 groups).
@Suite("Status board")
struct BoardTests {
    /// forming w006 w012 · active w004 w009 w010 · piloting w001 w002 · reviewing w003 ·
    /// completed w005 w008 w011 · dissolved w007
    static let byStage = ["forming": 2, "active": 3, "piloting": 2, "reviewing": 1, "completed": 3, "dissolved": 1]
    /// theme-type: w009 w010 (active), w011 (completed), w012 (forming)
    static let themeByStage = ["forming": 1, "active": 2, "piloting": 0, "reviewing": 0, "completed": 1, "dissolved": 0]

    static func columnCounts(_ html: String) throws -> [String: Int] {
        let document = try XHTML(html)
        var counts: [String: Int] = [:]
        let numbers = document.text(of: "span", class: "board-count").compactMap(Int.init)
        for (stage, count) in zip(WorkingGroupStage.codes, numbers) { counts[stage] = count }
        return counts
    }

    @Test func everyGroupIsACardInTheColumnOfItsStage() async throws {
        try await withTestApp { app in
            let member = try await app.signedIn(as: "member2@demo.tsunagu.example")
            let (status, _, html) = try await app.get("/board", headers: member)
            #expect(status == .ok)
            #expect(try Self.columnCounts(html) == Self.byStage)
            let document = try XHTML(html)
            #expect(document.text(of: "strong", class: "board-total") == ["12"])
            #expect(document.text(of: "li", class: "card card-open").count == 8)
            #expect(document.text(of: "li", class: "card card-theme").count == 4)
            // A card tells type, title, lead organisation, wards, stage, days in stage and last activity.
            let w001 = try #require(document.text(of: "li", class: "card card-open").first { $0.contains("スポーツクラブ") })
            #expect(w001.contains("オープン型"))
            #expect(w001.contains("麻生区"))
            #expect(w001.contains("実践中"))
            let days = try await app.count("""
                SELECT ((now() AT TIME ZONE 'Asia/Tokyo')::date - (stage_changed_at AT TIME ZONE 'Asia/Tokyo')::date)::int
                FROM working_groups WHERE id = \(DemoData.id("w001"))
                """)
            #expect(w001.contains("\(days) 日"))
            let lastActivity = try await app.rows("""
                SELECT title FROM working_group_activities WHERE working_group_id = \(DemoData.id("w001"))
                ORDER BY occurred_on DESC, created_at DESC LIMIT 1
                """).first!.get("title", as: String.self)
            #expect(w001.contains(lastActivity))
        }
    }

    @Test func theBoardFiltersByTypeDomainAndWard() async throws {
        try await withTestApp { app in
            let member = try await app.signedIn(as: "member@demo.tsunagu.example")
            let (_, _, theme) = try await app.get("/board?type=theme", headers: member)
            #expect(try Self.columnCounts(theme) == Self.themeByStage)
            #expect(theme.contains("<option value=\"theme\" selected=\"selected\">"))
            // 多摩区: w002 (piloting), w009 (active), w012 (forming).
            let (_, _, tama) = try await app.get(encoded("/board?ward=多摩区"), headers: member)
            #expect(try Self.columnCounts(tama) == ["forming": 1, "active": 1, "piloting": 1, "reviewing": 0, "completed": 0, "dissolved": 0])
            // Domain: checked against independent SQL.
            let (_, _, prevention) = try await app.get("/board?domain=prevention", headers: member)
            let expected = try await app.rows("""
                SELECT s.stage, count(w.id)::int AS n FROM unnest(ARRAY['forming','active','piloting','reviewing','completed','dissolved']) s(stage)
                LEFT JOIN working_groups w ON w.stage = s.stage AND 'prevention' = ANY(w.domains) GROUP BY s.stage
                """).reduce(into: [String: Int]()) { $0[try $1.get("stage")] = try $1.get("n") }
            #expect(try Self.columnCounts(prevention) == expected)
            let (bad, _, _) = try await app.get("/board?stage=x", headers: member)
            #expect(bad == .badRequest)
        }
    }

    @Test func theAPIListFiltersTheSameWay() async throws {
        try await withTestApp { app in
            let member = try await app.signedIn(as: "member@demo.tsunagu.example")
            let all = try await app.sendJSON(.GET, "/api/v1/working-groups", headers: member)
            #expect(all.object["total"] as? Int == 12)
            for (stage, count) in Self.byStage {
                let reply = try await app.sendJSON(.GET, "/api/v1/working-groups?stage=\(stage)", headers: member)
                #expect(reply.object["total"] as? Int == count, "\(stage)")
            }
            let theme = try await app.sendJSON(.GET, "/api/v1/working-groups?type=theme&per_page=2", headers: member)
            #expect(theme.object["total"] as? Int == 4)
            #expect(theme.items.count == 2)
            let tama = try await app.sendJSON(.GET, encoded("/api/v1/working-groups?ward=多摩区"), headers: member)
            #expect(Set(tama.items.compactMap { $0["id"] as? String }) == [demoID("w002"), demoID("w009"), demoID("w012")])
            let bad = try await app.sendJSON(.GET, "/api/v1/working-groups?type=closed", headers: member)
            #expect(bad.status == .badRequest)
            #expect(bad.errorField == "type")
        }
    }
}
