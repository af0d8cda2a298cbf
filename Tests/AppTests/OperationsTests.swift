import Foundation
import Testing
import Vapor
import VaporTesting
import PostgresNIO
import Logging
@testable import App

@Suite("Operations")
struct OperationsTests {
    @Test func metricsReportRequestsByRoutePatternAndRoundDurations() async throws {
        try await withTestApp { app in
            let member = try #require(try await app.rows("SELECT id FROM members LIMIT 1").first).get("id", as: UUID.self)
            _ = try await app.get("/api/v1/members/\(member)")
            _ = try await app.runRound()
            let (status, headers, body) = try await app.get("/metrics")
            #expect(status == .ok)
            #expect(headers.first(name: .contentType)?.hasPrefix("text/plain") == true)
            #expect(body.contains("http_requests_total"))
            // Labelled by the route's pattern, not the id in the path.
            #expect(body.contains("path=\"/api/v1/members/:id\""))
            #expect(!body.contains(member.uuidString.lowercased()))
            #expect(body.contains("tsunagu_matching_round_duration_seconds_count"))
            #expect(body.contains("tsunagu_db_connections_in_use"))
        }
    }

    @Test func anOversizedBodyIs413AndChangesNothing() async throws {
        try await withTestApp { app in
            let staff = try await app.signedIn(as: "staff@demo.tsunagu.example")
            let big = String(repeating: "あ", count: 2_000_000)
            var status: HTTPStatus = .ok
            try await app.testing(method: .running(port: 0)).test(.POST, "/api/v1/matching-rounds", headers: staff, beforeRequest: { request in
                request.headers.contentType = .json
                request.body = ByteBuffer(string: "{\"candidates\": \"members\", \"note\": \"\(big)\"}")
            }, afterResponse: { response async in
                status = response.status
            })
            #expect(status == .payloadTooLarge)
            #expect(try await app.count("SELECT count(*)::int FROM matching_rounds") == 0)
        }
    }
}

@Suite("Backup and restore")
struct BackupTests {
    @Test func aBackupRestoredIntoAnEmptyDatabaseHasTheSameData() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("tsunagu-\(UUID()).dump").path
        defer { try? FileManager.default.removeItem(atPath: file) }
        try await withTestDatabase(.demo) { source in
            let backup = try await runTsunagu(["backup", "--output", file], databaseURL: source)
            #expect(backup.status == 0, "\(backup.output)")
            try await withTestDatabase(.empty) { target in
                let restore = try await runTsunagu(["restore", "--input", file], databaseURL: target)
                #expect(restore.status == 0, "\(restore.output)")
                func counts(_ url: String) async throws -> String {
                    try await SingleConnection.with(url, logger: Logger(label: "tests.backup")) { connection in
                        try await connection.query("""
                            SELECT (SELECT count(*) FROM members) || '/' || (SELECT count(*) FROM needs) || '/' ||
                                   (SELECT count(*) FROM proposals) || '/' || (SELECT count(*) FROM schema_migrations) || '/' ||
                                   (SELECT count(*) FROM audit_records)
                            """, logger: Logger(label: "tests.backup")).collect().first!.decode(String.self)
                    }
                }
                let before = try await counts(source)
                let after = try await counts(target)
                #expect(before == after)
                #expect(after.hasPrefix("131/"))
                // The restored database is fully migrated: serve would start on it.
                let migrate = try await runTsunagu(["migrate"], databaseURL: target)
                #expect(migrate.output.contains("up to date"))
            }
        }
    }
}

@Suite("JSON logs")
struct JSONLogTests {
    final class Lines: @unchecked Sendable {
        private let lock = NSLock()
        private var stored: [String] = []
        func append(_ line: String) { lock.lock(); stored.append(line); lock.unlock() }
        var all: [String] { lock.lock(); defer { lock.unlock() }; return stored }
    }

    @Test func everyLineIsOneJSONObjectWithTheRequestID() throws {
        let lines = Lines()
        var logger = Logger(label: "tsunagu.test") { label in JSONLogHandler(label: label, write: lines.append) }
        logger[metadataKey: "request-id"] = "7A9C-REQ"
        logger.info("Proposal submitted", metadata: ["proposal_id": "p-1"])
        logger.debug("below the level: not written")
        #expect(lines.all.count == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(lines.all[0].utf8)) as? [String: String])
        #expect(object["request-id"] == "7A9C-REQ")
        #expect(object["message"] == "Proposal submitted")
        #expect(object["level"] == "info")
        #expect(object["proposal_id"] == "p-1")
        #expect(object["ts"] != nil)
        #expect(!lines.all[0].contains("\n"))
    }
}
