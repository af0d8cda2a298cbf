import Foundation
import Testing
import Vapor
import VaporTesting
@testable import App

@Suite("CSRF, security headers and API tokens")
struct CSRFAndTokenTests {
    /// Every unsafe route of the table, signed in with a session cookie but without the token → 403,
    /// and nothing written.
    @Test func everyUnsafeRouteRejectsASessionRequestWithoutTheCSRFToken() async throws {
        try await withTestApp { app in
            var headers = try await app.signedIn(as: Demo.admin)
            headers.remove(name: "X-CSRF-Token")
            let audits = try await app.count("SELECT count(*)::int FROM audit_records")
            let unsafe = app.routes.all.filter { ![.GET, .HEAD, .OPTIONS].contains($0.method) }
            #expect(unsafe.count >= 15)
            for route in unsafe {
                let path = "/" + route.path.map { component -> String in
                    if case .parameter = component { return UUID().uuidString.lowercased() }
                    return component.description
                }.joined(separator: "/")
                let answer = try await app.send(route.method, path, headers: headers, form: ["x": "1"])
                #expect(answer.status == .forbidden, "\(route.method) \(path)")
                let wrong = try await app.send(route.method, path, headers: headers, form: ["csrf_token": "wrong"])
                #expect(wrong.status == .forbidden, "\(route.method) \(path) with a wrong token")
            }
            #expect(try await app.count("SELECT count(*)::int FROM audit_records") == audits)
        }
    }

    @Test func anonymousFormsUseTheDoubleSubmitCookie() async throws {
        try await withTestApp(.reference) { app in
            // The first page sets the cookie and puts the same value in its forms.
            let (_, headers, html) = try await app.get("/")
            let cookie = try #require(headers[.setCookie].first { $0.hasPrefix("tsunagu_csrf=") })
            let token = String(cookie.dropFirst("tsunagu_csrf=".count).prefix { $0 != ";" })
            #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"))
            #expect(html.contains("name=\"csrf_token\" value=\"\(token)\""))
            let without = try await app.send(.POST, "/language", form: ["lang": "en"])
            #expect(without.status == .forbidden)
            let mismatched = try await app.send(.POST, "/language", headers: ["Cookie": "tsunagu_csrf=\(token)"],
                                                form: ["lang": "en", "csrf_token": String(token.reversed())])
            #expect(mismatched.status == .forbidden)
            let with = try await app.send(.POST, "/language", headers: ["Cookie": "tsunagu_csrf=\(token)"],
                                          form: ["lang": "en", "csrf_token": token])
            #expect(with.status == .seeOther)
            // Login CSRF: the sign-in form needs it too.
            let login = try await app.send(.POST, "/login", form: ["email": Demo.member, "password": Demo.password])
            #expect(login.status == .forbidden)
        }
    }

    @Test func signedInPagesAreNotStoredAndTLSAddsHSTSAndHostCookies() async throws {
        try await withTestApp { app in
            let anonymous = try await app.get("/")
            #expect(anonymous.1.first(name: .cacheControl) == nil)
            let signed = try await app.get("/", headers: try await app.signedIn(as: Demo.member))
            #expect(signed.1.first(name: .cacheControl) == "no-store")
            #expect(signed.1.first(name: "Strict-Transport-Security") == nil)
            #expect(signed.1.first(name: "Content-Security-Policy")?.contains("script-src 'self'") == true)
        }
        // The same app served over TLS.
        let url = try await TestDatabase.shared.makeDatabase(.demo)
        let app = try await Application.make(.testing)
        app.directory = DirectoryConfiguration(workingDirectory: TestPaths.root)
        do {
            try await configure(app, config: AppConfig(databaseURL: url, databasePoolSize: 2, servesTLS: true,
                                                       migrationsDirectory: TestPaths.migrations))
            let page = try await app.get("/login")
            #expect(page.1.first(name: "Strict-Transport-Security")?.contains("max-age=") == true)
            let csrf = try #require(page.1[.setCookie].first { $0.hasPrefix("tsunagu_csrf=") })
            #expect(csrf.contains("Secure"))
            let token = String(csrf.dropFirst("tsunagu_csrf=".count).prefix { $0 != ";" })
            let login = try await app.send(.POST, "/login", headers: ["Cookie": "tsunagu_csrf=\(token)"],
                                           form: ["email": Demo.member, "password": Demo.password, "csrf_token": token])
            let cookie = try #require(login.headers[.setCookie].first { $0.contains("tsunagu_session=") })
            #expect(cookie.hasPrefix("__Host-tsunagu_session="))
            #expect(cookie.contains("Secure") && cookie.contains("HttpOnly") && cookie.contains("Path=/"))
            #expect(!cookie.contains("Domain"))
            try await app.asyncShutdown()
        } catch {
            try? await app.asyncShutdown()
            try? await TestDatabase.shared.drop(url)
            throw error
        }
        try await TestDatabase.shared.drop(url)
    }

    @Test func tokensAreStoredHashedExpireAndCanBeRevoked() async throws {
        try await withTestApp { app in
            let issued = try await app.send(.POST, "/api/v1/auth/token", json: ["email": Demo.member, "password": Demo.password])
            #expect(issued.status == .created)
            let token = try issued.json(TokenBody.self)
            #expect(token.expiresAt > Date().addingTimeInterval(29 * 24 * 3600))
            // Only the SHA-256 is stored.
            let stored = try await app.rows("SELECT token_hash FROM api_tokens WHERE id = \(token.id)").first!
                .get("token_hash", as: ByteBuffer.self)
            #expect(stored == SignInSessions.hash(token.token))
            #expect(try await app.count("SELECT count(*)::int FROM api_tokens WHERE position(convert_to(\(token.token), 'UTF8') in token_hash) > 0") == 0)

            let bearer: HTTPHeaders = ["Authorization": "Bearer \(token.token)"]
            #expect(try await app.get("/api/v1/proposals", headers: bearer).0 == .ok)
            // Bearer requests are not CSRF-checked: nothing ambient is involved.
            let created = try await app.send(.POST, "/api/v1/proposals", headers: bearer,
                                             json: ["title": "トークンで作成", "domains": ["prevention"]] as [String: AnyEncodable])
            #expect(created.status == .created)
            #expect(try await app.get("/api/v1/proposals", headers: ["Authorization": "Bearer nonsense"]).0 == .unauthorized)

            // Expiry.
            try await app.execute("UPDATE api_tokens SET expires_at = now() - interval '1 second' WHERE id = \(token.id)")
            #expect(try await app.get("/api/v1/proposals", headers: bearer).0 == .unauthorized)

            // Revocation by the user; another member cannot even see it.
            let second = try await app.send(.POST, "/api/v1/auth/token", json: ["email": Demo.member, "password": Demo.password])
                .json(TokenBody.self)
            let other = try await app.signedIn(as: Demo.member2)
            #expect(try await app.send(.DELETE, "/api/v1/auth/tokens/\(second.id)", headers: other).status == .notFound)
            let mine: HTTPHeaders = ["Authorization": "Bearer \(second.token)"]
            #expect(try await app.get("/api/v1/proposals", headers: mine).0 == .ok)
            #expect(try await app.send(.DELETE, "/api/v1/auth/tokens/\(second.id)", headers: mine).status == .noContent)
            #expect(try await app.get("/api/v1/proposals", headers: mine).0 == .unauthorized)

            // Revocation by an admin.
            let third = try await app.send(.POST, "/api/v1/auth/token", json: ["email": Demo.member, "password": Demo.password])
                .json(TokenBody.self)
            let admin = try await app.signedIn(as: Demo.admin)
            let listed = try await app.send(.GET, "/api/v1/auth/tokens", headers: admin)
            #expect(listed.body.lowercased().contains(third.id.uuidString.lowercased()))
            #expect(!listed.body.contains(third.token))
            #expect(try await app.send(.DELETE, "/api/v1/auth/tokens/\(third.id)", headers: admin).status == .noContent)
            #expect(try await app.get("/api/v1/proposals", headers: ["Authorization": "Bearer \(third.token)"]).0 == .unauthorized)
            #expect(try await app.count("SELECT count(*)::int FROM audit_records WHERE action = 'api_token.revoke'") == 2)
        }
    }
}

/// Mixed JSON bodies in tests.
struct AnyEncodable: Encodable, ExpressibleByStringLiteral, ExpressibleByArrayLiteral, ExpressibleByIntegerLiteral {
    let encode: @Sendable (any Encoder) throws -> Void
    init<T: Encodable & Sendable>(_ value: T) { encode = { try value.encode(to: $0) } }
    init(stringLiteral value: String) { self.init(value) }
    init(arrayLiteral elements: String...) { self.init(elements) }
    init(integerLiteral value: Int) { self.init(value) }
    func encode(to encoder: any Encoder) throws { try encode(encoder) }
}
