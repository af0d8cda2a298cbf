import Foundation
import Testing
import Vapor
@testable import App

/// Forming a working group from each of its three origins, and the refusals.
@Suite("Forming working groups")
struct FormingTests {
    @Test func anAcceptedProposalFormsAnOpenTypeGroupLedByItsMember() async throws {
        try await withTestApp { app in
            try await app.keepDemoCallsOpen()
            let staff = try await app.signedIn(as: "staff@demo.tsunagu.example")
            // p009 is accepted and has no group yet (麻生区, daily_life, asks for two support items).
            let reply = try await app.sendJSON(.POST, "/api/v1/working-groups",
                                           json: ["origin": "proposal", "proposal_id": demoID("p009"),
                                                  "local_participants": ["王禅寺地区社会福祉協議会"]], headers: staff)
            #expect(reply.status == .created)
            let group = reply.object
            #expect(group["type"] as? String == "open")
            #expect(group["stage"] as? String == "forming")
            #expect(group["wards"] as? [String] == ["麻生区"])
            #expect(group["domains"] as? [String] == ["daily_life"])
            #expect(group["origin_proposal_id"] as? String == demoID("p009"))
            #expect(group["lead_member_id"] as? String == demoID("m090"))
            let roles = (group["participants"] as? [[String: Any]] ?? []).compactMap { $0["role"] as? String }
            #expect(roles == ["lead", "coordinator", "local"])
            let support = (group["support"] as? [[String: Any]] ?? []).compactMap { $0["item"] as? String }
            #expect(support == ["stakeholder_coordination", "partner_matching"])
            #expect((group["support"] as? [[String: Any]])?.allSatisfy { $0["status"] as? String == "requested" } == true)
            let history = group["stage_history"] as? [[String: Any]] ?? []
            #expect(history.count == 1 && history.first?["to_stage"] as? String == "forming")
            let id = try #require(group["id"] as? String)
            #expect(try await app.count("SELECT count(*)::int FROM audit_records WHERE action = 'working_group.create' AND entity_id = \(id.lowercased())") == 1)

            // A proposal forms one group only.
            let again = try await app.sendJSON(.POST, "/api/v1/working-groups",
                                           json: ["origin": "proposal", "proposal_id": demoID("p009")], headers: staff)
            #expect(again.status == .conflict)
            #expect(again.errorCode == "already_formed")
        }
    }

    @Test func aProposalThatIsNotAcceptedCannotFormAGroup() async throws {
        try await withTestApp { app in
            try await app.keepDemoCallsOpen()
            let staff = try await app.signedIn(as: "staff@demo.tsunagu.example")
            let reply = try await app.sendJSON(.POST, "/api/v1/working-groups",
                                           json: ["origin": "proposal", "proposal_id": demoID("p013")], headers: staff)
            #expect(reply.status == .conflict)
            #expect(reply.errorCode == "proposal_not_accepted")
            #expect(try await app.count("SELECT count(*)::int FROM working_groups") == 12)
        }
    }

    @Test func onlyStaffFormGroups() async throws {
        try await withTestApp { app in
            try await app.keepDemoCallsOpen()
            let member = try await app.signedIn(as: "member@demo.tsunagu.example")
            let reply = try await app.sendJSON(.POST, "/api/v1/working-groups",
                                           json: ["origin": "proposal", "proposal_id": demoID("p009")], headers: member)
            #expect(reply.status == .forbidden)
        }
    }

    @Test func aThemeCallsSelectedApplicantsFormAThemeTypeGroupInOneStep() async throws {
        try await withTestApp { app in
            try await app.keepDemoCallsOpen()
            let staff = try await app.signedIn(as: "staff@demo.tsunagu.example")
            // t001's deadline has passed; m055 and m112 applied and were not selected for the first groups.
            let reply = try await app.sendJSON(.POST, "/api/v1/working-groups", json: [
                "origin": "theme_call", "theme_call_id": demoID("t001"),
                "member_ids": [demoID("m055"), demoID("m112")], "lead_member_id": demoID("m112"),
            ], headers: staff)
            #expect(reply.status == .created)
            let group = reply.object
            #expect(group["type"] as? String == "theme")
            #expect(group["origin_theme_call_id"] as? String == demoID("t001"))
            #expect(group["lead_member_id"] as? String == demoID("m112"))
            #expect(Set(group["wards"] as? [String] ?? []) == ["多摩区", "高津区", "宮前区"])
            #expect(Set(group["need_ids"] as? [String] ?? []) == [demoID("n038"), demoID("n030"), demoID("n053")])
            let statuses = try await app.rows("""
                SELECT member_id, status FROM theme_call_applications
                WHERE theme_call_id = \(DemoData.id("t001")) AND member_id IN (\(DemoData.id("m055")), \(DemoData.id("m112")))
                """).map { try $0.get("status", as: String.self) }
            #expect(statuses == ["selected", "selected"])
            #expect(try await app.rows("SELECT status FROM theme_calls WHERE id = \(DemoData.id("t001"))").first!
                .get("status", as: String.self) == "formed")
            // Its needs are now being worked on.
            #expect(try await app.count("""
                SELECT count(*)::int FROM needs WHERE id IN (\(DemoData.id("n038")), \(DemoData.id("n030")), \(DemoData.id("n053")))
                AND status IN ('open', 'matching')
                """) == 0)
        }
    }

    @Test func aThemeCallFormsOnlyFromItsApplicantsAndOnlyAfterItsDeadline() async throws {
        try await withTestApp { app in
            try await app.keepDemoCallsOpen()
            let staff = try await app.signedIn(as: "staff@demo.tsunagu.example")
            // t003 is still open (deadline 2026-12-20).
            let early = try await app.sendJSON(.POST, "/api/v1/working-groups", json: [
                "origin": "theme_call", "theme_call_id": demoID("t003"), "member_ids": [demoID("m074")],
            ], headers: staff)
            #expect(early.status == .conflict)
            #expect(early.errorCode == "theme_call_deadline_not_passed")
            // m001 never applied to t001.
            let stranger = try await app.sendJSON(.POST, "/api/v1/working-groups", json: [
                "origin": "theme_call", "theme_call_id": demoID("t001"), "member_ids": [demoID("m001")],
            ], headers: staff)
            #expect(stranger.status == .unprocessableEntity)
            #expect(stranger.errorField == "member_ids")
            let none = try await app.sendJSON(.POST, "/api/v1/working-groups", json: [
                "origin": "theme_call", "theme_call_id": demoID("t001"), "member_ids": [String](),
            ], headers: staff)
            #expect(none.status == .unprocessableEntity)
            // Nothing was written by the refusals.
            #expect(try await app.count("SELECT count(*)::int FROM working_groups") == 12)
            #expect(try await app.count("SELECT count(*)::int FROM theme_call_applications WHERE status = 'selected'") == 6)
        }
    }

    /// Inserts a finished round with one pair and a decision on it; returns the decision's id.
    static func acceptedPair(_ app: Application, kind: String, candidate: UUID, need: UUID, decision: String = "accepted") async throws -> UUID {
        let round = UUID()
        let decisionID = UUID()
        let council = StableID.cityCouncil
        try await app.database.client.query("""
            INSERT INTO matching_rounds (id, council_id, candidates_kind, status, weight_set_name, weight_set_version, weights, engine_version)
            VALUES (\(round), \(council), \(kind), 'completed', 'default', '1', '{}'::jsonb, 'test')
            """)
        try await app.database.client.query("""
            INSERT INTO matching_pairs (round_id, need_id, candidate_id, rank, score, contributions)
            VALUES (\(round), \(need), \(candidate), 1, 0.9, '{}'::jsonb)
            """)
        try await app.database.client.query("""
            INSERT INTO matching_decisions (id, council_id, round_id, need_id, candidate_id, decision)
            VALUES (\(decisionID), \(council), \(round), \(need), \(candidate), \(decision))
            """)
        return decisionID
    }

    @Test func anAcceptedMatchingPairOfAMemberFormsAThemeTypeGroupOnItsNeed() async throws {
        try await withTestApp { app in
            try await app.keepDemoCallsOpen()
            let staff = try await app.signedIn(as: "staff@demo.tsunagu.example")
            let decision = try await Self.acceptedPair(app, kind: "members", candidate: DemoData.id("m010"), need: DemoData.id("n032"))
            let reply = try await app.sendJSON(.POST, "/api/v1/working-groups",
                                           json: ["origin": "matching_pair", "decision_id": decision.uuidString], headers: staff)
            #expect(reply.status == .created)
            let group = reply.object
            #expect(group["type"] as? String == "theme")
            #expect(group["lead_member_id"] as? String == demoID("m010"))
            #expect(group["need_ids"] as? [String] == [demoID("n032")])
            #expect(group["wards"] as? [String] == ["高津区"])
            #expect((group["district_ids"] as? [String])?.count == 1)
            #expect(group["origin_round_id"] != nil)
            let id = try #require(group["id"] as? String)
            let linked = try await app.rows("SELECT working_group_id FROM matching_decisions WHERE id = \(decision)").first!
                .get("working_group_id", as: UUID?.self)
            #expect(linked?.uuidString == id)
            let twice = try await app.sendJSON(.POST, "/api/v1/working-groups",
                                           json: ["origin": "matching_pair", "decision_id": decision.uuidString], headers: staff)
            #expect(twice.status == .conflict)
        }
    }

    @Test func anAcceptedMatchingPairOfAProposalFormsAnOpenTypeGroup() async throws {
        try await withTestApp { app in
            try await app.keepDemoCallsOpen()
            let decision = try await Self.acceptedPair(app, kind: "proposals", candidate: DemoData.id("p010"), need: DemoData.id("n010"))
            // The matching work calls the creation function directly, inside its own transaction.
            let id = try await app.database.transaction { connection in
                try await WorkingGroups.create(WorkingGroupDraft(origin: .matchingDecision(decision)), actor: .system,
                                               on: connection, logger: app.logger)
            }
            let group = try #require(try await WorkingGroupQueries.detail(id, showConfidential: true, on: app.database))
            #expect(group.type == "open")
            #expect(group.originProposalId == DemoData.id("p010"))
            #expect(group.leadMemberId == DemoData.id("m058"))
            #expect(group.needIds == [DemoData.id("n010")])
            #expect(group.domains.contains("prevention"))
        }
    }

    @Test func aHeldOrRejectedPairFormsNothing() async throws {
        try await withTestApp { app in
            try await app.keepDemoCallsOpen()
            let staff = try await app.signedIn(as: "staff@demo.tsunagu.example")
            let held = try await Self.acceptedPair(app, kind: "members", candidate: DemoData.id("m011"), need: DemoData.id("n033"),
                                                   decision: "held")
            let reply = try await app.sendJSON(.POST, "/api/v1/working-groups",
                                           json: ["origin": "matching_pair", "decision_id": held.uuidString], headers: staff)
            #expect(reply.status == .conflict)
            #expect(reply.errorCode == "pair_not_accepted")
        }
    }
}
