import Foundation
import Testing
import Vapor
import VaporTesting
@testable import App

@Suite("Portal, review and admin pages")
struct AccountPageTests {
    @Test func theMemberPortalFormKeepsWhatWasTypedAndNamesEachProblemInJapanese() async throws {
        try await withTestApp { app in
            let member = try await app.signedIn(as: Demo.member)
            let (status, _, portal) = try await app.get("/portal", headers: member)
            #expect(status == .ok)
            _ = try XHTML(portal)
            #expect(portal.contains("class=\"badge status-accepted\""))
            let (_, _, form) = try await app.get("/portal/proposals/new", headers: member)
            _ = try XHTML(form)

            let typed = try await app.send(.POST, "/portal/proposals", headers: member,
                                           form: ["title": "", "summary": "入力した概要", "tags": "体操, 見守り", "track": "regional"])
            #expect(typed.status == .unprocessableEntity)
            let typedPage = try XHTML(typed.body)
            #expect(typedPage.fieldErrorProblems() == [])
            #expect(typed.body.contains("aria-invalid=\"true\" aria-describedby=\"title-error\""))
            #expect(typed.body.contains("件名を入力してください。"))
            #expect(typed.body.contains("重点連携領域を1つ以上選んでください。"))
            #expect(typed.body.contains(">入力した概要</textarea>"))
            #expect(typed.body.contains("value=\"体操, 見守り\""))

            let created = try await app.send(.POST, "/portal/proposals", headers: member,
                                             form: ["title": "ページから作成", "domains[]": "prevention", "wards[]": "麻生区"])
            #expect(created.status == .seeOther)
            let link = try #require(created.headers.first(name: .location))
            let (_, _, detail) = try await app.get(link, headers: member)
            _ = try XHTML(detail)
            #expect(detail.contains("ページから作成"))
            #expect(detail.contains("class=\"timeline\""))
            let submitted = try await app.send(.POST, link + "/transitions", headers: member, form: ["to": "submitted"])
            #expect(submitted.status == .seeOther)
            let (_, _, after) = try await app.get(link, headers: member)
            #expect(after.contains("status-submitted"))
            let (_, _, profile) = try await app.get("/portal/profile", headers: member)
            _ = try XHTML(profile)
            let saved = try await app.send(.POST, "/portal/profile", headers: member,
                                           form: ["description": "更新した説明", "domains[]": "prevention", "wards[]": "*", "capacity": "3"])
            #expect(saved.status == .seeOther)
            #expect(try await app.count("SELECT count(*)::int FROM members WHERE description = '更新した説明' AND city_wide") == 1)
            let refused = try await app.send(.POST, "/portal/profile", headers: member,
                                             form: ["description": "別の説明", "domains[]": "prevention", "wards[]": "*", "capacity": "多い"])
            #expect(refused.status == .unprocessableEntity)
            #expect(try XHTML(refused.body).fieldErrorProblems() == [])
            #expect(refused.body.contains("aria-invalid=\"true\" aria-describedby=\"capacity-error\""))
        }
    }

    @Test func staffReviewQueueIsOldestFirstAndFiltered() async throws {
        try await withTestApp { app in
            let staff = try await app.signedIn(as: Demo.staff)
            let (status, _, queue) = try await app.get("/review", headers: staff)
            #expect(status == .ok)
            let document = try XHTML(queue)
            let links = document.links.filter { $0.hasPrefix("/review/") }
            let expected = try await app.rows("""
                SELECT id FROM proposals WHERE submitted_at IS NOT NULL ORDER BY submitted_at, id LIMIT 50
                """).map { "/review/" + (try $0.get("id", as: UUID.self)).uuidString.lowercased() }
            #expect(links == expected)
            let (_, _, filtered) = try await app.get("/review?status=in_review&track=regional", headers: staff)
            _ = try XHTML(filtered)
            #expect(filtered.contains("<option value=\"in_review\" selected=\"selected\">"))
            let id = try #require(links.first)
            let (detailStatus, _, detail) = try await app.get(id, headers: staff)
            #expect(detailStatus == .ok)
            _ = try XHTML(detail)
            let member = try await app.signedIn(as: Demo.member)
            #expect(try await app.get("/review", headers: member).0 == .forbidden)
            #expect(try await app.get("/review").0 == .unauthorized)
        }
    }

    @Test func adminPagesCreateDeactivateResetAndShowTheAuditLog() async throws {
        try await withTestApp { app in
            let admin = try await app.signedIn(as: Demo.admin)
            let (status, _, users) = try await app.get("/admin/users", headers: admin)
            #expect(status == .ok)
            _ = try XHTML(users)
            let created = try await app.send(.POST, "/admin/users", headers: admin,
                                             form: ["email": "new.staff@example.org", "role": "staff", "password": "long-enough-pw"])
            #expect(created.status == .seeOther)
            let id = try await app.userID("new.staff@example.org")
            let tooLong = try await app.send(.POST, "/admin/users/\(id)/password", headers: admin,
                                             form: ["password": String(repeating: "パ", count: 25)])
            #expect(tooLong.status == .unprocessableEntity)
            #expect(tooLong.body.contains("72バイト"))
            let reset = try await app.send(.POST, "/admin/users/\(id)/password", headers: admin, form: ["password": "another-good-pw"])
            #expect(reset.status == .seeOther)
            let off = try await app.send(.POST, "/admin/users/\(id)/deactivate", headers: admin)
            #expect(off.status == .seeOther)
            #expect(try await app.count("SELECT count(*)::int FROM users WHERE id = \(id) AND NOT active") == 1)
            let (_, _, audit) = try await app.get("/admin/audit?action=user.deactivate", headers: admin)
            _ = try XHTML(audit)
            #expect(audit.contains(id.uuidString.lowercased()))
            let (_, _, english) = try await app.get("/admin/audit?entity=user", headers: admin.merging(["Cookie": "tsunagu_lang=en"]))
            _ = try XHTML(english)
            let member = try await app.signedIn(as: Demo.member)
            #expect(try await app.get("/admin/users", headers: member).0 == .forbidden)
            #expect(try await app.get("/admin/audit?from=2026-13-01", headers: admin).0 == .badRequest)
        }
    }
}

extension HTTPHeaders {
    /// These headers with `other`'s cookies appended.
    func merging(_ other: HTTPHeaders) -> HTTPHeaders {
        var result = self
        let cookies = (self[.cookie] + other[.cookie]).joined(separator: "; ")
        result.replaceOrAdd(name: .cookie, value: cookies)
        return result
    }
}
