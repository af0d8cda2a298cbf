import Vapor
import PostgresNIO
import Matching

/// A round as the API shows it.
struct RoundDTO: Content {
    struct WeightSetDTO: Content { var name: String; var version: String; var weights: [String: Double] }
    struct AssignedDTO: Content {
        var candidateId: UUID
        var needId: UUID
        var score: Double
        var fixed: Bool
        var contributions: [String: Double]
    }
    struct RunnerUpDTO: Content {
        var needId: UUID
        var candidateId: UUID
        var reason: String
        var explanation: String
    }
    var id: UUID
    var councilId: UUID
    var status: String
    var candidates: String
    var weightSet: WeightSetDTO
    var filters: RoundFiltersRecord
    var topL: Int
    var coverageBonus: Int
    var engineVersion: String
    var snapshotHash: String
    var timings: RoundTimings
    var candidateCount: Int
    var needCount: Int
    var pairCount: Int
    var solution: Int
    var optimal: AssignmentSummary
    var greedy: AssignmentSummary
    var assignment: [AssignedDTO]
    var runnerUps: [RunnerUpDTO]
    var createdAt: Date
}

struct PairDTO: Content {
    var needId: UUID
    var candidateId: UUID
    var rank: Int
    var score: Double
    var contributions: [String: Double]
    var explanations: [String: String]
    var decision: String?
}

struct RoundListItem: Content {
    var id: UUID
    var candidates: String
    var status: String
    var weightSet: String
    var engineVersion: String
    var optimal: AssignmentSummary
    var greedy: AssignmentSummary
    var createdAt: Date
}

/// Reads of stored rounds.
enum RoundQueries {
    static func list(council: UUID, page: PageRequest, on db: Database) async throws -> Page<RoundListItem> {
        let total = try await db.client.query("SELECT count(*)::int FROM matching_rounds WHERE council_id = \(council)")
            .collect().first!.decode(Int.self)
        let rows = try await db.client.query("""
            SELECT id, candidates_kind, status, weight_set_name || '/' || weight_set_version AS weight_set, engine_version,
                   optimal_summary::text AS optimal, greedy_summary::text AS greedy, created_at
            FROM matching_rounds WHERE council_id = \(council)
            ORDER BY created_at DESC, id LIMIT \(page.perPage) OFFSET \(page.offset)
            """).rows()
        let items = try rows.map { row in
            RoundListItem(id: try row.get("id"), candidates: try row.get("candidates_kind"), status: try row.get("status"),
                          weightSet: try row.get("weight_set"), engineVersion: try row.get("engine_version"),
                          optimal: try decode(try row.get("optimal")), greedy: try decode(try row.get("greedy")),
                          createdAt: try row.get("created_at"))
        }
        return Page(items: items, total: total, request: page)
    }

    static func find(_ id: UUID, on db: Database) async throws -> RoundDTO? {
        guard let row = try await db.client.query("""
            SELECT r.id, r.council_id, r.status, r.candidates_kind, r.weight_set_name, r.weight_set_version, r.weights::text,
                   r.filters::text, r.top_l, r.coverage_bonus, r.engine_version, r.snapshot_hash, r.timings::text, r.created_at,
                   jsonb_array_length(r.snapshot->'candidates') AS candidate_count, jsonb_array_length(r.snapshot->'needs') AS need_count,
                   (SELECT count(*)::int FROM matching_pairs p WHERE p.round_id = r.id) AS pair_count,
                   s.solution, s.optimal_objective, s.optimal_covered, s.optimal_score_units,
                   s.greedy_objective, s.greedy_covered, s.greedy_score_units,
                   (SELECT count(*)::int FROM matching_assignments a WHERE a.round_id = r.id AND a.solution = s.solution AND a.method = 'optimal') AS optimal_pairs,
                   (SELECT count(*)::int FROM matching_assignments a WHERE a.round_id = r.id AND a.solution = s.solution AND a.method = 'greedy') AS greedy_pairs
            FROM matching_rounds r
            JOIN LATERAL (SELECT * FROM matching_solutions s WHERE s.round_id = r.id ORDER BY solution DESC LIMIT 1) s ON true
            WHERE r.id = \(id)
            """).rows().first else { return nil }
        let solution: Int = try row.get("solution")
        let assignment = try await db.client.query("""
            SELECT a.candidate_id, a.need_id, p.score, a.fixed, p.contributions::text
            FROM matching_assignments a
            JOIN matching_pairs p ON p.round_id = a.round_id AND p.need_id = a.need_id AND p.candidate_id = a.candidate_id
            WHERE a.round_id = \(id) AND a.solution = \(solution) AND a.method = 'optimal'
            ORDER BY a.need_id, p.rank
            """).rows().map { row in
            RoundDTO.AssignedDTO(candidateId: try row.get("candidate_id"), needId: try row.get("need_id"), score: try row.get("score"),
                                 fixed: try row.get("fixed"), contributions: try decode(try row.get("contributions")))
        }
        let runnerUps = try await db.client.query("""
            SELECT need_id, candidate_id, reason, explanation FROM matching_runner_ups
            WHERE round_id = \(id) AND solution = \(solution) ORDER BY need_id
            """).rows().map { row in
            RoundDTO.RunnerUpDTO(needId: try row.get("need_id"), candidateId: try row.get("candidate_id"),
                                 reason: try row.get("reason"), explanation: try row.get("explanation"))
        }
        return RoundDTO(
            id: try row.get("id"), councilId: try row.get("council_id"), status: try row.get("status"),
            candidates: try row.get("candidates_kind"),
            weightSet: .init(name: try row.get("weight_set_name"), version: try row.get("weight_set_version"),
                             weights: try decode(try row.get("weights"))),
            filters: try decode(try row.get("filters")), topL: Int(try row.get("top_l", as: Int32.self)),
            coverageBonus: Int(try row.get("coverage_bonus", as: Int64.self)), engineVersion: try row.get("engine_version"),
            snapshotHash: try row.get("snapshot_hash"), timings: try decode(try row.get("timings")),
            candidateCount: try row.get("candidate_count"), needCount: try row.get("need_count"),
            pairCount: try row.get("pair_count"), solution: solution,
            optimal: AssignmentSummary(objective: Int(try row.get("optimal_objective", as: Int64.self)),
                                       coveredNeeds: Int(try row.get("optimal_covered", as: Int32.self)),
                                       totalScore: Double(try row.get("optimal_score_units", as: Int64.self)) / 10_000,
                                       pairs: try row.get("optimal_pairs")),
            greedy: AssignmentSummary(objective: Int(try row.get("greedy_objective", as: Int64.self)),
                                      coveredNeeds: Int(try row.get("greedy_covered", as: Int32.self)),
                                      totalScore: Double(try row.get("greedy_score_units", as: Int64.self)) / 10_000,
                                      pairs: try row.get("greedy_pairs")),
            assignment: assignment, runnerUps: runnerUps, createdAt: try row.get("created_at"))
    }

    /// Ranked pairs of a round (optionally of one need), with the latest decision on each.
    static func pairs(round: UUID, need: UUID?, page: PageRequest, on db: Database) async throws -> Page<PairDTO> {
        var count = SQLQuery("SELECT count(*)::int FROM matching_pairs p WHERE p.round_id = ")
        try count.bind(round)
        var select = SQLQuery("""
            SELECT p.need_id, p.candidate_id, p.rank, p.score, p.contributions::text, p.explanations::text,
                   (SELECT d.decision FROM matching_decisions d WHERE d.round_id = p.round_id AND d.need_id = p.need_id
                      AND d.candidate_id = p.candidate_id ORDER BY d.decided_at DESC, d.created_at DESC LIMIT 1) AS decision
            FROM matching_pairs p WHERE p.round_id =
            """)
        try select.bind(round)
        if let need {
            count.append(" AND p.need_id = "); try count.bind(need)
            select.append(" AND p.need_id = "); try select.bind(need)
        }
        return try await db.page(count: count, select: select, order: " ORDER BY p.need_id, p.rank", page: page) { row in
            PairDTO(needId: try row.get("need_id"), candidateId: try row.get("candidate_id"),
                    rank: Int(try row.get("rank", as: Int32.self)), score: try row.get("score"),
                    contributions: try decode(try row.get("contributions")),
                    explanations: try decode(try row.get("explanations")), decision: try row.get("decision"))
        }
    }

    static func decode<T: Decodable>(_ text: String) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(text.utf8))
    }
}
