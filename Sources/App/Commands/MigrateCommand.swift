import Vapor

/// `tsunagu migrate`: applies pending migrations; exit 0 when up to date.
struct MigrateCommand: AsyncCommand {
    struct Signature: CommandSignature {}
    var help: String { "Applies pending Migrations/V*.sql files in order, each in a transaction." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        let applied = try await SingleConnection.with(app.config.databaseURL, logger: app.logger) { connection in
            try await Migrator(files: app.migrationFiles).migrate(on: connection, logger: app.logger)
        }
        if applied.isEmpty {
            context.console.print("Database is up to date (\(app.migrationFiles.count) migrations).")
        } else {
            context.console.print("Applied \(applied.count) migration(s): \(applied.map(\.label).joined(separator: ", "))")
        }
    }
}
