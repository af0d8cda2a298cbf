import Foundation
import PostgresNIO
import Logging
@testable import App

/// Real PostgreSQL databases for tests: migrate (and seed) once into a template database,
/// then `CREATE DATABASE … TEMPLATE …` for each test — isolated, parallel, no mocks.
actor TestDatabase {
    static let shared = TestDatabase()

    enum Template: String, CaseIterable {
        /// Nothing at all: for the migrator's own tests.
        case empty
        /// Migrated with the reference data.
        case reference
        /// Migrated with the reference and demo data.
        case demo
    }

    private let serverURL: URL
    private let logger = Logger(label: "tests.database")
    /// One task per template: concurrent tests wait for the same build instead of racing it.
    private var templates: [Template: Task<String, any Error>] = [:]
    private var counter = 0
    /// Unique per test process, so two runs against one server never collide.
    private let runID = String(UInt32.random(in: 0...UInt32.max), radix: 36)

    init() {
        let raw = ProcessInfo.processInfo.environment["TSUNAGU_TEST_DATABASE_URL"]
            ?? ProcessInfo.processInfo.environment["DATABASE_URL"]
            ?? "postgres://postgres@127.0.0.1:5432/postgres"
        guard let url = URL(string: raw), let host = url.host, ["127.0.0.1", "localhost", "::1", "[::1]"].contains(host) else {
            // Tests create and drop databases: never against anything but this machine.
            fatalError("Tests refuse a non-local database host in \(raw)")
        }
        serverURL = url
    }

    func url(database: String) -> String {
        var components = URLComponents(url: serverURL, resolvingAgainstBaseURL: false)!
        components.path = "/" + database
        return components.string!
    }

    /// A new database made from the template, ready to use.
    func makeDatabase(_ template: Template) async throws -> String {
        let source = try await templateName(template)
        counter += 1
        let name = "t_\(runID)_\(counter)"
        do {
            try await admin("CREATE DATABASE \(name) TEMPLATE \(source)")
        } catch {
            // Once more after a pause (a template still "accessed by other users" while its builder's
            // connection closes), printing why, so a failure here is never silent.
            FileHandle.standardError.write(Data("test database: \(String(reflecting: error)); trying once more\n".utf8))
            try await Task.sleep(for: .seconds(1))
            try await admin("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
            try await admin("CREATE DATABASE \(name) TEMPLATE \(source)")
        }
        return url(database: name)
    }

    func drop(_ url: String) async throws {
        guard let name = URL(string: url)?.path.dropFirst(), name.hasPrefix("t_") else { return }
        try await admin("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
    }

    private func templateName(_ template: Template) async throws -> String {
        if let task = templates[template] { return try await task.value }
        let task = Task { try await self.buildTemplateRetrying(template) }
        templates[template] = task
        return try await task.value
    }

    /// Every test of a template waits for this one build, so a passing fault (a CI run once failed
    /// every demo-data test at once, and its log did not say why) would fail them all: the build is
    /// tried three times, and each failure is printed in full where the run's log keeps it.
    private func buildTemplateRetrying(_ template: Template) async throws -> String {
        var attempt = 1
        while true {
            do {
                return try await buildTemplate(template, attempt: attempt)
            } catch {
                let message = "test database: building the \(template.rawValue) template failed (attempt \(attempt) of 3): \(String(reflecting: error))\n"
                FileHandle.standardError.write(Data(message.utf8))
                guard attempt < 3 else { throw error }
                attempt += 1
                try await Task.sleep(for: .seconds(1))
            }
        }
    }

    private func buildTemplate(_ template: Template, attempt: Int) async throws -> String {
        let name = "tpl_\(runID)_\(template.rawValue)_\(attempt)"
        try await admin("CREATE DATABASE \(name)")
        if template != .empty {
            try await SingleConnection.with(url(database: name), logger: logger) { connection in
                try await Migrator(files: try MigrationFile.load(from: TestPaths.migrations)).migrate(on: connection, logger: logger)
                _ = try await ReferenceSeed.load(from: TestPaths.seed, on: connection, logger: logger)
                if template == .demo {
                    _ = try await DemoSeed.load(from: TestPaths.seed + "demo/", on: connection, logger: logger)
                }
            }
        }
        return name
    }

    /// Database-level statements on the maintenance database. Names here are generated from
    /// [a-z0-9_] only, never from input, which is why they may be part of the SQL text.
    private func admin(_ sql: String) async throws {
        precondition(sql.unicodeScalars.allSatisfy { $0.isASCII })
        do {
            try await SingleConnection.with(url(database: "postgres"), logger: logger) { connection in
                try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger)
            }
        } catch let error as PSQLError {
            // PSQLError hides the server's words by default; a failing test needs them.
            throw TestDatabaseError(message: "\(sql): \(error.serverInfo?[.message] ?? String(reflecting: error))")
        }
    }
}

enum TestPaths {
    /// The package root, found from this file's place in Tests/AppTests/Support.
    static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { url.deleteLastPathComponent() }
        return url.path + "/"
    }()
    static let migrations = root + "Migrations"
    static let seed = root + "Resources/Seed/"
    static var binary: String {
        ProcessInfo.processInfo.environment["TSUNAGU_BIN"] ?? root + ".build/debug/tsunagu"
    }
}

struct TestDatabaseError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
