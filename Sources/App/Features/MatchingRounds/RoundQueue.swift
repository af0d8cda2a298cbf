import Vapor
import PostgresNIO
import Matching

/// Large rounds run in the background so no request hangs: the request stores the round as
/// `queued` and answers at once; a worker claims queued rounds with FOR UPDATE SKIP LOCKED (so
/// any number of app instances can share the queue), reports progress, and stores the results.
enum RoundQueue {
    /// Rounds with more candidate × need pairs than this run in the background.
    static let inlineLimit = 1_000_000

    static func estimatedPairs(_ spec: RoundSpec, on db: Database) async throws -> Int {
        let candidates = try await db.client.query(spec.candidates == .members
            ? "SELECT count(*)::int FROM members WHERE council_id = \(spec.councilID) AND status = 'active'"
            : "SELECT count(*)::int FROM proposals WHERE council_id = \(spec.councilID) AND status IN ('submitted', 'in_review', 'accepted')"
        ).collect().first!.decode(Int.self)
        let needs = try await db.client.query(
            "SELECT count(*)::int FROM needs WHERE council_id = \(spec.councilID) AND status IN ('open', 'matching')"
        ).collect().first!.decode(Int.self)
        return candidates * needs
    }

    static func enqueue(_ spec: RoundSpec, by user: SignedInUser?, actor: AuditActor, on db: Database) async throws -> UUID {
        try await db.transaction { connection in
            let id = UUID()
            try await RoundStore.enqueue(id: id, spec: spec, runBy: user?.id, on: connection, logger: db.logger)
            try await Audit.record(on: connection, councilID: spec.councilID, actor: actor, action: "matching_round.queue",
                                   entity: "matching_round", entityID: id.uuidString.lowercased(),
                                   details: ["candidates": spec.candidates.rawValue], logger: db.logger)
            return id
        }
    }

    /// Claims and runs the oldest queued round; false when the queue is empty.
    @discardableResult
    static func runNext(on db: Database) async throws -> Bool {
        guard let row = try await db.client.query("""
            UPDATE matching_rounds SET status = 'running', progress = 0.05, started_at = now()
            WHERE id = (SELECT id FROM matching_rounds WHERE status = 'queued' ORDER BY created_at, id
                        FOR UPDATE SKIP LOCKED LIMIT 1)
            RETURNING id, council_id, run_by, candidates_kind, weight_set_name, weight_set_version, weights::text,
                      filters::text, top_l, coverage_bonus
            """).rows().first else { return false }
        let id: UUID = try row.get("id")
        let started = ContinuousClock.now
        defer { AppMetrics.roundDuration.record(started.duration(to: .now)) }
        do {
            let filters: RoundFiltersRecord = try RoundQueries.decode(try row.get("filters"))
            let spec = RoundSpec(
                councilID: try row.get("council_id"),
                candidates: RoundSpec.CandidateKind(rawValue: try row.get("candidates_kind")) ?? .members,
                parameters: RoundParameters(
                    weights: WeightSet(name: try row.get("weight_set_name"), version: try row.get("weight_set_version"),
                                       weights: try RoundQueries.decode(try row.get("weights"))),
                    filters: filters.hard, topL: Int(try row.get("top_l", as: Int32.self)),
                    coverageBonus: Int(try row.get("coverage_bonus", as: Int64.self))),
                needWardCode: filters.needWard, needDomain: filters.needDomain)
            let runBy: UUID? = try row.get("run_by")
            let snapshot = try await db.withConnection { connection in
                try await RoundSnapshot.load(spec, on: connection, logger: db.logger)
            }
            try await progress(id, 0.2, on: db)
            let result = try await MatchingRounds.engine { () throws(MatchingError) in
                try MatchingEngine.run(candidates: snapshot.candidates, needs: snapshot.needs, parameters: snapshot.parameters)
            }
            try await progress(id, 0.9, on: db)
            try await db.transaction { connection in
                try await RoundStore.complete(id: id, snapshot: snapshot, result: result, runBy: runBy,
                                              on: connection, logger: db.logger)
                try await Audit.record(on: connection, councilID: spec.councilID, actor: .system, action: "matching_round.run",
                                       entity: "matching_round", entityID: id.uuidString.lowercased(),
                                       details: ["candidate_count": "\(snapshot.candidates.count)",
                                                 "need_count": "\(snapshot.needs.count)", "snapshot_hash": try snapshot.hash()],
                                       logger: db.logger)
            }
        } catch {
            db.logger.error("Matching round \(id) failed: \(String(reflecting: error))")
            try await db.client.query("""
                UPDATE matching_rounds SET status = 'failed', error_message = 'The round could not be completed.'
                WHERE id = \(id)
                """)
        }
        return true
    }

    private static func progress(_ id: UUID, _ value: Double, on db: Database) async throws {
        try await db.client.query("UPDATE matching_rounds SET progress = \(value) WHERE id = \(id)")
    }

    struct Status: Content {
        var id: UUID
        var status: String
        var progress: Double
        var createdAt: Date
    }

    static func status(_ id: UUID, on db: Database) async throws -> Status? {
        try await db.client.query("""
            SELECT id, status, progress::float8 AS progress, created_at FROM matching_rounds WHERE id = \(id)
            """).rows().first.map { row in
            Status(id: try row.get("id"), status: try row.get("status"), progress: try row.get("progress"),
                   createdAt: try row.get("created_at"))
        }
    }
}

/// Polls the queue while the server runs; started by `serve` only, stopped at shutdown.
struct RoundWorker: LifecycleHandler {
    let task: Task<Void, Never>

    init(database db: Database) {
        task = Task {
            while !Task.isCancelled {
                do {
                    if try await RoundQueue.runNext(on: db) { continue }
                } catch {
                    db.logger.warning("Matching queue poll failed: \(error)")
                }
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }

    func shutdownAsync(_ application: Application) async { task.cancel() }
}
