import PostgresNIO
import NIOConcurrencyHelpers

/// The pooled connections a request holds right now.
///
/// PostgresNIO 1.33 writes a query to its channel with no promise for the write: when the connection
/// has just closed under it (`pg_terminate_backend`, seen in `make faults` (c), about 1 terminate in
/// 40), the write fails where nothing hears it and the query never completes, so the request never
/// answers and nothing is logged. The database itself is fine, so `DatabaseGate` sees no outage.
/// A request's connections are held here (a task-local, set by `DatabaseGateMiddleware`), and the
/// gate's watcher answers 503 to a request whose connection has been closed for a while and that is
/// still waiting on it: a live query on a closed connection fails at once, so one still waiting
/// after `stuckAfter` will never end.
final class HeldConnections: Sendable {
    @TaskLocal static var current: HeldConnections?

    /// A closed connection's query fails within the event loop's tick; this is a generous margin.
    static let stuckAfter: Duration = .milliseconds(500)

    private struct Held {
        let connection: PostgresConnection
        var holds = 0
        /// When a watcher first saw it closed.
        var closedSeen: ContinuousClock.Instant?
    }

    private let held = NIOLockedValueBox<[ObjectIdentifier: Held]>([:])

    /// Holds `connection` until `release`: callers read `current` once and do both, around the
    /// query or transaction. (Not a closure-taking helper: the callers' closures are not Sendable.)
    func hold(_ connection: PostgresConnection) {
        held.withLockedValue { $0[ObjectIdentifier(connection), default: Held(connection: connection)].holds += 1 }
    }

    func release(_ connection: PostgresConnection) {
        let key = ObjectIdentifier(connection)
        held.withLockedValue { held in
            held[key]?.holds -= 1
            if held[key]?.holds == 0 { held[key] = nil }
        }
    }

    /// Looks at every held connection; true when one has been closed for `stuckAfter` or longer
    /// while still held. Called by the watcher every 100 ms.
    func isStuck(now: ContinuousClock.Instant = .now) -> Bool {
        held.withLockedValue { held in
            var stuck = false
            for key in held.keys where held[key]!.connection.isClosed {
                let seen = held[key]!.closedSeen ?? now
                held[key]!.closedSeen = seen
                if seen.duration(to: now) >= Self.stuckAfter { stuck = true }
            }
            return stuck
        }
    }
}
