import Vapor
import PostgresNIO
import NIOConcurrencyHelpers

/// Whether the database answers, as the app last saw it.
///
/// PostgresNIO's pool queues a request without limit while it cannot connect, so without this a
/// request during an outage hangs until the database is back (issue 7: it must get a 503 at once).
/// A request that fails with a connection-level error reports it here; from then on requests are
/// answered 503 without touching the pool, while one probe (a fresh connection outside the pool)
/// runs every 200 ms. When the probe connects, requests go through again, on a fresh pool.
final class DatabaseGate: Sendable {
    private struct State {
        var down = false
        var downSince: ContinuousClock.Instant?
        var probing = false
        var stopped = false
        var draining = false
        /// How many times the pool was replaced: a request that began before a replacement may be
        /// stuck on the old pool.
        var generation = 0
    }

    /// How long a request may wait on the database before the gate checks it is still there.
    static let suspicionDelay: Duration = .seconds(2)
    /// After an outage this long the pool is replaced once more when the database is back: background
    /// work (e-mail, queued rounds) kept trying it, so its backoff may have grown past a second.
    static let replacePoolAfter: Duration = .seconds(3)
    static let probeInterval: Duration = .milliseconds(200)
    static let probeTimeout: Duration = .seconds(2)
    /// How long a stopping server keeps reading requests already sent to it.
    static let drainGrace: Duration = .seconds(1)

    private let state = NIOLockedValueBox(State())
    private let probeConfiguration: PostgresConnection.Configuration
    private let pool: DatabasePool
    private let logger: Logger

    init(url: String, pool: DatabasePool, logger: Logger) throws {
        var configuration = try DatabaseURL.connectionConfiguration(url)
        configuration.options.connectTimeout = .seconds(Int64(Self.probeTimeout.components.seconds))
        probeConfiguration = configuration
        self.pool = pool
        self.logger = logger
    }

    var isDown: Bool { state.withLockedValue { $0.down } }

    /// Does this error mean the database (not the request) is the problem?
    static func meansDatabaseDown(_ error: any Error) -> Bool {
        if let psql = error as? PSQLError {
            return psql.code != .queryCancelled && AppErrorMiddleware.isUnavailable(psql)
        }
        return isPoolError(error)
    }

    /// The pool's own errors (circuit breaker tripped, pool shut down, lease cancelled). Its type lives
    /// in PostgresNIO's underscored `_ConnectionPoolModule`, which is not API: matched by name.
    static func isPoolError(_ error: any Error) -> Bool {
        String(reflecting: type(of: error)).hasSuffix(".ConnectionPoolError")
    }

    /// A request saw the database fail: answer 503 from now on and probe until it is back. The pool is
    /// replaced at once, so requests queued in it fail now instead of running whenever it reconnects
    /// (their clients were already answered 503 and may have retried).
    func reportFailure(_ reason: @autoclosure () -> String) {
        let startProbe = state.withLockedValue { state -> Bool in
            if !state.down {
                state.down = true
                state.downSince = .now
            }
            guard !state.probing, !state.stopped else { return false }
            state.probing = true
            return true
        }
        guard startProbe else { return }
        logger.warning("The database is unreachable (\(reason())): answering 503 until a probe connects again")
        replacePool()
        Task { await probeUntilBack() }
    }

    private func probeUntilBack() async {
        while !state.withLockedValue({ $0.stopped }) {
            if await probe() == .answers {
                let downFor = state.withLockedValue { $0.downSince.map { $0.duration(to: .now) } } ?? .zero
                if downFor >= Self.replacePoolAfter { replacePool() }
                state.withLockedValue { state in
                    state.down = false
                    state.downSince = nil
                    state.probing = false
                }
                logger.notice("The database answers again after \(downFor)\(downFor >= Self.replacePoolAfter ? " (fresh connection pool)" : "")")
                return
            }
            try? await Task.sleep(for: Self.probeInterval)
        }
    }

    private func replacePool() {
        pool.replace()
        state.withLockedValue { $0.generation += 1 }
    }

    private var generation: Int { state.withLockedValue { $0.generation } }

    enum ProbeResult {
        /// Connected and answered `SELECT 1`.
        case answers
        /// Failed before the timeout: nothing listens, the connection was reset, or the server said
        /// it cannot accept connections now (starting up, shutting down).
        case refused
        /// Anything else: no answer within the timeout, or an error that is not a plain refusal. On a
        /// saturated machine a healthy server can look like that (seen under `make load` and in a
        /// test run next to a build), so this is not taken as "down".
        case noAnswer
    }

    /// One fresh connection outside the pool.
    func probe() async -> ProbeResult {
        do {
            let connection = try await PostgresConnection.connect(
                on: MultiThreadedEventLoopGroup.singleton.any(), configuration: probeConfiguration, id: 0, logger: logger)
            let answered = (try? await connection.query("SELECT 1", logger: logger).collect()) != nil
            try? await connection.close()
            return answered ? .answers : .noAnswer
        } catch {
            // Only an unmistakable "not there" counts: nothing listening (ECONNREFUSED), or the server
            // saying it cannot accept connections (57P01–57P03). Anything else — a timeout, or an
            // error on a machine too busy to connect in time — may be a healthy, slow server.
            if let psql = error as? PSQLError, let state = psql.serverInfo?[.sqlState], state.hasPrefix("57P") { return .refused }
            let text = String(reflecting: error)
            return text.contains("Connection refused") || text.contains("errno: 111") ? .refused : .noAnswer
        }
    }

    /// Why a waiting request is answered 503.
    enum Verdict {
        /// The database is down (or the request is stuck on a pool that was replaced).
        case databaseDown
        /// The database is up, but a connection the request holds closed under its query.
        case connectionLost
    }

    /// Waits while the database is thought to be up; returns once it is known to be down, or once
    /// a connection the request holds (`held`) has closed under it. After `suspicionDelay` (a request
    /// that long may be queued in a pool that cannot connect, or just be a long matching round) it
    /// probes once itself, and only a refused probe counts as down; a request that began before the
    /// pool was replaced is not waited for any longer.
    /// Throws `CancellationError` when the request finishes first.
    func waitUntilDown(held: HeldConnections? = nil) async throws -> Verdict {
        let clock = ContinuousClock()
        let start = clock.now
        let startGeneration = generation
        var probed = false
        while true {
            try await Task.sleep(for: .milliseconds(100))
            if isDown { return .databaseDown }
            if held?.isStuck() == true { return .connectionLost }
            if !probed, start.duration(to: clock.now) >= Self.suspicionDelay {
                probed = true
                // Still waiting after the pool it may hold a lease of was replaced (a blip shorter than
                // this loop's tick, such as pg_terminate_backend): that pool is gone, so is its answer.
                if generation != startGeneration { return .databaseDown }
                // Twice, 250 ms apart: a database that is really gone refuses every time, while a
                // full test run on a busy machine once saw a single refusal with PostgreSQL up.
                if await probe() == .refused {
                    try await Task.sleep(for: .milliseconds(250))
                    guard await probe() == .refused else { continue }
                    reportFailure("a request waited \(Self.suspicionDelay) and two probes were refused")
                    return .databaseDown
                }
            }
        }
    }

    /// The server is stopping: `/ready` answers 503 from now on (requests are still served).
    func beginDraining() { state.withLockedValue { $0.draining = true } }
    var isDraining: Bool { state.withLockedValue { $0.draining } }

    func stop() {
        state.withLockedValue { $0.stopped = true }
    }
}

/// Answers 503 at once while the database is known to be down, and answers 503 to a request still
/// waiting on it when it goes down, so nothing hangs in the pool's queue. `/health` and `/metrics`
/// never touch the database and always answer.
///
/// The handler runs in a task of its own and is raced against the gate rather than cancelled:
/// Vapor runs route handlers in unstructured tasks, which a middleware's cancellation never reaches.
/// A handler answered 503 this way is stuck on a pool lease, and the gate shuts that pool down as
/// it goes down, so the handler ends there and writes nothing later.
struct DatabaseGateMiddleware: AsyncMiddleware {
    let gate: DatabaseGate
    static let exempt: Set<String> = ["/health", "/metrics"]

    private enum Outcome: Sendable {
        case response(Response)
        case failure(any Error)
        case gave(DatabaseGate.Verdict)
    }

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if Self.exempt.contains(request.url.path) { return try await next.respond(to: request) }
        if gate.isDown { throw AppError.databaseUnavailable }
        // The handler's task inherits this task-local, so its queries hold their connections here.
        let held = HeldConnections()
        let outcome = await HeldConnections.$current.withValue(held) {
            await race(request, next, held: held)
        }
        switch outcome {
        case .response(let response):
            return response
        case .gave(.databaseDown):
            throw AppError.databaseUnavailable
        case .gave(.connectionLost):
            // Whether its transaction committed is unknown (the answer to COMMIT may be what was lost):
            // 503, like a request cut off by an outage. Its task stays parked on the dead query.
            request.logger.warning("A database connection closed under \(request.method) \(request.url.path) and its query never ended: answering 503")
            throw AppError.databaseUnavailable
        case .failure(let error):
            if DatabaseGate.meansDatabaseDown(error) {
                gate.reportFailure("\(request.method) \(request.url.path): \(String(reflecting: type(of: error)))")
                throw AppError.databaseUnavailable
            }
            throw error
        }
    }

    /// The handler against the gate's watcher: whichever answers first.
    private func race(_ request: Request, _ next: any AsyncResponder, held: HeldConnections) async -> Outcome {
        let gate = gate
        return await withCheckedContinuation { continuation in
            let answered = NIOLockedValueBox(false)
            let answer: @Sendable (Outcome) -> Void = { outcome in
                let first = answered.withLockedValue { answered in
                    defer { answered = true }
                    return !answered
                }
                if first { continuation.resume(returning: outcome) }
            }
            let watcher = Task {
                guard let verdict = try? await gate.waitUntilDown(held: held) else { return }
                answer(.gave(verdict))
            }
            Task {
                do {
                    answer(.response(try await next.respond(to: request)))
                } catch {
                    answer(.failure(error))
                }
                watcher.cancel()
            }
        }
    }
}
