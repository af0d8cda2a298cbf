import Vapor
import PostgresNIO

/// A dedicated connection outside the pool, for work that needs one session throughout:
/// migrations hold a session-level advisory lock; seeding runs one long transaction.
enum SingleConnection {
    static func with<T: Sendable>(
        _ url: String, logger: Logger, isolation: isolated (any Actor)? = #isolation,
        _ body: (PostgresConnection) async throws -> T
    ) async throws -> T {
        let configuration = try DatabaseURL.connectionConfiguration(url)
        let connection = try await PostgresConnection.connect(
            on: MultiThreadedEventLoopGroup.singleton.any(), configuration: configuration, id: 1, logger: logger)
        do {
            let result = try await body(connection)
            try await connection.close()
            return result
        } catch {
            try? await connection.close()
            throw error
        }
    }
}
