import PostgresNIO
import Logging

/// What `Database.client` hands out: `PostgresClient.query`, with the leased connection held on the
/// request (`HeldConnections`) while the query runs, so a query stuck on a connection that closed under
/// it is noticed. The rows are fetched whole before the connection goes back to the pool; every caller
/// collected them anyway (`rows()`, `collect()`, `decode`).
public struct DatabaseClient: Sendable {
    let pool: PostgresClient

    /// PostgresClient's own query logs nothing unless given a logger; the same here.
    private static let quiet = Logger(label: "tsunagu.database", factory: { _ in SwiftLogNoOpLogHandler() })

    @discardableResult
    public func query(_ query: PostgresQuery, logger: Logger? = nil,
                      file: String = #fileID, line: Int = #line) async throws -> FetchedRows {
        try await pool.withConnection { connection in
            let held = HeldConnections.current
            held?.hold(connection)
            defer { held?.release(connection) }
            return FetchedRows(fetched: try await connection.query(query, logger: logger ?? Self.quiet, file: file, line: line).collect())
        }
    }
}

/// The rows of one query, already fetched.
public struct FetchedRows: AsyncSequence, Sendable {
    public typealias Element = PostgresRow
    let fetched: [PostgresRow]

    public struct AsyncIterator: AsyncIteratorProtocol {
        var base: IndexingIterator<[PostgresRow]>
        public mutating func next() async throws -> PostgresRow? { base.next() }
    }

    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(base: fetched.makeIterator()) }

    public func collect() async throws -> [PostgresRow] { fetched }

    /// All rows, each with named-column access.
    func rows() async throws -> [PostgresRandomAccessRow] { fetched.map { $0.makeRandomAccess() } }
}
