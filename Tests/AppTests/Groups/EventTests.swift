import Foundation
import Testing
import Vapor
@testable import App

@Suite("Events")
struct EventTests {
    static func upcomingEvent(_ app: Application, staff: HTTPHeaders, kind: String = "study_session", capacity: Int? = nil) async throws -> String {
        var body: [String: Any] = ["kind": kind, "title": "勉強会「地域の見守り」", "place": "中原区役所",
                                   "starts_at": ISO8601DateFormatter().string(from: Date().addingTimeInterval(7 * 24 * 3600))]
        if let capacity { body["capacity"] = capacity }
        let reply = try await app.sendJSON(.POST, "/api/v1/events", json: body, headers: staff)
        #expect(reply.status == .created)
        return try #require(reply.object["id"] as? String)
    }

    @Test func membersRegisterOnceForUpcomingEventsOnly() async throws {
        try await withTestApp { app in
            let (staff, member, member2, _) = try await app.demoSessions()
            let event = try await Self.upcomingEvent(app, staff: staff, capacity: 1)
            let first = try await app.sendJSON(.POST, "/api/v1/events/\(event)/registrations", headers: member)
            #expect(first.status == .created)
            #expect(first.object["registration_count"] as? Int == 1)
            let again = try await app.sendJSON(.POST, "/api/v1/events/\(event)/registrations", headers: member)
            #expect(again.status == .conflict)
            let full = try await app.sendJSON(.POST, "/api/v1/events/\(event)/registrations", headers: member2)
            #expect(full.status == .conflict)
            #expect(full.errorCode == "event_full")
            let past = try await app.sendJSON(.POST, "/api/v1/events/\(demoID("e001"))/registrations", headers: member2)
            #expect(past.errorCode == "event_past")
            let byStaff = try await app.sendJSON(.POST, "/api/v1/events/\(event)/registrations", headers: staff)
            #expect(byStaff.status == .forbidden)
            // The page says so, and offers no second registration.
            let (_, _, html) = try await app.get("/events/\(event)", headers: member)
            #expect(html.contains("参加登録済みです"))
        }
    }

    @Test func anExchangeMeetingRecordsTheNewCasesItCreated() async throws {
        try await withTestApp { app in
            let (staff, member, _, _) = try await app.demoSessions()
            let reply = try await app.sendJSON(.POST, "/api/v1/events/\(demoID("e007"))/outcomes",
                                           json: ["note": "スーパーとバス会社の買い物支援の相談が始まった", "working_group_id": demoID("w004")],
                                           headers: staff)
            #expect(reply.status == .created)
            let outcomes = reply.object["outcomes"] as? [[String: Any]] ?? []
            #expect(outcomes.count == 1)
            #expect(outcomes.first?["working_group_id"] as? String == demoID("w004"))
            let notExchange = try await app.sendJSON(.POST, "/api/v1/events/\(demoID("e006"))/outcomes",
                                                 json: ["note": "x"], headers: staff)
            #expect(notExchange.status == .conflict)
            let byMember = try await app.sendJSON(.POST, "/api/v1/events/\(demoID("e007"))/outcomes", json: ["note": "x"], headers: member)
            #expect(byMember.status == .forbidden)
            let (_, _, html) = try await app.get("/events/\(demoID("e007"))", headers: member)
            #expect(html.contains("スーパーとバス会社の買い物支援の相談が始まった"))
        }
    }

    @Test func theListAndTheMonthCalendarShowEventsOnTheirJapaneseDays() async throws {
        try await withTestApp { app in
            let member = try await app.signedIn(as: "member@demo.tsunagu.example")
            let all = try await app.sendJSON(.GET, "/api/v1/events", headers: member)
            #expect(all.object["total"] as? Int == 8)
            let exchange = try await app.sendJSON(.GET, "/api/v1/events?kind=exchange_meeting", headers: member)
            #expect(exchange.object["total"] as? Int == 1)
            let (status, _, calendar) = try await app.get("/events/calendar?month=2026-12", headers: member)
            #expect(status == .ok)
            let document = try XHTML(calendar)
            // December 2026 starts on a Tuesday: the first week is a blank Monday, then 1 … 6.
            let firstWeek = try #require(document.collector.rows.dropFirst().first)
            #expect(firstWeek.first == "")
            #expect(firstWeek[1] == "1")
            let tenth = try #require(document.collector.rows.flatMap { $0 }.first { $0.hasPrefix("10") })
            #expect(tenth.contains("第3回 地域包括ケアシステム連絡協議会"))
            #expect(tenth.contains("連絡協議会"))
            #expect(!calendar.contains("交流会「移動と買い物を支える」"))
            #expect(calendar.contains("month=2026-11") && calendar.contains("month=2027-01"))
            let (bad, _, _) = try await app.get("/events/calendar?month=2026-13", headers: member)
            #expect(bad == .badRequest)
        }
    }

    @Test func aWorkingGroupMeetingNeedsItsGroup() async throws {
        try await withTestApp { app in
            let staff = try await app.signedIn(as: "staff@demo.tsunagu.example")
            let reply = try await app.sendJSON(.POST, "/api/v1/events", json: [
                "kind": "wg_meeting", "title": "定例会", "starts_at": "2027-02-01T01:00:00Z",
            ], headers: staff)
            #expect(reply.status == .unprocessableEntity)
            #expect(reply.errorField == "working_group_id")
        }
    }
}
