import Vapor
import PostgresNIO
import Matching

/// Writes a round and its results, and reads them back.
enum RoundStore {
    /// Inserts the round with everything it promised: parameters, weight set and version,
    /// engine version, snapshot and its hash, timings, kept pairs, solution 0. Call inside a transaction.
    static func insert(id: UUID, spec: RoundSpec, snapshot: RoundSnapshot, result: RoundResult, runBy: UUID?,
                       on connection: PostgresConnection, logger: Logger) async throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        func json<T: Encodable>(_ value: T) throws -> String { String(decoding: try encoder.encode(value), as: UTF8.self) }
        let filters = RoundFiltersRecord(hard: spec.parameters.filters, needWard: spec.needWardCode, needDomain: spec.needDomain)
        try await connection.query("""
            INSERT INTO matching_rounds (id, council_id, run_by, candidates_kind, status, progress, weight_set_name,
                weight_set_version, weights, filters, top_l, coverage_bonus, engine_version, snapshot_hash, snapshot,
                timings, optimal_summary, greedy_summary, started_at, completed_at)
            VALUES (\(id), \(spec.councilID), \(runBy), \(spec.candidates.rawValue), 'completed', 1,
                \(result.weightSetName), \(result.weightSetVersion), \(try json(spec.parameters.weights.weights))::jsonb,
                \(try json(filters))::jsonb, \(spec.parameters.topL), \(Int64(result.coverageBonus)), \(result.engineVersion),
                \(try snapshot.hash()), \(String(decoding: try snapshot.canonicalJSON(), as: UTF8.self))::jsonb,
                \(try json(result.timings))::jsonb, \(try json(summary(result.optimal)))::jsonb,
                \(try json(summary(result.greedy)))::jsonb, now(), now())
            """, logger: logger)
        try await insertPairs(round: id, pairs: result.pairs, on: connection, logger: logger)
        try await insertSolution(round: id, number: 0, result: result, fixed: 0, removed: 0, by: runBy,
                                 on: connection, logger: logger)
    }

    /// A round to be run in the background: its parameters now, its results when the worker is done.
    static func enqueue(id: UUID, spec: RoundSpec, runBy: UUID?, on connection: PostgresConnection, logger: Logger) async throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let filters = RoundFiltersRecord(hard: spec.parameters.filters, needWard: spec.needWardCode, needDomain: spec.needDomain)
        try await connection.query("""
            INSERT INTO matching_rounds (id, council_id, run_by, candidates_kind, status, progress, weight_set_name,
                weight_set_version, weights, filters, top_l, coverage_bonus, engine_version)
            VALUES (\(id), \(spec.councilID), \(runBy), \(spec.candidates.rawValue), 'queued', 0,
                \(spec.parameters.weights.name), \(spec.parameters.weights.version),
                \(String(decoding: try encoder.encode(spec.parameters.weights.weights), as: UTF8.self))::jsonb,
                \(String(decoding: try encoder.encode(filters), as: UTF8.self))::jsonb, \(spec.parameters.topL),
                \(Int64(spec.parameters.coverageBonus ?? RoundSpec.coverageBonus)), \(MatchingEngine.version))
            """, logger: logger)
    }

    /// Fills in a queued round's results (the worker's last step, in one transaction).
    static func complete(id: UUID, snapshot: RoundSnapshot, result: RoundResult, runBy: UUID?,
                         on connection: PostgresConnection, logger: Logger) async throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        func json<T: Encodable>(_ value: T) throws -> String { String(decoding: try encoder.encode(value), as: UTF8.self) }
        try await connection.query("""
            UPDATE matching_rounds SET status = 'completed', progress = 1, engine_version = \(result.engineVersion),
                snapshot_hash = \(try snapshot.hash()), snapshot = \(String(decoding: try snapshot.canonicalJSON(), as: UTF8.self))::jsonb,
                timings = \(try json(result.timings))::jsonb, optimal_summary = \(try json(summary(result.optimal)))::jsonb,
                greedy_summary = \(try json(summary(result.greedy)))::jsonb, completed_at = now()
            WHERE id = \(id)
            """, logger: logger)
        try await insertPairs(round: id, pairs: result.pairs, on: connection, logger: logger)
        try await insertSolution(round: id, number: 0, result: result, fixed: 0, removed: 0, by: runBy,
                                 on: connection, logger: logger)
    }

    /// Every kept pair in one statement: arrays bound as parameters and unnested.
    private static func insertPairs(round: UUID, pairs: [ScoredPair], on connection: PostgresConnection, logger: Logger) async throws {
        guard !pairs.isEmpty else { return }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let needs = pairs.map { UUID(uuidString: $0.needId)! }
        let candidates = pairs.map { UUID(uuidString: $0.candidateId)! }
        let ranks = pairs.map(\.rank)
        let scores = pairs.map(\.score)
        let contributions = try pairs.map { String(decoding: try encoder.encode($0.contributions), as: UTF8.self) }
        let explanations = try pairs.map { String(decoding: try encoder.encode($0.explanations), as: UTF8.self) }
        try await connection.query("""
            INSERT INTO matching_pairs (round_id, need_id, candidate_id, rank, score, contributions, explanations)
            SELECT \(round), n, c, r, s, con::jsonb, ex::jsonb
            FROM unnest(\(needs)::uuid[], \(candidates)::uuid[], \(ranks)::int[], \(scores)::float8[],
                        \(contributions)::text[], \(explanations)::text[]) AS t(n, c, r, s, con, ex)
            """, logger: logger)
    }

    static func insertSolution(round: UUID, number: Int, result: RoundResult, fixed: Int, removed: Int, by user: UUID?,
                               on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query("""
            INSERT INTO matching_solutions (round_id, solution, optimal_objective, optimal_covered, optimal_score_units,
                greedy_objective, greedy_covered, greedy_score_units, fixed_pairs, removed_pairs, created_by)
            VALUES (\(round), \(number), \(Int64(result.optimal.objective)), \(result.optimal.coveredNeeds),
                \(Int64(result.optimal.totalScoreUnits)), \(Int64(result.greedy.objective)), \(result.greedy.coveredNeeds),
                \(Int64(result.greedy.totalScoreUnits)), \(fixed), \(removed), \(user))
            """, logger: logger)
        for (method, assignment) in [("optimal", result.optimal), ("greedy", result.greedy)] where !assignment.pairs.isEmpty {
            try await connection.query("""
                INSERT INTO matching_assignments (round_id, solution, method, need_id, candidate_id, score, fixed)
                SELECT \(round), \(number), \(method), n, c, s / 10000.0, f
                FROM unnest(\(assignment.pairs.map { UUID(uuidString: $0.needId)! })::uuid[],
                            \(assignment.pairs.map { UUID(uuidString: $0.candidateId)! })::uuid[],
                            \(assignment.pairs.map(\.scoreUnits))::int[],
                            \(assignment.pairs.map(\.fixed))::bool[]) AS t(n, c, s, f)
                """, logger: logger)
        }
        for runnerUp in result.runnerUps {
            let details = String(decoding: try JSONEncoder().encode(runnerUp), as: UTF8.self)
            try await connection.query("""
                INSERT INTO matching_runner_ups (round_id, solution, need_id, candidate_id, reason, score_units, details, explanation)
                VALUES (\(round), \(number), \(UUID(uuidString: runnerUp.needId)!), \(UUID(uuidString: runnerUp.candidateId)!),
                        \(runnerUp.reason.rawValue), \(runnerUp.scoreUnits), \(details)::jsonb, \(runnerUp.sentence))
                """, logger: logger)
        }
    }

    static func summary(_ assignment: AssignmentResult) -> AssignmentSummary {
        AssignmentSummary(objective: assignment.objective, coveredNeeds: assignment.coveredNeeds,
                          totalScore: Double(assignment.totalScoreUnits) / 10_000, pairs: assignment.pairs.count)
    }

    /// The stored snapshot and the candidate kind, for re-solving and reproducing.
    static func snapshot(round: UUID, on connection: PostgresConnection, logger: Logger) async throws -> (RoundSnapshot, String)? {
        guard let row = try await connection.query(
            "SELECT snapshot::text, candidates_kind FROM matching_rounds WHERE id = \(round)", logger: logger
        ).rows().first else { return nil }
        let text: String = try row.get("snapshot")
        return (try JSONDecoder().decode(RoundSnapshot.self, from: Data(text.utf8)), try row.get("candidates_kind"))
    }
}

struct AssignmentSummary: Codable, Sendable {
    var objective: Int
    var coveredNeeds: Int
    var totalScore: Double
    var pairs: Int
}

/// How a round's filters are stored: the engine's hard filters and the need selection.
struct RoundFiltersRecord: Codable, Sendable {
    var hard: HardFilters
    var needWard: String?
    var needDomain: String?
}
