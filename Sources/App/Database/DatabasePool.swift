import Vapor
import PostgresNIO
import NIOConcurrencyHelpers

/// The app's connection pool (PostgresNIO's `PostgresClient`), which can be swapped for a fresh one.
///
/// While it cannot connect, PostgresNIO's pool retries with a backoff that grows by 1.25× per
/// failure up to a minute (and trips a circuit breaker after 60 s), so a pool that lived through a
/// long outage may take many seconds to notice the database is back. `DatabaseGate` replaces it
/// the moment its own probe connects, so the first request after an outage succeeds at once.
final class DatabasePool: Sendable {
    private struct Current {
        var client: PostgresClient
        var runTask: Task<Void, Never>
    }

    private let configuration: PostgresClient.Configuration
    private let logger: Logger
    private let current: NIOLockedValueBox<Current>

    init(configuration: PostgresClient.Configuration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
        current = NIOLockedValueBox(Self.start(configuration, logger))
    }

    private static func start(_ configuration: PostgresClient.Configuration, _ logger: Logger) -> Current {
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        return Current(client: client, runTask: Task { await client.run() })
    }

    var client: PostgresClient { current.withLockedValue { $0.client } }

    /// A fresh pool for new requests; the old one shuts down (its connections are dead anyway).
    func replace() {
        let fresh = Self.start(configuration, logger)
        let old = current.withLockedValue { current in
            defer { current = fresh }
            return current
        }
        old.runTask.cancel()
    }

    func shutdown() {
        current.withLockedValue { $0.runTask }.cancel()
    }
}
