import Vapor
import Matching

extension Exports {
    /// `GET /staff/exports/matching-rounds/{id}/pairs.csv` (staff): every scored pair of a round —
    /// need, rank, candidate, score and each feature's contribution, whether the latest optimal
    /// assignment proposes it, and the latest staff decision on it.
    static func roundPairs(req: Request) async throws -> Response {
        try req.requireUser(.staff, .admin)
        guard let id = req.parameters.get("id", as: UUID.self),
              let round = try await RoundQueries.find(id, on: req.database) else { throw AppError.notFound("matching round") }
        let rows = try await req.database.client.query("""
            SELECT n.title AS need, concat_ws(' ', w.name_ja, d.name_ja) AS place, p.rank, p.score, p.contributions::text,
                   COALESCE(m.name_ja, pr.title || '（' || pm.name_ja || '）', p.candidate_id::text) AS candidate,
                   EXISTS (SELECT 1 FROM matching_assignments a WHERE a.round_id = p.round_id AND a.solution = \(round.solution)
                           AND a.method = 'optimal' AND a.need_id = p.need_id AND a.candidate_id = p.candidate_id) AS proposed,
                   (SELECT x.decision FROM matching_decisions x WHERE x.round_id = p.round_id AND x.need_id = p.need_id
                      AND x.candidate_id = p.candidate_id ORDER BY x.decided_at DESC, x.created_at DESC LIMIT 1) AS decision
            FROM matching_pairs p
            JOIN needs n ON n.id = p.need_id
            LEFT JOIN wards w ON w.code = n.ward_code
            LEFT JOIN districts d ON d.id = n.district_id
            LEFT JOIN members m ON m.id = p.candidate_id
            LEFT JOIN proposals pr ON pr.id = p.candidate_id
            LEFT JOIN members pm ON pm.id = pr.member_id
            WHERE p.round_id = \(id)
            ORDER BY n.severity DESC, n.title, p.need_id, p.rank
            """).rows()
        var csv = CSVWriter()
        csv.row(["need_title", "ward", "round_rank", "round_candidate", "round_score"].map(req.text)
                + Feature.allCases.map { req.text("feature_" + $0.rawValue) }
                + ["round_proposed", "round_decision"].map(req.text))
        for row in rows {
            let contributions: [String: Double] = try RoundQueries.decode(try row.get("contributions"))
            let decision: String? = try row.get("decision")
            csv.row([try row.get("need"), try row.get("place"), String(try row.get("rank", as: Int32.self)),
                     try row.get("candidate"), String(format: "%.4f", try row.get("score", as: Double.self))]
                    + Feature.allCases.map { String(format: "%.4f", contributions[$0.rawValue] ?? 0) }
                    + [req.text(try row.get("proposed", as: Bool.self) ? "export_yes" : "export_no"),
                       decision.map { req.text("decision_" + $0) } ?? ""])
        }
        return csv.response(filename: "matching-round-\(id.uuidString.lowercased().prefix(8))-pairs.csv")
    }
}
