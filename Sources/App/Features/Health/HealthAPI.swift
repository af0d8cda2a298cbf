import Vapor

/// `/health`: the process answers. `/ready`: the database answers and is fully migrated.
enum HealthAPI {
    struct Status: Content {
        var status: String
        var pendingMigrations: Int?
    }

    static func health(req: Request) async throws -> Status { Status(status: "ok") }

    static func ready(req: Request) async throws -> Response {
        if req.application.databaseGate.isDraining {
            let response = Response(status: .serviceUnavailable)
            try response.content.encode(Status(status: "shutting_down"), as: .json)
            return response
        }
        let files = req.application.migrationFiles
        var applied: Set<Int> = []
        do {
            // A database nobody migrated yet has no schema_migrations table: everything is pending.
            let migrated = try await req.database.client.query("SELECT to_regclass('schema_migrations') IS NOT NULL")
                .collect().first?.decode(Bool.self) ?? false
            if migrated {
                applied = try await Set(req.database.client.query("SELECT version FROM schema_migrations")
                    .collect().map { try $0.decode(Int.self) })
            }
        } catch {
            throw AppError.databaseUnavailable
        }
        let pending = files.filter { !applied.contains($0.version) }.count
        let response = Response(status: pending == 0 ? .ok : .serviceUnavailable)
        try response.content.encode(Status(status: pending == 0 ? "ready" : "migrations_pending",
                                           pendingMigrations: pending), as: .json)
        return response
    }
}

extension Application {
    private struct MigrationFilesKey: StorageKey { typealias Value = [MigrationFile] }
    /// The migration files found at start-up; `/ready` compares the database with them.
    var migrationFiles: [MigrationFile] {
        get { storage[MigrationFilesKey.self] ?? [] }
        set { storage[MigrationFilesKey.self] = newValue }
    }
}
