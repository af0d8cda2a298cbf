import Vapor
import PostgresKit

/// The app's connection pool (PostgresNIO's `PostgresClient`), owned by the Application.
public struct Database: Sendable {
    let pool: DatabasePool
    let logger: Logger

    /// The current pool: `DatabaseGate` swaps in a fresh one after a long outage, so read it per use.
    public var client: DatabaseClient { DatabaseClient(pool: pool.client) }

    /// Runs `body` in one transaction: everything it writes commits together or not at all.
    /// The body's own error comes out unwrapped (PostgresNIO wraps it), so an `AppError` keeps its status.
    public func transaction<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        AppMetrics.connectionsInUse.increment()
        defer { AppMetrics.connectionsInUse.decrement() }
        do {
            // BEGIN and COMMIT inside the hold too: either can be the query stuck on a closed connection.
            return try await pool.client.withConnection { connection in
                let held = HeldConnections.current
                held?.hold(connection)
                defer { held?.release(connection) }
                return try await connection.withTransaction(logger: logger) { connection in try await body(connection) }
            }
        } catch let error as PostgresTransactionError {
            throw error.closureError ?? error.beginError ?? error.commitError ?? error
        }
    }

    public func withConnection<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        AppMetrics.connectionsInUse.increment()
        defer { AppMetrics.connectionsInUse.decrement() }
        return try await pool.client.withConnection { connection in
            let held = HeldConnections.current
            held?.hold(connection)
            defer { held?.release(connection) }
            return try await body(connection)
        }
    }
}

extension Application {
    private struct DatabaseKey: StorageKey { typealias Value = DatabaseBox }

    /// Holds the pool and the gate that watches it, so shutdown can stop both.
    final class DatabaseBox: Sendable {
        let database: Database
        let gate: DatabaseGate
        init(database: Database, gate: DatabaseGate) {
            self.database = database
            self.gate = gate
        }
    }

    public var database: Database {
        guard let box = storage[DatabaseKey.self] else {
            fatalError("The database is used before configure() set it up")
        }
        return box.database
    }

    var databaseGate: DatabaseGate {
        guard let box = storage[DatabaseKey.self] else {
            fatalError("The database is used before configure() set it up")
        }
        return box.gate
    }

    func startDatabase(url: String, poolSize: Int) throws {
        let pool = DatabasePool(configuration: try DatabaseURL.clientConfiguration(url, poolSize: poolSize), logger: logger)
        let gate = try DatabaseGate(url: url, pool: pool, logger: logger)
        storage[DatabaseKey.self] = DatabaseBox(database: Database(pool: pool, logger: logger), gate: gate)
        lifecycle.use(DatabaseLifecycle(pool: pool, gate: gate))
    }

    private struct DatabaseLifecycle: LifecycleHandler {
        let pool: DatabasePool
        let gate: DatabaseGate
        func shutdownAsync(_ application: Application) async {
            // Vapor stops lifecycle handlers before the HTTP server it keeps in storage, so the pool
            // went first and requests in flight at SIGTERM failed. Close the server first: its
            // quiescing close stops accepting and lets in-flight requests finish on a live pool.
            // Before that, a grace period: requests already sent but not yet read (still in the listen
            // backlog, or accepted and unparsed) would be reset by the close; they are served now,
            // while /ready answers 503 so a load balancer stops sending new ones (make faults, d).
            let server = application.http.server.shared
            if server.localAddress != nil {
                gate.beginDraining()
                try? await Task.sleep(for: DatabaseGate.drainGrace)
                await server.shutdown()
            }
            gate.stop()
            pool.shutdown()
        }
    }
}

extension Request {
    public var database: Database { application.database }
}
