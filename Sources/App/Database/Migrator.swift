import Foundation
import PostgresNIO
import Logging

/// Applies SQL migration files in order, each in its own transaction, under an advisory lock,
/// and records version, name and checksum in `schema_migrations`.
public struct Migrator: Sendable {
    public let files: [MigrationFile]
    /// Arbitrary but fixed: every Tsunagu process migrating one database takes this lock.
    static let advisoryLockKey: Int64 = 0x7453_756E_6167_7531

    public init(files: [MigrationFile]) { self.files = files }

    public struct AppliedMigration: Sendable, Equatable {
        public var version: Int
        public var name: String
        public var checksum: String
    }

    public struct Status: Sendable {
        public var applied: [AppliedMigration]
        public var pending: [MigrationFile]
    }

    /// What is applied and pending; throws when an applied file changed or disappeared.
    public func status(on connection: PostgresConnection, logger: Logger) async throws -> Status {
        let applied = try await appliedMigrations(on: connection, logger: logger)
        try verify(applied)
        let done = Set(applied.map(\.version))
        return Status(applied: applied, pending: files.filter { !done.contains($0.version) })
    }

    /// Throws `.behind` unless every file is applied; used by `serve` and `/ready`.
    public func requireUpToDate(on connection: PostgresConnection, logger: Logger) async throws {
        let status = try await status(on: connection, logger: logger)
        if !status.pending.isEmpty { throw MigrationError.behind(pending: status.pending.map(\.label)) }
    }

    /// Applies every pending file; returns the ones it applied.
    @discardableResult
    public func migrate(on connection: PostgresConnection, logger: Logger) async throws -> [MigrationFile] {
        try await connection.query("SELECT pg_advisory_lock(\(Self.advisoryLockKey))", logger: logger)
        do {
            let applied = try await run(on: connection, logger: logger)
            try await connection.query("SELECT pg_advisory_unlock(\(Self.advisoryLockKey))", logger: logger)
            return applied
        } catch {
            _ = try? await connection.query("SELECT pg_advisory_unlock(\(Self.advisoryLockKey))", logger: logger)
            throw error
        }
    }

    private func run(on connection: PostgresConnection, logger: Logger) async throws -> [MigrationFile] {
        // Created under the lock so two first migrations cannot race on it.
        try await connection.query("""
            CREATE TABLE IF NOT EXISTS schema_migrations (
              version     integer PRIMARY KEY,
              name        text NOT NULL,
              checksum    text NOT NULL,
              applied_at  timestamptz NOT NULL DEFAULT now(),
              duration_ms integer NOT NULL
            )
            """, logger: logger)
        let pending = try await status(on: connection, logger: logger).pending
        var applied: [MigrationFile] = []
        for file in pending {
            let started = ContinuousClock.now
            try await connection.query("BEGIN", logger: logger)
            do {
                for statement in SQLScript.statements(file.sql) {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                let elapsed = started.duration(to: .now)
                let milliseconds = Int(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000)
                try await connection.query("""
                    INSERT INTO schema_migrations (version, name, checksum, duration_ms)
                    VALUES (\(file.version), \(file.name), \(file.checksum), \(milliseconds))
                    """, logger: logger)
                try await connection.query("COMMIT", logger: logger)
            } catch {
                _ = try? await connection.query("ROLLBACK", logger: logger)
                throw MigrationError.failed(file: file.label, message: Self.describe(error))
            }
            logger.info("Applied migration \(file.label)")
            applied.append(file)
        }
        return applied
    }

    private func appliedMigrations(on connection: PostgresConnection, logger: Logger) async throws -> [AppliedMigration] {
        let exists = try await connection.query(
            "SELECT to_regclass('schema_migrations') IS NOT NULL", logger: logger
        ).collect().first?.decode(Bool.self) ?? false
        guard exists else { return [] }
        var result: [AppliedMigration] = []
        let rows = try await connection.query(
            "SELECT version, name, checksum FROM schema_migrations ORDER BY version", logger: logger)
        for try await (version, name, checksum) in rows.decode((Int, String, String).self) {
            result.append(AppliedMigration(version: version, name: name, checksum: checksum))
        }
        return result
    }

    private func verify(_ applied: [AppliedMigration]) throws {
        let byVersion = Dictionary(uniqueKeysWithValues: files.map { ($0.version, $0) })
        for migration in applied {
            guard let file = byVersion[migration.version] else {
                throw MigrationError.fileMissing(version: migration.version, name: migration.name)
            }
            if file.checksum != migration.checksum {
                throw MigrationError.checksumChanged(version: migration.version, name: migration.name)
            }
        }
    }

    static func describe(_ error: any Error) -> String {
        if let psql = error as? PSQLError, let message = psql.serverInfo?[.message] {
            return message
        }
        return String(describing: error)
    }
}
