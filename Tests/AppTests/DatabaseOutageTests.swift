import Foundation
import Testing
import Vapor
import VaporTesting
@testable import App

/// While the database cannot be reached, every request that needs it is answered 503 at once
/// (JSON under /api, a page elsewhere) instead of waiting in the pool's queue, and /health still
/// answers. The recovery side (PostgreSQL stopped and started again) is `make faults`.
@Suite("Database outage")
struct DatabaseOutageTests {
    /// An app whose database address refuses connections (nothing listens on port 1).
    func withUnreachableDatabase(_ body: (Application) async throws -> Void) async throws {
        let app = try await Application.make(.testing)
        app.directory = DirectoryConfiguration(workingDirectory: TestPaths.root)
        do {
            try await configure(app, config: AppConfig(databaseURL: "postgres://postgres@127.0.0.1:1/tsunagu",
                                                       databasePoolSize: 2, migrationsDirectory: TestPaths.migrations))
            try await body(app)
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
    }

    @Test func requestsGetA503WithinSecondsAndHealthStillAnswers() async throws {
        try await withUnreachableDatabase { app in
            let clock = ContinuousClock()
            // The first request finds out (the pool cannot connect; the gate's probe confirms it).
            let start = clock.now
            let (firstStatus, first) = try await app.getJSON("/api/v1/members", as: ErrorBody.self)
            let firstTook = start.duration(to: clock.now)
            #expect(firstStatus == .serviceUnavailable)
            #expect(first.error.code == "database_unavailable")
            // Without the gate it would wait for PostgresNIO's circuit breaker (60 s). The gate needs
            // about 2.5 s (its suspicion delay and two probes); the bound leaves room for a busy CI
            // machine, since speed is measured in make bench/load, not here (rule 4).
            #expect(firstTook < .seconds(20), "the first request waited \(firstTook)")
            // The gate now knows, so from then on the answer comes at once without the pool, for
            // the API, pages and readiness alike.
            #expect(app.databaseGate.isDown)
            let next = clock.now
            for path in ["/api/v1/needs", "/api/v1/proposals", "/ready"] {
                let (status, body) = try await app.getJSON(path, as: ErrorBody.self)
                #expect(status == .serviceUnavailable, "\(path)")
                #expect(body.error.code == "database_unavailable", "\(path)")
            }
            let (pageStatus, _, page) = try await app.get("/members")
            #expect(pageStatus == .serviceUnavailable)
            #expect(page.contains("データベースに接続できません"))
            #expect(!page.contains("PSQL") && !page.contains("127.0.0.1") && !page.contains("Connection"))
            // Four requests: each would take the gate's 2 s suspicion delay if it went to the pool.
            #expect(next.duration(to: clock.now) < .seconds(8), "later requests waited \(next.duration(to: clock.now))")
            #expect(try await app.get("/health").0 == .ok)
        }
    }
}
