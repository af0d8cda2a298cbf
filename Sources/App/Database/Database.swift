import Vapor
import PostgresKit

/// The app's connection pool (PostgresNIO's `PostgresClient`), owned by the Application.
public struct Database: Sendable {
    public let client: PostgresClient
    let logger: Logger

    /// Runs `body` in one transaction: everything it writes commits together or not at all.
    public func transaction<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        do {
            return try await client.withTransaction(logger: logger) { connection in try await body(connection) }
        } catch let error as PostgresTransactionError {
            // PostgresNIO wraps whatever the body threw; an AppError (404, 409 …) must reach the
            // error middleware as itself, not as a 500. Rolled back either way.
            if let inner = error.closureError, error.rollbackError == nil { throw inner }
            throw error
        }
    }

    public func withConnection<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        try await client.withConnection { connection in try await body(connection) }
    }
}

extension Application {
    private struct DatabaseKey: StorageKey { typealias Value = DatabaseBox }

    /// Holds the client and the task that runs it, so shutdown can stop it.
    final class DatabaseBox: Sendable {
        let database: Database
        let runTask: Task<Void, Never>
        init(database: Database, runTask: Task<Void, Never>) {
            self.database = database
            self.runTask = runTask
        }
    }

    public var database: Database {
        guard let box = storage[DatabaseKey.self] else {
            fatalError("The database is used before configure() set it up")
        }
        return box.database
    }

    func startDatabase(_ configuration: PostgresClient.Configuration) {
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        let task = Task { await client.run() }
        storage[DatabaseKey.self] = DatabaseBox(database: Database(client: client, logger: logger), runTask: task)
        lifecycle.use(DatabaseLifecycle(task: task))
    }

    private struct DatabaseLifecycle: LifecycleHandler {
        let task: Task<Void, Never>
        func shutdownAsync(_ application: Application) async { task.cancel() }
    }
}

extension Request {
    public var database: Database { application.database }
}
