import Foundation
import Testing
import Vapor
import VaporTesting
@testable import App

/// The keyword box on proposals (API `q`, the review queue): two-character Japanese words and
/// half-width/full-width spellings find the same proposals, and a search never widens what the
/// viewer may see.
@Suite("Proposal search")
struct ProposalSearchTests {
    struct Item: Decodable { var id: UUID; var title: String }

    func search(_ app: Application, _ q: String, as headers: HTTPHeaders, path: String = "/api/v1/proposals") async throws
        -> ListBody<Item> {
        try await app.getJSON(encoded("\(path)?q=\(q)&per_page=200"), as: ListBody<Item>.self, headers: headers).1
    }

    @Test func aMemberFindsItsOwnProposalByAWordInTheBodyInEitherWidth() async throws {
        try await withTestApp { app in
            let member = try await app.signedIn(as: Demo.member)
            // Given a draft whose body alone holds 見守り and a half-width ｽﾏﾎ教室
            let id = try await app.draft(member, title: "地域の集い", body: "見守り活動と連携したｽﾏﾎ教室を開きます。")
            // Then two characters of the word, and the full-width spelling, both find it
            #expect(try await search(app, "見守", as: member).items.map(\.id).contains(id))
            #expect(try await search(app, "スマホ", as: member).items.map(\.id).contains(id))
            #expect(try await search(app, "ｽﾏﾎ", as: member).items.map(\.id).contains(id))
            // and a word it does not hold does not.
            #expect(!(try await search(app, "囲碁", as: member).items.map(\.id).contains(id)))
            // Another member searching the same word never sees it.
            let other = try await app.signedIn(as: Demo.member2)
            #expect(!(try await search(app, "見守", as: other).items.map(\.id).contains(id)))
        }
    }

    @Test func staffSearchNarrowsTheQueueToProposalsHoldingTheWord() async throws {
        try await withTestApp { app in
            let staff = try await app.signedIn(as: Demo.staff)
            let all = try await app.getJSON("/api/v1/proposals?per_page=200", as: ListBody<Item>.self, headers: staff).1
            let found = try await search(app, "見守", as: staff)
            #expect(found.total > 0 && found.total < all.total)
            for item in found.items {
                let full = try await app.getJSON("/api/v1/proposals/\(item.id)", as: ProposalBody.self, headers: staff).1
                let text = try await app.rows("SELECT title || summary || body || array_to_string(tags, '') AS t FROM proposals WHERE id = \(item.id)")
                    .first!.get("t", as: String.self)
                #expect(text.contains("見守"), "\(full.title)")
            }
            // LIKE wildcards are literal, and the queue page shows the same search with its box filled in.
            #expect(try await search(app, "%25", as: staff).total == 0)
            let (status, _, html) = try await app.get(encoded("/review?q=見守"), headers: staff)
            #expect(status == .ok)
            #expect(html.contains("name=\"q\" type=\"search\" value=\"見守\""))
            for item in found.items { #expect(html.contains(item.id.uuidString.lowercased())) }
            // Too long a search is a 400 naming q.
            let (longStatus, long) = try await app.getJSON(encoded("/api/v1/proposals?q=" + String(repeating: "あ", count: 101)),
                                                           as: ErrorBody.self, headers: staff)
            #expect(longStatus == .badRequest)
            #expect(long.error.field == "q")
        }
    }
}
