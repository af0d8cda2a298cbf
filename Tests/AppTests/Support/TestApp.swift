import Foundation
import Vapor
import VaporTesting
import PostgresNIO
@testable import App

/// Runs `body` against the real application on its own fresh database.
func withTestApp<T>(
    _ template: TestDatabase.Template = .demo,
    _ body: (Application) async throws -> T
) async throws -> T {
    // Swift Testing starts every test at once; a few at a time keep PostgreSQL's connection
    // limit (and this 2-core machine) from being the thing under test.
    await TestSlots.shared.acquire()
    defer { Task { await TestSlots.shared.release() } }
    let url = try await TestDatabase.shared.makeDatabase(template)
    let app = try await Application.make(.testing)
    app.directory = DirectoryConfiguration(workingDirectory: TestPaths.root)
    do {
        try await configure(app, config: AppConfig(databaseURL: url, databasePoolSize: 2,
                                                   migrationsDirectory: TestPaths.migrations))
        let result = try await body(app)
        try await app.asyncShutdown()
        try await TestDatabase.shared.drop(url)
        return result
    } catch {
        try? await app.asyncShutdown()
        try? await TestDatabase.shared.drop(url)
        throw error
    }
}

/// A fresh database of the template, without an app: for migrator and seed tests.
func withTestDatabase<T>(
    _ template: TestDatabase.Template, _ body: (String) async throws -> T
) async throws -> T {
    await TestSlots.shared.acquire()
    defer { Task { await TestSlots.shared.release() } }
    let url = try await TestDatabase.shared.makeDatabase(template)
    do {
        let result = try await body(url)
        try await TestDatabase.shared.drop(url)
        return result
    } catch {
        try? await TestDatabase.shared.drop(url)
        throw error
    }
}

extension Application {
    /// GET a path and decode its JSON body.
    func getJSON<T: Decodable>(_ path: String, as type: T.Type = T.self, headers: HTTPHeaders = [:]) async throws -> (HTTPStatus, T) {
        var result: (HTTPStatus, T)?
        try await testing().test(.GET, path, headers: headers) { response async throws in
            let decoder = JSONDecoder()
            decoder.keyDecodingStrategy = .convertFromSnakeCase
            decoder.dateDecodingStrategy = .iso8601
            result = (response.status, try decoder.decode(T.self, from: Data(buffer: response.body)))
        }
        return result!
    }

    func get(_ path: String, headers: HTTPHeaders = [:]) async throws -> (HTTPStatus, HTTPHeaders, String) {
        var result: (HTTPStatus, HTTPHeaders, String)?
        try await testing().test(.GET, path, headers: headers) { response async in
            result = (response.status, response.headers, response.body.string)
        }
        return result!
    }

    /// Rows of a query on the app's own database, for checking what a request wrote.
    func rows(_ query: PostgresQuery) async throws -> [PostgresRandomAccessRow] {
        try await database.client.query(query).collect().map { $0.makeRandomAccess() }
    }

    func count(_ query: PostgresQuery) async throws -> Int {
        try await database.client.query(query).collect().first!.decode(Int.self)
    }
}

/// The API's list shape.
struct ListBody<Item: Decodable>: Decodable {
    var items: [Item]
    var total: Int
    var page: Int
    var perPage: Int
}

struct ErrorBody: Decodable {
    struct Detail: Decodable { var code: String; var message: String; var field: String? }
    var error: Detail
}

/// Percent-encodes a path with query for the test client (Japanese ward names and all).
func encoded(_ path: String) -> String {
    path.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed.subtracting(CharacterSet(charactersIn: "+"))) ?? path
}

extension Application {
    /// Headers that carry a live session of the user with this e-mail (the demo template has
    /// admin@, staff@, member@ and member2@demo.tsunagu.example).
    func signedIn(as email: String) async throws -> HTTPHeaders {
        let id = try await database.client.query("SELECT id FROM users WHERE lower(email) = lower(\(email))")
            .collect().first!.decode(UUID.self)
        let session = try await database.transaction { connection in
            try await SignInSessions.create(userID: id, address: "127.0.0.1", userAgent: "tests", on: connection, logger: logger)
        }
        // The CSRF header lets tests make unsafe requests as a browser page of that session would.
        return ["Cookie": "\(SignInSessions.cookieName)=\(session.token)", "X-CSRF-Token": session.csrfToken]
    }
}

/// A counting semaphore for tests that hold databases and connections.
actor TestSlots {
    static let shared = TestSlots(limit: 12)
    private var free: Int
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(limit: Int) { free = limit }

    func acquire() async {
        if free > 0 { free -= 1; return }
        await withCheckedContinuation { waiting.append($0) }
    }

    func release() {
        if waiting.isEmpty { free += 1 } else { waiting.removeFirst().resume() }
    }
}
