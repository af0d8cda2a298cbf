import Foundation
import Testing
import Vapor
import VaporTesting
@testable import App

/// PostgresNIO can leave a query waiting forever on a connection that closed under it (seen in
/// `make faults` (c), pg_terminate_backend): the request then never answered. It must get a 503.
@Suite("A connection lost under a request")
struct LostConnectionTests {
    @Test func aRequestWaitingOnAClosedConnectionGetsA503() async throws {
        try await withTestApp(.reference) { app in
            // Simulated: the handler's connection closes, and the handler waits on it as such a query does,
            // until the test lets it go (so it ends on a live pool, before the app shuts down).
            let (letGo, wakeUp) = AsyncStream<Void>.makeStream()
            app.get("api", "v1", "test-stuck") { req async throws -> String in
                try await req.database.withConnection { connection in
                    try await connection.close()
                    for await _ in letGo { break }
                    return "too late"
                }
            }
            defer { wakeUp.finish() }
            let clock = ContinuousClock()
            let start = clock.now
            let (status, body) = try await app.getJSON("/api/v1/test-stuck", as: ErrorBody.self)
            #expect(status == .serviceUnavailable)
            #expect(body.error.code == "database_unavailable")
            // The handler never ends on its own; the database itself is fine, so the gate stays up.
            #expect(start.duration(to: clock.now) < .seconds(30))
            #expect(!app.databaseGate.isDown)
            #expect(try await app.get("/api/v1/wards").0 == .ok)
        }
    }
}
