import Foundation
import Testing
import PostgresNIO
@testable import App

@Suite("Audit records are append-only")
struct AuditRoleTests {
    @Test func theAppRoleCannotUpdateDeleteOrTruncateAuditRows() async throws {
        try await withTestApp { app in
            // The pool acts as tsunagu_app.
            let who = try await app.rows("SELECT current_user AS role").first!.get("role", as: String.self)
            #expect(who == "tsunagu_app")
            try await app.execute("INSERT INTO audit_records (action, entity) VALUES ('test.insert', 'test')")
            for statement: PostgresQuery in ["UPDATE audit_records SET action = 'rewritten'", "DELETE FROM audit_records",
                                             "TRUNCATE audit_records"] {
                do {
                    try await app.execute(statement)
                    Issue.record("\(statement.sql) was allowed")
                } catch let error as PSQLError {
                    // The grant refuses before the trigger is even reached.
                    #expect(error.serverInfo?[.sqlState] == "42501")
                    #expect(error.serverInfo?[.message]?.contains("permission denied for table audit_records") == true)
                }
            }
            #expect(try await app.count("SELECT count(*)::int FROM audit_records WHERE action = 'rewritten'") == 0)
            #expect(try await app.count("SELECT count(*)::int FROM audit_records WHERE action = 'test.insert'") == 1)
        }
    }

    @Test func evenTheOwnerIsStoppedByTheTrigger() async throws {
        try await withTestDatabase(.reference) { url in
            try await SingleConnection.with(url, logger: .init(label: "test")) { connection in
                try await connection.query("INSERT INTO audit_records (action, entity) VALUES ('x', 'y')", logger: .init(label: "test"))
                do {
                    try await connection.query("DELETE FROM audit_records", logger: .init(label: "test"))
                    Issue.record("the owner deleted audit rows")
                } catch let error as PSQLError {
                    #expect(error.serverInfo?[.message] == "audit_records is append-only")
                }
            }
        }
    }
}
