import Foundation
import Testing
import Vapor
import VaporTesting
@testable import App

/// E-mail through a real SMTP server (aiosmtpd, started per test): the outbox is delivered and
/// marked, Japanese subjects and bodies arrive intact, AUTH PLAIN is used only when configured, and
/// a server that is down only delays the message.
@Suite("E-mail delivery over SMTP")
struct EmailDeliveryTests {
    func stageChangeForMemberA(_ app: Application) async throws -> String {
        let staff = try await app.signedIn(as: Demo.staff)
        let moved = try await app.sendJSON(.POST, "/api/v1/working-groups/\(demoID("w001"))/stage",
                                           json: ["to": "reviewing"], headers: staff)
        #expect(moved.status == .ok)
        return try await app.rows("SELECT title FROM working_groups WHERE id = \(DemoData.id("w001"))").first!.get("title")
    }

    @Test func theOutboxIsDeliveredAndAJapaneseSubjectArrivesIntact() async throws {
        try await withTestApp { app in
            // Started once the test holds its database slot: waiting for one can take minutes.
            let sink = try await SMTPSink.start()
            defer { sink.stop() }
            let title = try await stageChangeForMemberA(app)
            let userA = try await app.userID(Demo.member)
            let pending = try await app.count("SELECT count(*)::int FROM email_outbox WHERE status = 'pending'")
            #expect(pending >= 1)
            let summary = try await OutboxDelivery.deliverDue(settings: sink.settings(), localizer: app.localizer,
                                                              publicURL: "https://tsunagu.example.jp", on: app.database)
            #expect(summary == OutboxDelivery.Summary(sent: pending, retrying: 0, failed: 0))
            let messages = try await sink.messages(atLeast: pending)
            #expect(messages.count == pending)
            let mine = try #require(messages.first { ($0["rcpt_tos"] as? [String]) == [Demo.member] })
            #expect(mine["mail_from"] as? String == "tsunagu@city.example.jp")
            #expect(mine["subject"] as? String == "【つなぐ】 ワーキンググループ「\(title)」の段階が変わりました")
            #expect((mine["raw_subject_header"] as? String)?.contains("=?UTF-8?B?") == true, "RFC 2047 on the wire")
            let body = try #require(mine["body"] as? String).unixLines
            #expect(body.hasPrefix("ワーキンググループ「\(title)」の段階が「実践中」から「振り返り」に変わりました。\n\n"))
            #expect(body.contains("https://tsunagu.example.jp/working-groups/\(DemoData.id("w001").uuidString.lowercased())\n"))
            #expect(mine["content_type"] as? String == "text/plain")
            #expect(mine["charset"] as? String == "utf-8")
            #expect(mine["authenticated"] as? Bool == false, "no AUTH unless configured")
            let row = try #require(try await app.rows("""
                SELECT status, attempts, sent_at IS NOT NULL AS stamped FROM email_outbox WHERE user_id = \(userA)
                """).first)
            #expect(try row.get("status", as: String.self) == "sent")
            #expect(try row.get("attempts", as: Int32.self) == 1)
            #expect(try row.get("stamped", as: Bool.self))
            // Sent is sent: a second run sends nothing again.
            #expect(try await OutboxDelivery.deliverDue(settings: sink.settings(), localizer: app.localizer, publicURL: nil,
                                                        on: app.database) == OutboxDelivery.Summary())
            #expect(try await sink.messages(atLeast: pending + 1, within: 0.5).count == pending)
        }
    }

    @Test func base64BodiesLongSubjectsAuthPlainAndDotStuffingSurviveARealServer() async throws {
        let sink = try await SMTPSink.start(["--no-8bitmime", "--auth", "tsunagu", "s3cret-パス"])
        defer { sink.stop() }
        let subject = "川崎市地域包括ケアシステム連絡協議会からのお知らせ：ワーキンググループ「あさおの保健室」の段階が変わりました"
        let body = "一行目\n.ドットで始まる行\n..二つのドット\n.\n最後の行 ✓"
        let client = SMTPClient(settings: sink.settings(username: "tsunagu", password: "s3cret-パス"))
        try await client.send(MailMessage(from: "tsunagu@city.example.jp", to: "member@demo.tsunagu.example",
                                          subject: subject, body: body))
        let message = try #require(try await sink.messages(atLeast: 1).first)
        #expect(message["subject"] as? String == subject)
        #expect((message["body"] as? String)?.unixLines == body + "\n")
        #expect(message["transfer_encoding"] as? String == "base64")
        #expect(message["authenticated"] as? Bool == true)

        // The same through 8BITMIME: here the dot-stuffing is what keeps ".\n" from ending the message.
        let plain = try await SMTPSink.start()
        defer { plain.stop() }
        try await SMTPClient(settings: plain.settings()).send(MailMessage(from: "tsunagu@city.example.jp",
                                                                         to: "member@demo.tsunagu.example",
                                                                         subject: subject, body: body))
        let eightBit = try #require(try await plain.messages(atLeast: 1).first)
        #expect(eightBit["transfer_encoding"] as? String == "8bit")
        #expect((eightBit["body"] as? String)?.unixLines == body + "\n")
        #expect(eightBit["subject"] as? String == subject)

        // A wrong password is refused for good (535), not retried.
        do {
            try await SMTPClient(settings: sink.settings(username: "tsunagu", password: "wrong"))
                .send(MailMessage(from: "tsunagu@city.example.jp", to: "member@demo.tsunagu.example", subject: "x", body: "x"))
            Issue.record("a wrong password was accepted")
        } catch let error as SMTPError {
            #expect(error.isPermanent, "\(error)")
        }
    }

    @Test func whileTheServerIsDownMessagesWaitAndAreRetriedWithBackoff() async throws {
        // A port nobody listens on: a sink that has already stopped.
        let gone = try await SMTPSink.start()
        let deadPort = gone.port
        gone.stop()
        try await withTestApp { app in
            _ = try await stageChangeForMemberA(app)
            let userA = try await app.userID(Demo.member)
            let down = SMTPSettings(host: "127.0.0.1", port: deadPort, from: "tsunagu@city.example.jp")
            let first = try await OutboxDelivery.deliverDue(settings: down, localizer: app.localizer, publicURL: nil,
                                                            on: app.database)
            #expect(first.sent == 0 && first.failed == 0 && first.retrying >= 1)
            let row = try #require(try await app.rows("""
                SELECT status, attempts, last_error, extract(epoch FROM next_attempt_at - now())::float8 AS wait
                FROM email_outbox WHERE user_id = \(userA)
                """).first)
            #expect(try row.get("status", as: String.self) == "pending")
            #expect(try row.get("attempts", as: Int32.self) == 1)
            #expect(try row.get("last_error", as: String?.self)?.contains("could not connect") == true)
            let wait = try row.get("wait", as: Double.self)
            #expect(wait > 50 && wait <= 60, "first retry after a minute (\(wait) s)")
            // Not due yet: nothing is tried again.
            #expect(try await OutboxDelivery.deliverDue(settings: down, localizer: app.localizer, publicURL: nil,
                                                        on: app.database) == OutboxDelivery.Summary())
            // Once due and the server is back, it goes.
            try await app.execute("UPDATE email_outbox SET next_attempt_at = now() WHERE user_id = \(userA)")
            let sink = try await SMTPSink.start()
            defer { sink.stop() }
            let second = try await OutboxDelivery.deliverDue(settings: sink.settings(), localizer: app.localizer,
                                                             publicURL: nil, on: app.database)
            #expect(second.sent >= 1)
            #expect(try await app.outbox(of: userA).map(\.status) == ["sent"])
            #expect(try await app.count("SELECT attempts FROM email_outbox WHERE user_id = \(userA)") == 2)
            #expect(try await sink.messages(atLeast: 1).contains { ($0["rcpt_tos"] as? [String]) == [Demo.member] })
        }
    }

    @Test func afterTheLastAttemptAMessageIsMarkedFailed() async throws {
        let gone = try await SMTPSink.start()
        let deadPort = gone.port
        gone.stop()
        try await withTestApp { app in
            _ = try await stageChangeForMemberA(app)
            let userA = try await app.userID(Demo.member)
            try await app.execute("UPDATE email_outbox SET attempts = \(Int32(Outbox.maxAttempts - 1)) WHERE user_id = \(userA)")
            let down = SMTPSettings(host: "127.0.0.1", port: deadPort, from: "tsunagu@city.example.jp")
            let summary = try await OutboxDelivery.deliverDue(settings: down, localizer: app.localizer, publicURL: nil,
                                                              on: app.database)
            #expect(summary.failed >= 1)
            #expect(try await app.outbox(of: userA).map(\.status) == ["failed"])
            let staff = try await app.signedIn(as: Demo.staff)
            let (_, _, page) = try await app.get("/staff/outbox?status=failed", headers: staff)
            #expect(page.contains(Demo.member))
            #expect(page.contains("could not connect"))
        }
        #expect(Outbox.backoff(afterAttempt: 1) == 60)
        #expect(Outbox.backoff(afterAttempt: 3) == 240)
        #expect(Outbox.backoff(afterAttempt: 30) == 6 * 3600)
    }

    @Test func subjectsAreEncodedWordsOfAtMost75CharactersThatNeverSplitACharacter() throws {
        let subject = String(repeating: "地域包括ケア🧓", count: 12)
        let header = MailMessage.encodedWords(subject)
        let words = header.components(separatedBy: "\r\n ")
        #expect(words.count > 1)
        var decoded = Data()
        for word in words {
            #expect(word.count <= 75)
            #expect(word.hasPrefix("=?UTF-8?B?") && word.hasSuffix("?="))
            let payload = try #require(Data(base64Encoded: String(word.dropFirst(10).dropLast(2))))
            #expect(String(data: payload, encoding: .utf8) != nil, "each word is whole UTF-8")
            decoded += payload
        }
        #expect(String(decoding: decoded, as: UTF8.self) == subject)
        #expect(MailMessage.encodedWords("Plain ASCII") == "Plain ASCII")
        #expect(MailMessage.dotStuffed(".a\r\nb\r\n..c") == "..a\r\nb\r\n...c")
    }
}
