import Foundation
import Testing
import Vapor
import VaporTesting
@testable import App

@Suite("OpenAPI document")
struct OpenAPITests {
    /// Every /api/v1 route of the route table is in /openapi.json with the same method; a new
    /// route without documentation fails here.
    @Test func everyAPIRouteIsDocumented() async throws {
        try await withTestApp(.reference) { app in
            let (status, headers, body) = try await app.get("/openapi.json")
            #expect(status == .ok)
            #expect(headers.contentType == .json)
            let document = try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])
            #expect(document["openapi"] as? String == "3.1.0")
            let paths = try #require(document["paths"] as? [String: [String: Any]])
            var missing: [String] = []
            var checked = 0
            for route in app.routes.all {
                let components = route.path.map { component -> String in
                    if case .parameter(let name) = component { return "{\(name)}" }
                    return component.description
                }
                guard components.starts(with: ["api", "v1"]) else { continue }
                let path = "/" + components.joined(separator: "/")
                checked += 1
                if paths[path]?[route.method.rawValue.lowercased()] == nil {
                    missing.append("\(route.method) \(path)")
                }
            }
            #expect(missing.isEmpty, "not in Resources/openapi.json: \(missing)")
            #expect(checked >= 20)
            // Every schema reference resolves.
            let schemas = try #require((document["components"] as? [String: Any])?["schemas"] as? [String: Any])
            let references = body.matches(of: /"\$ref": "#\/components\/schemas\/([A-Za-z]+)"/).map { String($0.1) }
            #expect(!references.isEmpty)
            #expect(references.filter { schemas[$0] == nil }.isEmpty)
            // And nothing documented that does not exist.
            let registered = Set(app.routes.all.map { route in
                route.method.rawValue.lowercased() + " /" + route.path.map { component -> String in
                    if case .parameter(let name) = component { return "{\(name)}" }
                    return component.description
                }.joined(separator: "/")
            })
            for (path, operations) in paths {
                for method in operations.keys {
                    #expect(registered.contains("\(method) \(path)"), "documented but not routed: \(method) \(path)")
                }
            }
        }
    }
}
