import Foundation
import Testing
import Vapor
import VaporTesting
@testable import App

@Suite("Who sees which proposal")
struct ProposalVisibilityTests {
    @Test func membersSeeTheirOwnStaffSeeSubmittedOthersSeeOnlyAcceptedSummaries() async throws {
        try await withTestApp { app in
            let a = try await app.signedIn(as: Demo.member)
            let b = try await app.signedIn(as: Demo.member2)
            let staff = try await app.signedIn(as: Demo.staff)
            let draft = try await app.draft(a, title: "A の下書き")
            let submitted = try await app.draft(a, title: "A の提出済み")
            try await app.force(submitted, to: .submitted)
            let accepted = try await app.draft(a, title: "A の採択済み", body: "非公開の本文")
            try await app.force(accepted, to: .accepted)

            for id in [draft, submitted, accepted] {
                #expect(try await app.get("/api/v1/proposals/\(id)", headers: a).0 == .ok)
            }
            // Another organisation: 404 for anything not accepted, the summary only for accepted.
            #expect(try await app.get("/api/v1/proposals/\(draft)", headers: b).0 == .notFound)
            #expect(try await app.get("/api/v1/proposals/\(submitted)", headers: b).0 == .notFound)
            let summary = try await app.get("/api/v1/proposals/\(accepted)", headers: b)
            #expect(summary.0 == .ok)
            #expect(summary.2.contains("A の採択済み"))
            #expect(!summary.2.contains("非公開の本文") && !summary.2.contains("resources_offered") && !summary.2.contains("history"))
            // Staff: every submitted one, never a draft.
            #expect(try await app.get("/api/v1/proposals/\(draft)", headers: staff).0 == .notFound)
            #expect(try await app.get("/api/v1/proposals/\(submitted)", headers: staff).0 == .ok)
            // Anonymous: sign in first.
            #expect(try await app.get("/api/v1/proposals/\(submitted)").0 == .unauthorized)
            #expect(try await app.get("/api/v1/proposals").0 == .unauthorized)
            // An id that does not exist looks exactly like one that is not yours.
            let missing = try await app.get("/api/v1/proposals/\(UUID())", headers: b)
            let hidden = try await app.get("/api/v1/proposals/\(draft)", headers: b)
            #expect(missing.0 == hidden.0 && missing.2 == hidden.2)
            // Others cannot edit or move it either, and learn nothing.
            #expect(try await app.send(.PATCH, "/api/v1/proposals/\(draft)", headers: b, json: ["title": "x"]).status == .notFound)
            #expect(try await app.send(.POST, "/api/v1/proposals/\(draft)/transitions", headers: b, json: ["to": "withdrawn"]).status == .notFound)

            // Lists.
            let own = try await app.getJSON("/api/v1/proposals?per_page=200", as: ListBody<ProposalBody>.self, headers: a).1
            #expect(Set(own.items.map(\.id)).isSuperset(of: [draft, submitted, accepted]))
            let memberA = try #require(own.items.first?.memberId)
            #expect(own.items.allSatisfy { $0.memberId == memberA })
            let bList = try await app.getJSON("/api/v1/proposals?per_page=200", as: ListBody<ProposalBody>.self, headers: b).1
            #expect(bList.items.allSatisfy { $0.memberId != memberA })
            let staffList = try await app.getJSON("/api/v1/proposals?per_page=200", as: ListBody<ProposalBody>.self, headers: staff).1
            #expect(staffList.items.contains { $0.id == submitted })
            #expect(!staffList.items.contains { $0.id == draft })
            #expect(staffList.items.allSatisfy { $0.status != "draft" })
            let drafts = try await app.count("SELECT count(*)::int FROM proposals WHERE submitted_at IS NULL")
            let all = try await app.count("SELECT count(*)::int FROM proposals")
            #expect(staffList.total == all - drafts)
        }
    }

    @Test func everyStaffReadOfAProposalIsAudited() async throws {
        try await withTestApp { app in
            let a = try await app.signedIn(as: Demo.member)
            let staff = try await app.signedIn(as: Demo.staff)
            let id = try await app.draft(a)
            try await app.force(id, to: .submitted)
            _ = try await app.get("/api/v1/proposals/\(id)", headers: staff)
            _ = try await app.get("/review/\(id)", headers: staff)
            _ = try await app.get("/api/v1/proposals/\(id)", headers: a)
            let rows = try await app.rows("""
                SELECT actor_role, actor_user_id, request_id FROM audit_records
                WHERE action = 'proposal.read' AND entity = 'proposal' AND entity_id = \(id.uuidString.lowercased())
                """)
            #expect(rows.count == 2)
            let staffID = try await app.userID(Demo.staff)
            #expect(try rows.allSatisfy { try $0.get("actor_role", as: String.self) == "staff" && $0.get("actor_user_id", as: UUID?.self) == staffID })
        }
    }

    /// Unique markers in organisation B's draft and submitted proposals never reach organisation A,
    /// through any list, detail or page.
    @Test func canaryMarkersOfAnotherOrganisationNeverLeak() async throws {
        try await withTestApp { app in
            let a = try await app.signedIn(as: Demo.member)
            let b = try await app.signedIn(as: Demo.member2)
            let draftMarker = "CANARY-DRAFT-\(UUID().uuidString)"
            let submittedMarker = "CANARY-SUBMITTED-\(UUID().uuidString)"
            let draft = try await app.draft(b, title: draftMarker, body: draftMarker)
            let submitted = try await app.draft(b, title: submittedMarker, body: submittedMarker)
            try await app.force(submitted, to: .submitted)
            var paths = ["/api/v1/proposals?per_page=200", "/portal", "/review", "/members", "/needs", "/",
                         "/api/v1/proposals/\(draft)", "/api/v1/proposals/\(submitted)",
                         "/portal/proposals/\(draft)", "/portal/proposals/\(submitted)", "/review/\(submitted)",
                         "/api/v1/audit-records", "/admin/audit"]
            for status in ProposalStatus.codes { paths.append("/api/v1/proposals?status=\(status)") }
            for path in paths {
                for headers in [a, HTTPHeaders()] {
                    let (_, _, body) = try await app.get(path, headers: headers)
                    #expect(!body.contains(draftMarker) && !body.contains(submittedMarker), "\(path)")
                }
            }
        }
    }
}
