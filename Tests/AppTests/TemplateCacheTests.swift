import Testing
import Vapor
import VaporTesting
@testable import App

/// Leaf switches its cache off in the development environment — the one `make run`, the Dockerfile
/// and `make load` serve in — and every page then read and lexed its templates again.
@Suite("Template cache")
struct TemplateCacheTests {
    @Test func parsedTemplatesStayCachedInTheDevelopmentEnvironment() async throws {
        try await withTestApp(.reference) { app in
            app.environment = .development
            let renderer = app.leaf.renderer // where Leaf turns the cache off in development
            #expect(renderer.cache.isEnabled)
            let (status, _, _) = try await app.get("/login")
            #expect(status == .ok)
            #expect(app.leaf.cache.count > 0)
        }
    }
}
