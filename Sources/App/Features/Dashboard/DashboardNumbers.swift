import Vapor
import PostgresNIO

/// The staff dashboard's numbers, straight from the database; `/api/v1/dashboard` serves them as JSON.
struct DashboardNumbers: Content {
    struct Count: Content {
        var code: String
        var count: Int
    }

    struct SupportCount: Content {
        var item: String
        var requested: Int
        var inProgress: Int
        var done: Int
        var total: Int
    }

    var proposalsByStatus: [Count]
    var proposalsByDomain: [Count]
    var groupsByStage: [Count]
    var groupsByType: [Count]
    /// Median days from a proposal's submission to the formation of its working group (the first
    /// entry of the group's stage history); nil when no group has come from a proposal yet.
    var medianDaysProposalToGroup: Double?
    var groupsFromProposals: Int
    var supportByItem: [SupportCount]

    static func load(councilID: UUID, on db: Database) async throws -> DashboardNumbers {
        let client = db.client
        func counts(_ query: PostgresQuery, codes: [String]) async throws -> [Count] {
            var found: [String: Int] = [:]
            for try await (code, count) in try await client.query(query).decode((String, Int).self) { found[code] = count }
            return codes.map { Count(code: $0, count: found[$0] ?? 0) }
        }
        let byStatus = try await counts("""
            SELECT status, count(*)::int FROM proposals WHERE council_id = \(councilID) GROUP BY status
            """, codes: ProposalStatus.codes)
        // A proposal in two domains counts once in each.
        let byDomain = try await counts("""
            SELECT d, count(*)::int FROM proposals p, unnest(p.domains) d WHERE p.council_id = \(councilID) GROUP BY d
            """, codes: DomainCode.codes)
        let byStage = try await counts("""
            SELECT stage, count(*)::int FROM working_groups WHERE council_id = \(councilID) GROUP BY stage
            """, codes: WorkingGroupStage.codes)
        let byType = try await counts("""
            SELECT type, count(*)::int FROM working_groups WHERE council_id = \(councilID) GROUP BY type
            """, codes: WorkingGroupType.codes)
        let median = try await client.query("""
            SELECT (percentile_cont(0.5) WITHIN GROUP (ORDER BY days))::float8 AS median, count(*)::int AS n FROM (
              SELECT EXTRACT(EPOCH FROM (formed.at - p.submitted_at)) / 86400.0 AS days
              FROM working_groups w
              JOIN proposals p ON p.id = w.origin_proposal_id
              JOIN LATERAL (SELECT min(h.at) AS at FROM working_group_stage_history h WHERE h.working_group_id = w.id) formed ON true
              WHERE w.council_id = \(councilID) AND p.submitted_at IS NOT NULL AND formed.at IS NOT NULL
            ) x
            """).rows().first
        var support: [String: SupportCount] = [:]
        for row in try await client.query("""
            SELECT item, status, count(*)::int AS n FROM support_provided WHERE council_id = \(councilID) GROUP BY item, status
            """).rows() {
            let item: String = try row.get("item")
            let n: Int = try row.get("n")
            var entry = support[item] ?? SupportCount(item: item, requested: 0, inProgress: 0, done: 0, total: 0)
            switch try row.get("status", as: String.self) {
            case "requested": entry.requested += n
            case "in_progress": entry.inProgress += n
            default: entry.done += n
            }
            entry.total += n
            support[item] = entry
        }
        return DashboardNumbers(
            proposalsByStatus: byStatus, proposalsByDomain: byDomain, groupsByStage: byStage, groupsByType: byType,
            medianDaysProposalToGroup: try median.flatMap { try $0.get("median", as: Double?.self) },
            groupsFromProposals: try median.map { try $0.get("n", as: Int.self) } ?? 0,
            supportByItem: SupportMenuCode.codes.map {
                support[$0] ?? SupportCount(item: $0, requested: 0, inProgress: 0, done: 0, total: 0)
            })
    }
}

/// `GET /api/v1/dashboard` (staff).
enum DashboardAPI {
    static func show(req: Request) async throws -> DashboardNumbers {
        try req.requireUser(.staff, .admin)
        let query = try QueryParameters(req, allowed: ["council_id"])
        let council = try await ReferenceQueries.councilID(try query.uuid("council_id"), on: req.database)
        return try await DashboardNumbers.load(councilID: council, on: req.database)
    }
}
