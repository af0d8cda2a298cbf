import Foundation
import Testing
import PostgresNIO
import Logging
@testable import App

@Suite("Migrations")
struct MigratorTests {
    let logger = Logger(label: "tests.migrator")
    var files: [MigrationFile] { get throws { try MigrationFile.load(from: TestPaths.migrations) } }

    @Test func filesHaveDistinctIncreasingVersions() throws {
        let versions = try files.map(\.version)
        #expect(versions == versions.sorted())
        #expect(Set(versions).count == versions.count)
        #expect(versions.first == 1)
    }

    @Test func appliesEveryFileInOrderAndRecordsItsChecksum() async throws {
        try await withTestDatabase(.empty) { url in
            try await SingleConnection.with(url, logger: logger) { connection in
                let applied = try await Migrator(files: try files).migrate(on: connection, logger: logger)
                #expect(applied.map(\.version) == (try files).map(\.version))
                let rows = try await connection.query("SELECT version, name, checksum FROM schema_migrations ORDER BY applied_at, version",
                                                      logger: logger)
                var recorded: [(Int, String, String)] = []
                for try await row in rows.decode((Int, String, String).self) { recorded.append(row) }
                #expect(recorded.map(\.0) == (try files).map(\.version))
                #expect(recorded.map(\.2) == (try files).map(\.checksum))
                // A second run has nothing to do.
                let again = try await Migrator(files: try files).migrate(on: connection, logger: logger)
                #expect(again.isEmpty)
            }
        }
    }

    @Test func refusesWhenAnAppliedFileChanged() async throws {
        try await withTestDatabase(.reference) { url in
            var changed = try files
            changed[1] = MigrationFile(version: changed[1].version, name: changed[1].name, sql: changed[1].sql + "\n-- edited")
            await #expect(throws: MigrationError.checksumChanged(version: changed[1].version, name: changed[1].name)) {
                try await SingleConnection.with(url, logger: logger) { connection in
                    try await Migrator(files: changed).migrate(on: connection, logger: logger)
                }
            }
        }
    }

    @Test func refusesWhenAnAppliedFileIsMissing() async throws {
        try await withTestDatabase(.reference) { url in
            var fewer = try files
            let removed = fewer.remove(at: 2)
            await #expect(throws: MigrationError.fileMissing(version: removed.version, name: removed.name)) {
                try await SingleConnection.with(url, logger: logger) { connection in
                    try await Migrator(files: fewer).migrate(on: connection, logger: logger)
                }
            }
        }
    }

    @Test func aFailingFileLeavesNothingBehind() async throws {
        try await withTestDatabase(.reference) { url in
            let broken = MigrationFile(version: 9999, name: "broken", sql: """
                CREATE TABLE half_done (id int);
                INSERT INTO half_done VALUES (1);
                SELECT no_such_function();
                """)
            try await SingleConnection.with(url, logger: logger) { connection in
                await #expect(throws: MigrationError.self) {
                    try await Migrator(files: try files + [broken]).migrate(on: connection, logger: logger)
                }
                let table = try await connection.query("SELECT to_regclass('half_done') IS NULL", logger: logger)
                    .collect().first!.decode(Bool.self)
                #expect(table, "the failed file's table must be rolled back")
                let recorded = try await connection.query("SELECT count(*)::int FROM schema_migrations WHERE version = 9999",
                                                          logger: logger).collect().first!.decode(Int.self)
                #expect(recorded == 0)
            }
        }
    }

    @Test func twoProcessesMigratingAtOnceApplyEachFileOnce() async throws {
        try await withTestDatabase(.empty) { url in
            async let first = runTsunagu(["migrate"], databaseURL: url)
            async let second = runTsunagu(["migrate"], databaseURL: url)
            let results = try await [first, second]
            for result in results { #expect(result.status == 0, "\(result.output)") }
            try await SingleConnection.with(url, logger: logger) { connection in
                let count = try await connection.query("SELECT count(*)::int FROM schema_migrations", logger: logger)
                    .collect().first!.decode(Int.self)
                #expect(count == (try files).count)
            }
        }
    }

    @Test func serveRefusesADatabaseThatIsBehind() async throws {
        try await withTestDatabase(.empty) { url in
            let result = try await runTsunagu(["serve", "--port", "0"], databaseURL: url, timeout: 30)
            #expect(result.status != 0)
            #expect(result.output.contains("behind"), "\(result.output)")
            #expect(result.output.contains("tsunagu migrate"))
        }
    }

    @Test func migrateRefusesAChangedFileWithAClearMessage() async throws {
        try await withTestDatabase(.reference) { url in
            // A copy of the migrations with one applied file edited.
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("migrations-\(UUID())").path
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: directory) }
            for file in try files {
                let sql = file.version == 1 ? file.sql + "\n-- edited after it was applied\n" : file.sql
                try sql.write(toFile: directory + "/" + file.label + ".sql", atomically: true, encoding: .utf8)
            }
            let result = try await runTsunagu(["migrate"], databaseURL: url, extraEnvironment: ["TSUNAGU_MIGRATIONS_DIR": directory])
            #expect(result.status != 0)
            #expect(result.output.contains("V0001__reference_and_councils was changed after it was applied"), "\(result.output)")
        }
    }

    @Test func fileNamesMustFollowTheConvention() {
        #expect(MigrationFile.parse("V0001__create_councils.sql")! == (1, "create_councils"))
        #expect(MigrationFile.parse("V12__x.sql")! == (12, "x"))
        #expect(MigrationFile.parse("0001__x.sql") == nil)
        #expect(MigrationFile.parse("V0001_x.sql") == nil)
        #expect(MigrationFile.parse("V__x.sql") == nil)
        #expect(MigrationFile.parse("V0001__.sql") == nil)
    }

    @Test func scriptsSplitOnlyBetweenStatements() {
        let sql = """
            -- a comment; with a semicolon
            CREATE FUNCTION f() RETURNS text LANGUAGE sql AS $$ SELECT 'a;b' $$;
            INSERT INTO t VALUES ('it''s; fine', "odd;name"); /* block; comment */
            CREATE FUNCTION g() RETURNS int LANGUAGE plpgsql AS $body$ BEGIN RETURN 1; END $body$;
            """
        let statements = SQLScript.statements(sql)
        #expect(statements.count == 3)
        #expect(statements[0].hasSuffix("$$ SELECT 'a;b' $$"))
        #expect(statements[1].contains("'it''s; fine', \"odd;name\""))
        #expect(statements[2].hasSuffix("$body$ BEGIN RETURN 1; END $body$"))
    }
}

struct ProcessResult {
    var status: Int32
    var output: String
}

/// Runs the built `tsunagu` binary against a database; kills it after `timeout` seconds.
func runTsunagu(_ arguments: [String], databaseURL: String, timeout: TimeInterval = 120,
                extraEnvironment: [String: String] = [:]) async throws -> ProcessResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: TestPaths.binary)
    process.arguments = arguments
    process.currentDirectoryURL = URL(fileURLWithPath: TestPaths.root)
    var environment = ProcessInfo.processInfo.environment
    environment["DATABASE_URL"] = databaseURL
    for (key, value) in extraEnvironment { environment[key] = value }
    process.environment = environment
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let deadline = Date().addingTimeInterval(timeout)
    while process.isRunning && Date() < deadline { try await Task.sleep(for: .milliseconds(50)) }
    if process.isRunning { process.terminate(); process.waitUntilExit() }
    let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    return ProcessResult(status: process.terminationStatus, output: output)
}
