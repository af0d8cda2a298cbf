import Foundation
import Testing
import Vapor
import VaporTesting
@testable import App

@Suite("Matching round pages")
struct RoundPageTests {
    func post(_ app: Application, _ path: String, form: [String: String], headers: HTTPHeaders) async throws -> (HTTPStatus, HTTPHeaders, String) {
        var result: (HTTPStatus, HTTPHeaders, String)?
        try await app.testing().test(.POST, path, headers: headers, beforeRequest: { request in
            try request.content.encode(form, as: .urlEncodedForm)
        }, afterResponse: { response async in
            result = (response.status, response.headers, response.body.string)
        })
        return result!
    }

    @Test func staffStartARoundFromTheFormAndReadItsBreakdown() async throws {
        try await withTestApp { app in
            let staff = try await app.signedIn(as: "staff@demo.tsunagu.example")
            let (status, _, index) = try await app.get("/staff/matching", headers: staff)
            #expect(status == .ok)
            _ = try XHTML(index)
            // The standard weights are shown as defaults.
            #expect(index.contains("name=\"weight_tags\" inputmode=\"decimal\" size=\"6\" value=\"0.25\""))

            let (posted, headers, _) = try await post(app, "/staff/matching", form: ["candidates": "members", "top_l": "20"], headers: staff)
            #expect(posted == .seeOther)
            let location = try #require(headers.first(name: .location))
            #expect(location.hasPrefix("/staff/matching/"))

            let (shown, _, html) = try await app.get(location, headers: staff)
            #expect(shown == .ok)
            let page = try XHTML(html)
            #expect(html.contains("最適割当て（最小費用流）"))
            #expect(html.contains("貪欲法（比較用）"))
            // Each bar carries its numbers as text, not colour alone.
            #expect(html.contains("<li>タグ "))
            #expect(page.links.contains { $0.contains("page=2") })
        }
    }

    @Test func aDecisionFromThePageIsRecordedAndReturnsToTheNeed() async throws {
        try await withTestApp { app in
            let staff = try await app.signedIn(as: "staff@demo.tsunagu.example")
            let round = try await app.runRound()
            let pair = try #require(round.assignment.first)
            let (status, headers, _) = try await post(app, "/staff/matching/\(round.id.uuidString.lowercased())/decisions",
                                                      form: ["candidate_id": pair.candidateId.uuidString, "need_id": pair.needId.uuidString,
                                                             "decision": "held"], headers: staff)
            #expect(status == .seeOther)
            #expect(headers.first(name: .location)?.hasSuffix("#need-\(pair.needId.uuidString.lowercased())") == true)
            #expect(try await app.count("SELECT count(*)::int FROM matching_decisions WHERE decision = 'held'") == 1)
        }
    }

    @Test func aBadWeightShowsTheFormAgainWithTheMessage() async throws {
        try await withTestApp { app in
            let staff = try await app.signedIn(as: "staff@demo.tsunagu.example")
            let (status, _, html) = try await post(app, "/staff/matching", form: ["candidates": "members", "weight_text": "たくさん"], headers: staff)
            #expect(status == .unprocessableEntity)
            _ = try XHTML(html)
            #expect(html.contains("重み「text」は数で入力してください。"))
            // What was typed stays in the field.
            #expect(html.contains("value=\"たくさん\""))
            #expect(try await app.count("SELECT count(*)::int FROM matching_rounds") == 0)
        }
    }

    @Test func membersCannotOpenTheStaffPages() async throws {
        try await withTestApp { app in
            let (status, _, _) = try await app.get("/staff/matching", headers: try await app.signedIn(as: "member@demo.tsunagu.example"))
            #expect(status == .forbidden)
            let (anonymous, _, _) = try await app.get("/staff/matching")
            #expect(anonymous == .unauthorized || anonymous == .seeOther)
        }
    }
}
