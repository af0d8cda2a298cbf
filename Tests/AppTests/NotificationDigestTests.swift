import Foundation
import Testing
import Vapor
import VaporTesting
@testable import App

/// The daily digest: one e-mail per digest user with what arrived since the last one, never a
/// notification twice, never what was already mailed before the user switched to the digest.
@Suite("Notifications: daily digest")
struct NotificationDigestTests {
    func moveW001(_ app: Application, to stage: String) async throws {
        let staff = try await app.signedIn(as: Demo.staff)
        let moved = try await app.sendJSON(.POST, "/api/v1/working-groups/\(demoID("w001"))/stage", json: ["to": stage],
                                           headers: staff)
        #expect(moved.status == .ok, "\(moved.text)")
    }

    func digests(of user: UUID, _ app: Application) async throws -> [[UUID]] {
        let outboxes = try await app.rows("""
            SELECT id FROM email_outbox WHERE user_id = \(user) AND kind = 'digest' ORDER BY created_at, id
            """).map { try $0.get("id", as: UUID.self) }
        var result: [[UUID]] = []
        for outbox in outboxes {
            result.append(try await app.rows("""
                SELECT d.notification_id FROM notification_digest_items d JOIN notifications n ON n.id = d.notification_id
                WHERE d.outbox_id = \(outbox) ORDER BY n.created_at, n.id
                """).map { try $0.get("notification_id", as: UUID.self) })
        }
        return result
    }

    @Test func aDigestGroupsWhatArrivedSinceTheLastOneAndNeverRepeats() async throws {
        try await withTestApp { app in
            let a = try await app.signedIn(as: Demo.member)
            let userA = try await app.userID(Demo.member)
            let userB = try await app.userID(Demo.member2)
            // Mailed at once, before A chose the digest: not in any digest.
            try await moveW001(app, to: "reviewing")
            #expect(try await app.outbox(of: userA).map(\.kind) == ["notification"])
            let saved = try await app.send(.POST, "/notifications/preferences", headers: a, form: ["email_mode": "daily_digest"])
            #expect(saved.status == .seeOther)

            try await moveW001(app, to: "piloting")
            try await moveW001(app, to: "reviewing")
            // Digest users get no e-mail at once.
            #expect(try await app.outbox(of: userA).map(\.kind) == ["notification"])
            #expect(try await NotificationDigest.composeAll(on: app.database) == 1)
            let all = try await app.notifications(of: userA)
            #expect(all.count == 3)
            #expect(try await digests(of: userA, app) == [[all[1].id, all[2].id]])
            // Nothing new: no second digest, and the same notifications are never sent again.
            #expect(try await NotificationDigest.composeAll(on: app.database) == 0)
            #expect(try await digests(of: userA, app).count == 1)

            try await moveW001(app, to: "piloting")
            #expect(try await NotificationDigest.composeAll(on: app.database) == 1)
            let latest = try await app.notifications(of: userA).last!.id
            #expect(try await digests(of: userA, app) == [[all[1].id, all[2].id], [latest]])
            #expect(try await digests(of: userB, app).isEmpty)
            #expect(try await app.count("""
                SELECT count(*)::int FROM email_outbox WHERE kind = 'digest' AND user_id IS DISTINCT FROM \(userA)
                """) == 0)
            // The digest reads as one e-mail listing both changes, in A's language.
            let staff = try await app.signedIn(as: Demo.staff)
            let (_, _, page) = try await app.get("/staff/outbox", headers: staff)
            #expect(page.contains("【つなぐ】 本日のお知らせ 2件"))
            #expect(page.contains("・ワーキンググループ「"))
        }
    }

    @Test func theDigestEmailArrivesThroughARealServer() async throws {
        try await withTestApp { app in
            // Started once the test holds its database slot: waiting for one can take minutes.
            let sink = try await SMTPSink.start()
            defer { sink.stop() }
            let a = try await app.signedIn(as: Demo.member)
            _ = try await app.send(.POST, "/notifications/preferences", headers: a, form: ["email_mode": "daily_digest"])
            try await moveW001(app, to: "reviewing")
            try await moveW001(app, to: "piloting")
            #expect(try await NotificationDigest.composeAll(on: app.database) == 1)
            let summary = try await OutboxDelivery.deliverDue(settings: sink.settings(), localizer: app.localizer,
                                                              publicURL: nil, on: app.database)
            #expect(summary.sent >= 1)
            let digest = try #require(try await sink.messages(atLeast: 1).first { ($0["rcpt_tos"] as? [String]) == [Demo.member] })
            #expect(digest["subject"] as? String == "【つなぐ】 本日のお知らせ 2件")
            let body = try #require(digest["body"] as? String).unixLines
            #expect(body.contains("「実践中」から「振り返り」に変わりました。"))
            #expect(body.contains("「振り返り」から「実践中」に変わりました。"))
        }
    }

    @Test func theScheduledRunHappensOncePerTokyoDayAndTheCommandRunsItNow() async throws {
        try await withTestApp { app in
            let a = try await app.signedIn(as: Demo.member)
            _ = try await app.send(.POST, "/notifications/preferences", headers: a, form: ["email_mode": "daily_digest"])
            try await moveW001(app, to: "reviewing")
            // Hour 0 has always come: the first call runs today's digest, any later one (another
            // instance, or the next poll) finds it done.
            #expect(try await NotificationDigest.runIfDue(hour: 0, on: app.database) == 1)
            #expect(try await NotificationDigest.runIfDue(hour: 0, on: app.database) == nil)
            #expect(try await app.count("SELECT count(*)::int FROM notification_digest_runs") == 1)

            try await moveW001(app, to: "piloting")
            let result = try await runTsunagu(["notifications", "digest"], databaseURL: app.config.databaseURL)
            #expect(result.status == 0, "\(result.output)")
            #expect(result.output.contains("1 digest e-mails queued"))
            #expect(try await app.count("SELECT count(*)::int FROM email_outbox WHERE kind = 'digest'") == 2)
            let again = try await runTsunagu(["notifications", "digest"], databaseURL: app.config.databaseURL)
            #expect(again.output.contains("0 digest e-mails queued"))
        }
    }
}
