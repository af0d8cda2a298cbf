import Vapor

/// Vapor's `serve`, but it refuses to start on a database that is behind or whose applied
/// migrations changed: serving an old schema corrupts data in ways nobody notices at once.
struct GuardedServeCommand: AsyncCommand {
    typealias Signature = ServeCommand.Signature
    let inner: ServeCommand
    var help: String { inner.help + " Refuses to start when the database is not fully migrated." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        try await SingleConnection.with(app.config.databaseURL, logger: app.logger) { connection in
            try await Migrator(files: app.migrationFiles).requireUpToDate(on: connection, logger: app.logger)
        }
        app.lifecycle.use(RoundWorker(database: app.database))
        app.lifecycle.use(NotificationWorker(application: app))
        try await inner.run(using: context, signature: signature)
    }
}
