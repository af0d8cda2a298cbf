import Foundation
import Testing
import Vapor
import VaporTesting
@testable import App

struct ProposalBody: Decodable {
    var id: UUID
    var memberId: UUID
    var title: String
    var body: String?
    var status: String
    var history: [History]?
    struct History: Decodable { var from: String?; var to: String; var comment: String }
}

extension Application {
    /// A new draft of the signed-in member, through the API.
    func draft(_ headers: HTTPHeaders, title: String = "歩いて通える体操教室", body: String = "本文") async throws -> UUID {
        let answer = try await send(.POST, "/api/v1/proposals", headers: headers,
                                    json: ["title": AnyEncodable(title), "summary": "概要", "body": AnyEncodable(body),
                                           "domains": ["prevention"], "wards": ["麻生区"], "tags": ["体操"],
                                           "support_menu": ["pr_support"], "resources_offered": ["space"], "track": "regional"])
        #expect(answer.status == .created, "\(answer.body)")
        return try answer.json(ProposalBody.self).id
    }

    /// Puts a proposal straight into `status`, as if it had got there by the workflow.
    func force(_ id: UUID, to status: ProposalStatus) async throws {
        try await execute("""
            UPDATE proposals SET status = \(status.rawValue),
              submitted_at = CASE WHEN \(status.rawValue) = 'draft' THEN NULL ELSE now() - interval '1 day' END
            WHERE id = \(id)
            """)
    }
}

@Suite("Proposal workflow")
struct ProposalWorkflowTests {
    @Test func everyPairOfStatusesIsEitherALegalMoveOrA409NamingTheCurrentStatus() async throws {
        try await withTestApp { app in
            let member = try await app.signedIn(as: Demo.member)
            let staff = try await app.signedIn(as: Demo.staff)
            let id = try await app.draft(member)
            var legal = 0, illegal = 0
            for from in ProposalStatus.allCases {
                for to in ProposalStatus.allCases where to != .draft {
                    try await app.force(id, to: from)
                    let history = try await app.count("SELECT count(*)::int FROM proposal_status_history WHERE proposal_id = \(id)")
                    let audits = try await app.count("SELECT count(*)::int FROM audit_records WHERE entity_id = \(id.uuidString.lowercased()) AND action = 'proposal.transition'")
                    let headers = ProposalWorkflow.actor(for: to) == .owner ? member : staff
                    let answer = try await app.send(.POST, "/api/v1/proposals/\(id)/transitions", headers: headers,
                                                    json: ["to": to.rawValue, "comment": "理由"])
                    let status = try await app.rows("SELECT status FROM proposals WHERE id = \(id)").first!.get("status", as: String.self)
                    let newHistory = try await app.count("SELECT count(*)::int FROM proposal_status_history WHERE proposal_id = \(id)")
                    let newAudits = try await app.count("SELECT count(*)::int FROM audit_records WHERE entity_id = \(id.uuidString.lowercased()) AND action = 'proposal.transition'")
                    if ProposalWorkflow.isAllowed(from: from, to: to) {
                        legal += 1
                        #expect(answer.status == .ok, "\(from) → \(to): \(answer.body)")
                        #expect(status == to.rawValue)
                        #expect(newHistory == history + 1 && newAudits == audits + 1, "\(from) → \(to)")
                    } else if from == .draft && headers == staff {
                        // Staff never see a draft: not found, not "conflict".
                        illegal += 1
                        #expect(answer.status == .notFound, "\(from) → \(to)")
                        #expect(status == from.rawValue && newHistory == history && newAudits == audits)
                    } else {
                        illegal += 1
                        #expect(answer.status == .conflict, "\(from) → \(to)")
                        #expect(answer.errorCode == "illegal_transition")
                        #expect(answer.errorMessage?.contains("「\(from.rawValue)」") == true, "\(answer.body)")
                        #expect(status == from.rawValue && newHistory == history && newAudits == audits)
                    }
                }
            }
            // domain.md: 1 + 1 + 3 + 1 (resubmit) moves, plus withdrawn from the four open states.
            #expect(legal == 10)
            #expect(illegal == 7 * 6 - 10)
        }
    }

    @Test func theWholeStoryDraftSubmitReturnResubmitAccept() async throws {
        try await withTestApp { app in
            let member = try await app.signedIn(as: Demo.member)
            let staff = try await app.signedIn(as: Demo.staff)
            let id = try await app.draft(member)
            func move(_ headers: HTTPHeaders, _ to: String, _ comment: String = "") async throws -> Answer {
                try await app.send(.POST, "/api/v1/proposals/\(id)/transitions", headers: headers, json: ["to": to, "comment": comment])
            }
            #expect(try await move(member, "submitted").status == .ok)
            // Not editable once submitted.
            let locked = try await app.send(.PATCH, "/api/v1/proposals/\(id)", headers: member, json: ["title": "変更"])
            #expect(locked.status == .conflict)
            #expect(try await move(staff, "in_review").status == .ok)
            // A return needs its reason.
            let bare = try await move(staff, "returned")
            #expect(bare.status == .unprocessableEntity && bare.errorField == "comment")
            #expect(try await move(staff, "returned", "対象地区を絞ってください").status == .ok)
            let edited = try await app.send(.PATCH, "/api/v1/proposals/\(id)", headers: member, json: ["title": "対象を高津区に絞った体操教室"])
            #expect(edited.status == .ok)
            #expect(try edited.json(ProposalBody.self).title == "対象を高津区に絞った体操教室")
            #expect(try await move(member, "submitted").status == .ok)
            #expect(try await move(staff, "in_review").status == .ok)
            let accepted = try await move(staff, "accepted", "採択します")
            #expect(accepted.status == .ok)
            let proposal = try accepted.json(ProposalBody.self)
            #expect(proposal.history?.map(\.to) == ["draft", "submitted", "in_review", "returned", "submitted", "in_review", "accepted"])
            #expect(proposal.history?[3].comment == "対象地区を絞ってください")
            #expect(try await app.count("SELECT count(*)::int FROM proposals WHERE id = \(id) AND decided_at IS NOT NULL") == 1)
        }
    }

    @Test func eachSideMakesOnlyItsOwnMoves() async throws {
        try await withTestApp { app in
            let member = try await app.signedIn(as: Demo.member)
            let staff = try await app.signedIn(as: Demo.staff)
            let id = try await app.draft(member)
            // Staff cannot submit (and cannot even see) a draft.
            #expect(try await app.send(.POST, "/api/v1/proposals/\(id)/transitions", headers: staff, json: ["to": "submitted"]).status == .notFound)
            try await app.force(id, to: .submitted)
            let selfReview = try await app.send(.POST, "/api/v1/proposals/\(id)/transitions", headers: member, json: ["to": "in_review"])
            #expect(selfReview.status == .forbidden)
            let staffWithdraw = try await app.send(.POST, "/api/v1/proposals/\(id)/transitions", headers: staff, json: ["to": "withdrawn"])
            #expect(staffWithdraw.status == .forbidden)
            let bad = try await app.send(.POST, "/api/v1/proposals/\(id)/transitions", headers: staff, json: ["to": "approved"])
            #expect(bad.status == .unprocessableEntity && bad.errorField == "to")
            let missing = try await app.send(.POST, "/api/v1/proposals/\(id)/transitions", headers: staff, json: ["comment": "x"])
            #expect(missing.status == .unprocessableEntity && missing.errorField == "to")
        }
    }

    @Test func aWithdrawnDraftWasNeverSubmittedAndStaysOutOfStaffSight() async throws {
        try await withTestApp { app in
            let member = try await app.signedIn(as: Demo.member)
            let staff = try await app.signedIn(as: Demo.staff)
            let id = try await app.draft(member)
            let answer = try await app.send(.POST, "/api/v1/proposals/\(id)/transitions", headers: member, json: ["to": "withdrawn"])
            #expect(answer.status == .ok)
            #expect(try answer.json(ProposalBody.self).history?.map(\.to) == ["draft", "withdrawn"])
            #expect(try await app.count("SELECT count(*)::int FROM proposals WHERE id = \(id) AND submitted_at IS NULL") == 1)
            #expect(try await app.get("/api/v1/proposals/\(id)", headers: staff).0 == .notFound)
        }
    }

    @Test func badInputNamesTheFieldAndWritesNothing() async throws {
        try await withTestApp { app in
            let member = try await app.signedIn(as: Demo.member)
            let before = try await app.count("SELECT count(*)::int FROM proposals")
            let cases: [([String: AnyEncodable], String, HTTPStatus)] = [
                (["domains": ["prevention"]], "title", .unprocessableEntity),
                (["title": AnyEncodable(String(repeating: "長", count: 201)), "domains": ["prevention"]], "title", .unprocessableEntity),
                (["title": "t", "domains": ["health"]], "domains", .unprocessableEntity),
                (["title": "t", "domains": []], "domains", .unprocessableEntity),
                (["title": "t", "domains": ["prevention"], "track": "regionl"], "track", .unprocessableEntity),
                (["title": "t", "domains": ["prevention"], "support_menu": ["money"]], "support_menu", .unprocessableEntity),
                (["title": "t", "domains": ["prevention"], "wards": ["横浜区"]], "wards", .unprocessableEntity),
                (["title": "t", "domains": ["prevention"], "summary": AnyEncodable(String(repeating: "x", count: 1001))], "summary", .unprocessableEntity),
                (["title": 5, "domains": ["prevention"]], "title", .badRequest),
            ]
            for (body, field, status) in cases {
                let answer = try await app.send(.POST, "/api/v1/proposals", headers: member, json: body)
                #expect(answer.status == status, "\(field): \(answer.body)")
                #expect(answer.errorField == field, "\(answer.body)")
            }
            #expect(try await app.count("SELECT count(*)::int FROM proposals") == before)
            // Staff do not write proposals.
            let staff = try await app.signedIn(as: Demo.staff)
            #expect(try await app.send(.POST, "/api/v1/proposals", headers: staff, json: ["title": "t", "domains": ["prevention"]] as [String: AnyEncodable]).status == .forbidden)
        }
    }
}
