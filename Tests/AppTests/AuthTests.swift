import Foundation
import Testing
import Vapor
import VaporTesting
@testable import App

@Suite("Sign-in, sessions and throttling")
struct AuthTests {
    @Test func signingInSetsAFreshHardenedSessionCookie() async throws {
        try await withTestApp { app in
            let page = try await app.get("/login")
            #expect(page.0 == .ok)
            _ = try XHTML(page.2)
            #expect(page.2.contains("<html lang=\"ja\">"))

            let first = try await app.postAnonymousForm("/login", ["email": Demo.member, "password": Demo.password])
            #expect(first.status == .seeOther)
            #expect(first.headers.first(name: .location) == "/portal")
            let cookie = try #require(first.headers[.setCookie].first { $0.hasPrefix("tsunagu_session=") })
            #expect(cookie.contains("HttpOnly"))
            #expect(cookie.contains("SameSite=Lax"))
            #expect(cookie.contains("Path=/"))
            #expect(!cookie.contains("Secure"))  // not served over TLS in tests

            // Signing in from a browser that has a session never reuses it: a new id, and the old one ends.
            let old = try await app.signedIn(as: Demo.member)
            let oldToken = String(old.first(name: .cookie)!.dropFirst("tsunagu_session=".count))
            let second = try await app.send(.POST, "/login", headers: old, form: ["email": Demo.member, "password": Demo.password])
            #expect(second.status == .seeOther)
            let newCookie = try #require(second.headers[.setCookie].first { $0.hasPrefix("tsunagu_session=") })
            #expect(!newCookie.contains(oldToken))
            let oldStillWorks = try await app.get("/portal", headers: ["Cookie": "tsunagu_session=\(oldToken)"])
            #expect(oldStillWorks.0 == .unauthorized)
            let newToken = String(newCookie.dropFirst("tsunagu_session=".count).prefix { $0 != ";" })
            #expect(try await app.get("/portal", headers: ["Cookie": "tsunagu_session=\(newToken)"]).0 == .ok)

            let audit = try await app.count("SELECT count(*)::int FROM audit_records WHERE action = 'auth.login'")
            #expect(audit == 2)
            #expect(try await app.count("SELECT count(*)::int FROM login_attempts WHERE succeeded") == 2)
        }
    }

    @Test func unknownUserAndWrongPasswordGetTheSameAnswer() async throws {
        try await withTestApp { app in
            let wrong = try await app.send(.POST, "/api/v1/auth/token", json: ["email": Demo.member, "password": "not-the-password"])
            let unknown = try await app.send(.POST, "/api/v1/auth/token", json: ["email": "nobody@example.org", "password": "not-the-password"])
            #expect(wrong.status == .unauthorized)
            #expect(wrong.body == unknown.body)
            #expect(unknown.status == .unauthorized)
            let page = try await app.postAnonymousForm("/login", ["email": "nobody@example.org", "password": "x"])
            #expect(page.status == .unauthorized)
            #expect(page.body.contains("メールアドレスまたはパスワードが正しくありません"))
            #expect(page.body.contains("value=\"nobody@example.org\""))
            _ = try XHTML(page.body)
            #expect(try await app.count("SELECT count(*)::int FROM audit_records WHERE action = 'auth.login_failed'") == 3)
            #expect(try await app.count("SELECT count(*)::int FROM login_attempts WHERE NOT succeeded") == 3)
        }
    }

    @Test func tenFailuresForOneAccountThrottleItWithARetryTime() async throws {
        try await withTestApp { app in
            for _ in 1...10 {
                let answer = try await app.send(.POST, "/api/v1/auth/token", json: ["email": Demo.member, "password": "wrong-password"])
                #expect(answer.status == .unauthorized)
            }
            let blocked = try await app.send(.POST, "/api/v1/auth/token", json: ["email": Demo.member, "password": Demo.password])
            #expect(blocked.status == .tooManyRequests)
            #expect(blocked.errorCode == "too_many_attempts")
            let retry = try #require(blocked.headers.first(name: .retryAfter).flatMap(Int.init))
            #expect(retry > 800 && retry <= 900)
            // Other accounts are unaffected.
            let other = try await app.send(.POST, "/api/v1/auth/token", json: ["email": Demo.member2, "password": Demo.password])
            #expect(other.status == .created)
            // Once the failures are older than 15 minutes, the account opens again.
            try await app.execute("UPDATE login_attempts SET at = at - interval '16 minutes'")
            let later = try await app.send(.POST, "/api/v1/auth/token", json: ["email": Demo.member, "password": Demo.password])
            #expect(later.status == .created)
        }
    }

    @Test func manyAddressesAgainstOneAccountNeverSucceed() async throws {
        try await withTestApp { app in
            var successes = 0
            var throttled = 0
            for n in 1...30 {
                let actor = AuditActor(userID: nil, role: "anonymous", address: "198.51.100.\(n)", requestID: nil)
                // An attacker who guessed right on the 20th try from a new address still gets nothing.
                let password = n == 20 ? Demo.password : "guess-number-\(n)"
                do {
                    _ = try await SignIn.verify(email: Demo.member, password: password, actor: actor, db: app.database, logger: app.logger)
                    successes += 1
                } catch let error as AppError {
                    if error.status == .tooManyRequests { throttled += 1 }
                }
            }
            #expect(successes == 0)
            #expect(throttled == 20)
        }
    }

    @Test func tenFailuresFromOneAddressThrottleEveryAccountFromIt() async throws {
        try await withTestApp { app in
            let actor = AuditActor(userID: nil, role: "anonymous", address: "203.0.113.7", requestID: nil)
            for n in 1...10 {
                await #expect(throws: AppError.self) {
                    _ = try await SignIn.verify(email: "user\(n)@example.org", password: "whatever-123", actor: actor,
                                                db: app.database, logger: app.logger)
                }
            }
            do {
                _ = try await SignIn.verify(email: Demo.staff, password: Demo.password, actor: actor, db: app.database, logger: app.logger)
                Issue.record("a throttled address signed in")
            } catch let error as AppError {
                #expect(error.status == .tooManyRequests)
            }
            let elsewhere = AuditActor(userID: nil, role: "anonymous", address: "203.0.113.8", requestID: nil)
            let user = try await SignIn.verify(email: Demo.staff, password: Demo.password, actor: elsewhere, db: app.database, logger: app.logger)
            #expect(user.role == .staff)
        }
    }

    @Test func sessionsEndWhenIdleTwoHoursOrTwelveHoursOld() async throws {
        try await withTestApp { app in
            let idle = try await app.signedIn(as: Demo.member)
            #expect(try await app.get("/portal", headers: idle).0 == .ok)
            try await app.execute("UPDATE sessions SET last_seen_at = now() - interval '2 hours 1 minute'")
            #expect(try await app.get("/portal", headers: idle).0 == .unauthorized)

            let old = try await app.signedIn(as: Demo.member)
            // Active all along, but past the absolute limit.
            try await app.execute("UPDATE sessions SET expires_at = now() - interval '1 second', last_seen_at = now()")
            #expect(try await app.get("/portal", headers: old).0 == .unauthorized)

            let fresh = try await app.signedIn(as: Demo.member)
            try await app.execute("UPDATE sessions SET last_seen_at = now() - interval '1 hour 59 minutes' WHERE expires_at > now()")
            #expect(try await app.get("/portal", headers: fresh).0 == .ok)
            // That request moved the idle clock, so the session lives on.
            let live = try await app.rows(
                "SELECT count(*)::int AS n FROM sessions WHERE expires_at > now() AND last_seen_at > now() - interval '1 minute'")
            #expect(try live.first?.get("n", as: Int.self) == 1)
        }
    }

    /// Moving the idle clock on every request made every signed-in page a write; within a minute of
    /// the last move the session row is left alone (the same row version), and the page still works.
    @Test func aSessionUsedAgainWithinAMinuteIsNotRewritten() async throws {
        try await withTestApp { app in
            let member = try await app.signedIn(as: Demo.member)
            #expect(try await app.get("/portal", headers: member).0 == .ok)
            let before = try await app.rows("SELECT xmin::text AS v FROM sessions WHERE expires_at > now()")
                .first?.get("v", as: String.self)
            #expect(try await app.get("/portal", headers: member).0 == .ok)
            #expect(try await app.get("/board", headers: member).0 == .ok)
            let after = try await app.rows("SELECT xmin::text AS v FROM sessions WHERE expires_at > now()")
                .first?.get("v", as: String.self)
            #expect(before != nil && before == after)
            // A minute later it is moved again.
            try await app.execute("UPDATE sessions SET last_seen_at = now() - interval '61 seconds' WHERE expires_at > now()")
            #expect(try await app.get("/portal", headers: member).0 == .ok)
            let seen = try await app.rows(
                "SELECT count(*)::int AS n FROM sessions WHERE expires_at > now() AND last_seen_at > now() - interval '5 seconds'")
            #expect(try seen.first?.get("n", as: Int.self) == 1)
        }
    }

    @Test func signingOutEndsEverySessionOfTheUser() async throws {
        try await withTestApp { app in
            let laptop = try await app.signedIn(as: Demo.member)
            let phone = try await app.signedIn(as: Demo.member)
            let other = try await app.signedIn(as: Demo.member2)
            let out = try await app.send(.POST, "/logout", headers: laptop)
            #expect(out.status == .seeOther)
            #expect(out.headers[.setCookie].contains { $0.hasPrefix("tsunagu_session=;") || $0.contains("Max-Age=0") })
            #expect(try await app.get("/portal", headers: laptop).0 == .unauthorized)
            #expect(try await app.get("/portal", headers: phone).0 == .unauthorized)
            #expect(try await app.get("/portal", headers: other).0 == .ok)
            #expect(try await app.count("SELECT count(*)::int FROM audit_records WHERE action = 'auth.logout'") == 1)
        }
    }

    @Test func deactivatingAUserEndsTheirSessionsAndTokensAndBlocksSignIn() async throws {
        try await withTestApp { app in
            let session = try await app.signedIn(as: Demo.member)
            let token = try await app.send(.POST, "/api/v1/auth/token", json: ["email": Demo.member, "password": Demo.password])
                .json(TokenBody.self).token
            let admin = try await app.signedIn(as: Demo.admin)
            let id = try await app.userID(Demo.member)
            let answer = try await app.send(.POST, "/api/v1/users/\(id)/deactivate", headers: admin)
            #expect(answer.status == .noContent)
            #expect(try await app.get("/portal", headers: session).0 == .unauthorized)
            #expect(try await app.get("/api/v1/proposals", headers: ["Authorization": "Bearer \(token)"]).0 == .unauthorized)
            #expect(try await app.count("SELECT count(*)::int FROM sessions WHERE user_id = \(id)") == 0)
            let again = try await app.send(.POST, "/api/v1/auth/token", json: ["email": Demo.member, "password": Demo.password])
            #expect(again.status == .unauthorized)
        }
    }

    @Test func passwordsNeedTenCharactersAndAtMost72Bytes() async throws {
        try await withTestApp { app in
            let admin = try await app.signedIn(as: Demo.admin)
            func create(_ password: String, _ email: String) async throws -> Answer {
                try await app.send(.POST, "/api/v1/users", headers: admin,
                                   json: ["email": email, "password": password, "role": "staff"])
            }
            let short = try await create("short-pw", "a@example.org")
            #expect(short.status == .unprocessableEntity)
            #expect(short.errorCode == "password_too_short")
            #expect(short.errorField == "password")
            // 25 characters, but 75 bytes: bcrypt would ignore the last three.
            let long = try await create(String(repeating: "あ", count: 25), "b@example.org")
            #expect(long.status == .unprocessableEntity)
            #expect(long.errorCode == "password_too_long")
            #expect(try await app.count("SELECT count(*)::int FROM users WHERE email LIKE '%@example.org'") == 0)
            let exact = try await create(String(repeating: "あ", count: 24), "c@example.org")
            #expect(exact.status == .created)
            let hash = try await app.rows("SELECT password_hash FROM users WHERE email = 'c@example.org'").first!
                .get("password_hash", as: String.self)
            #expect(hash.hasPrefix("$2b$12$") || hash.hasPrefix("$2a$12$") || hash.hasPrefix("$2y$12$"))
            // A too-long password at sign-in is simply a failed sign-in.
            let signIn = try await app.send(.POST, "/api/v1/auth/token",
                                            json: ["email": "c@example.org", "password": String(repeating: "あ", count: 24) + "x"])
            #expect(signIn.status == .unauthorized)
        }
    }
}

struct TokenBody: Decodable {
    var id: UUID
    var token: String
    var expiresAt: Date
}
