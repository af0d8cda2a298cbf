import Foundation
import Testing
import Vapor
@testable import App

/// Every (from, to) pair of stages, legal and illegal: the rule table, then the API on a real group.
@Suite("Working-group stages")
struct StageRuleTests {
    /// Written out by hand from domain.md and the decisions in WorkingGroupStage+Rules.swift.
    static let legal: Set<String> = [
        "forming>active", "forming>dissolved",
        "active>piloting", "active>dissolved",
        "piloting>reviewing", "piloting>dissolved",
        "reviewing>piloting", "reviewing>completed", "reviewing>dissolved",
    ]

    @Test func theRuleTableAllowsExactlyTheDomainsPath() {
        for from in WorkingGroupStage.allCases {
            for to in WorkingGroupStage.allCases {
                #expect(from.canMove(to: to) == Self.legal.contains("\(from.rawValue)>\(to.rawValue)"), "\(from) → \(to)")
            }
        }
        #expect(WorkingGroupStage.completed.isFinal && WorkingGroupStage.dissolved.isFinal)
    }

    @Test func everyTransitionThroughTheAPIIsRecordedOrRefusedWith409NamingTheStage() async throws {
        try await withTestApp { app in
            let staff = try await app.signedIn(as: "staff@demo.tsunagu.example")
            let group = demoID("w006")
            for from in WorkingGroupStage.allCases {
                for to in WorkingGroupStage.allCases {
                    // Given the group in `from` …
                    try await app.database.client.query(
                        "UPDATE working_groups SET stage = \(from.rawValue) WHERE id = \(DemoData.id("w006"))")
                    let historyBefore = try await app.count(
                        "SELECT count(*)::int FROM working_group_stage_history WHERE working_group_id = \(DemoData.id("w006"))")
                    let auditBefore = try await app.count(
                        "SELECT count(*)::int FROM audit_records WHERE action = 'working_group.stage' AND entity_id = \(group.lowercased())")
                    // … when staff move it to `to` …
                    let reply = try await app.sendJSON(.POST, "/api/v1/working-groups/\(group)/stage",
                                                   json: ["to": to.rawValue, "note": "\(from)→\(to)"], headers: staff)
                    let historyAfter = try await app.count(
                        "SELECT count(*)::int FROM working_group_stage_history WHERE working_group_id = \(DemoData.id("w006"))")
                    let auditAfter = try await app.count(
                        "SELECT count(*)::int FROM audit_records WHERE action = 'working_group.stage' AND entity_id = \(group.lowercased())")
                    let stage = try await app.rows("SELECT stage FROM working_groups WHERE id = \(DemoData.id("w006"))")
                        .first!.get("stage", as: String.self)
                    if Self.legal.contains("\(from.rawValue)>\(to.rawValue)") {
                        // … then a legal move is made, recorded with who, when and the note, and audited.
                        #expect(reply.status == .ok, "\(from) → \(to)")
                        #expect(reply.object["stage"] as? String == to.rawValue)
                        #expect(stage == to.rawValue)
                        #expect(historyAfter == historyBefore + 1)
                        #expect(auditAfter == auditBefore + 1)
                        let last = try await app.rows("""
                            SELECT h.from_stage, h.to_stage, h.note, u.email FROM working_group_stage_history h
                            JOIN users u ON u.id = h.actor_user_id
                            WHERE h.working_group_id = \(DemoData.id("w006")) ORDER BY h.at DESC, h.created_at DESC LIMIT 1
                            """).first!
                        #expect(try last.get("from_stage", as: String.self) == from.rawValue)
                        #expect(try last.get("note", as: String.self) == "\(from)→\(to)")
                        #expect(try last.get("email", as: String.self) == "staff@demo.tsunagu.example")
                    } else {
                        // … and an illegal one is a 409 that names the current stage and changes nothing.
                        #expect(reply.status == .conflict, "\(from) → \(to)")
                        #expect(reply.errorCode == "illegal_stage_transition")
                        #expect(reply.errorMessage?.contains("「\(from.labelJa)」") == true)
                        #expect(stage == from.rawValue)
                        #expect(historyAfter == historyBefore)
                        #expect(auditAfter == auditBefore)
                    }
                }
            }
        }
    }

    @Test func theAgileLoopGoesBackToPilotingAndOnToCompletion() async throws {
        try await withTestApp { app in
            let staff = try await app.signedIn(as: "staff@demo.tsunagu.example")
            let group = demoID("w003") // reviewing
            for to in ["piloting", "reviewing", "piloting", "reviewing", "completed"] {
                let reply = try await app.sendJSON(.POST, "/api/v1/working-groups/\(group)/stage", json: ["to": to], headers: staff)
                #expect(reply.status == .ok, "→ \(to)")
            }
            let after = try await app.sendJSON(.POST, "/api/v1/working-groups/\(group)/stage", json: ["to": "piloting"], headers: staff)
            #expect(after.status == .conflict)
            #expect(after.errorMessage?.contains("完了") == true)
        }
    }

    @Test func onlyStaffAndTheLeadMayChangeTheStage() async throws {
        try await withTestApp { app in
            let (_, member, member2, _) = try await app.demoSessions()
            let group = demoID("w001") // piloting; member@ is the lead organisation (m001)
            let outsider = try await app.sendJSON(.POST, "/api/v1/working-groups/\(group)/stage", json: ["to": "reviewing"], headers: member2)
            #expect(outsider.status == .forbidden)
            let lead = try await app.sendJSON(.POST, "/api/v1/working-groups/\(group)/stage", json: ["to": "reviewing"], headers: member)
            #expect(lead.status == .ok)
            let anonymous = try await app.sendJSON(.POST, "/api/v1/working-groups/\(group)/stage", json: ["to": "piloting"])
            #expect(anonymous.status == .unauthorized)
            let unknown = try await app.sendJSON(.POST, "/api/v1/working-groups/\(group)/stage", json: ["to": "sleeping"], headers: member)
            #expect(unknown.status == .unprocessableEntity)
            #expect(unknown.errorField == "to")
        }
    }
}
