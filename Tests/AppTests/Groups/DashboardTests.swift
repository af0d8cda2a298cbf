import Foundation
import Testing
import Vapor
@testable import App

@Suite("Staff dashboard")
struct DashboardTests {
    @Test func numbersComeFromTheDatabase() async throws {
        try await withTestApp { app in
            let staff = try await app.signedIn(as: "staff@demo.tsunagu.example")
            let reply = try await app.sendJSON(.GET, "/api/v1/dashboard", headers: staff)
            #expect(reply.status == .ok)
            func counts(_ key: String) -> [String: Int] {
                (reply.object[key] as? [[String: Any]] ?? []).reduce(into: [:]) { $0[$1["code"] as? String ?? ""] = $1["count"] as? Int }
            }
            // Hand-counted from Resources/Seed/demo/proposals.json and working_groups.json.
            #expect(counts("proposals_by_status") == ["accepted": 12, "submitted": 7, "in_review": 6, "returned": 4, "draft": 4,
                                                      "declined": 3, "withdrawn": 3])
            #expect(counts("groups_by_stage") == BoardTests.byStage)
            #expect(counts("groups_by_type") == ["open": 8, "theme": 4])
            for domain in DomainCode.codes {
                let expected = try await app.count("SELECT count(*)::int FROM proposals WHERE \(domain) = ANY(domains)")
                #expect(counts("proposals_by_domain")[domain] == expected)
            }
            // The median, computed here from the raw days.
            let days = try await app.rows("""
                SELECT EXTRACT(EPOCH FROM ((SELECT min(at) FROM working_group_stage_history h WHERE h.working_group_id = w.id)
                                           - p.submitted_at))::float8 / 86400 AS days
                FROM working_groups w JOIN proposals p ON p.id = w.origin_proposal_id
                """).map { try $0.get("days", as: Double.self) }.sorted()
            #expect(days.count == 8)
            let median = (days[3] + days[4]) / 2
            let reported = try #require(reply.object["median_days_proposal_to_group"] as? Double)
            #expect(abs(reported - median) < 0.001)
            #expect(reply.object["groups_from_proposals"] as? Int == 8)
            let support = reply.object["support_by_item"] as? [[String: Any]] ?? []
            let supportTotal = try await app.count("SELECT count(*)::int FROM support_provided")
            #expect(support.reduce(0) { $0 + ($1["total"] as? Int ?? 0) } == supportTotal)
            let doneSharing = try await app.count(
                "SELECT count(*)::int FROM support_provided WHERE item = 'needs_sharing' AND status = 'done'")
            #expect(support.first { $0["item"] as? String == "needs_sharing" }?["done"] as? Int == doneSharing)

            let (status, _, html) = try await app.get("/dashboard", headers: staff)
            #expect(status == .ok)
            let document = try XHTML(html)
            let shown = try #require(document.text(of: "strong", class: "big-number median-days").first)
            #expect(shown == SVGCanvas.number((median * 10).rounded() / 10))
            #expect(html.contains("<svg"))
            #expect(html.contains(">12</text>")) // accepted proposals, written next to their bar
        }
    }

    @Test func theDashboardIsForStaff() async throws {
        try await withTestApp { app in
            let member = try await app.signedIn(as: "member@demo.tsunagu.example")
            #expect(try await app.sendJSON(.GET, "/api/v1/dashboard", headers: member).status == .forbidden)
            let (status, _, _) = try await app.get("/dashboard", headers: member)
            #expect(status == .forbidden)
        }
    }
}
