import Vapor
import PostgresNIO

/// The SQL of proposals: reading with the viewer's rights, writing with the workflow's rules.
enum ProposalQueries {
    /// What the viewer may see of one proposal.
    enum Visible {
        case full(ProposalDTO)
        case summary(ProposalSummaryDTO)
    }

    /// The filters of a list, already checked.
    struct Filter: Sendable {
        var status: String?
        var domain: String?
        var wardCode: String?
        var track: String?
        /// Words anywhere in the title, summary, body or tags (NFKC, case-insensitive).
        var search: String?
    }

    static let columns: StaticString = """
        SELECT p.id, p.council_id, p.member_id, m.name_ja AS member_name, p.title, p.summary, p.body, p.domains,
               p.city_wide, ARRAY(SELECT w.name_ja FROM proposal_wards pw JOIN wards w ON w.code = pw.ward_code
                                  WHERE pw.proposal_id = p.id ORDER BY w.position) AS wards,
               ARRAY(SELECT pd.district_id FROM proposal_districts pd WHERE pd.proposal_id = p.id
                     ORDER BY pd.district_id) AS district_ids,
               p.tags, p.support_menu, p.resources_offered, p.track, p.status, p.submitted_at, p.decided_at,
               p.created_at, p.updated_at
        FROM proposals p JOIN members m ON m.id = p.member_id
        """

    /// The proposal as `viewer` may see it, or nil: not found *or not theirs* look the same.
    static func find(_ id: UUID, for viewer: SignedInUser, on db: Database) async throws -> Visible? {
        var query = SQLQuery(columns)
        query.append(" WHERE p.id = "); try query.bind(id)
        guard let row = try await db.client.query(query.query).rows().first else { return nil }
        var proposal = try dto(row, withBody: true)
        switch viewer.role {
        case .member:
            if proposal.memberId == viewer.memberID {
                proposal.history = try await history(id, on: db)
                return .full(proposal)
            }
            return proposal.status == ProposalStatus.accepted.rawValue ? .summary(summary(proposal)) : nil
        case .staff, .admin:
            // Staff never see a proposal that was not submitted (another member's draft).
            guard proposal.submittedAt != nil, proposal.councilId == viewer.councilID else { return nil }
            proposal.history = try await history(id, on: db)
            return .full(proposal)
        }
    }

    /// A member's own proposals, or (staff) every submitted one of the council; oldest first for staff.
    static func list(for viewer: SignedInUser, filter: Filter, page: PageRequest, on db: Database) async throws -> Page<ProposalDTO> {
        var count = SQLQuery("SELECT count(*)::int FROM proposals p")
        try scope(viewer, filter, into: &count)
        var select = SQLQuery(columns)
        try scope(viewer, filter, into: &select)
        if viewer.role == .member {
            select.append(" ORDER BY p.updated_at DESC, p.id")
        } else {
            select.append(" ORDER BY p.submitted_at, p.id")
        }
        select.append(" LIMIT "); try select.bind(page.perPage)
        select.append(" OFFSET "); try select.bind(page.offset)
        let total = try await db.client.query(count.query).collect().first?.decode(Int.self) ?? 0
        let items = try await db.client.query(select.query).rows().map { try dto($0, withBody: false) }
        return Page(items: items, total: total, request: page)
    }

    private static func scope(_ viewer: SignedInUser, _ filter: Filter, into query: inout SQLQuery) throws {
        if viewer.role == .member {
            query.append(" WHERE p.member_id = "); try query.bind(viewer.memberID ?? UUID())
        } else {
            query.append(" WHERE p.submitted_at IS NOT NULL AND p.council_id = "); try query.bind(viewer.councilID)
        }
        if let status = filter.status { query.append(" AND p.status = "); try query.bind(status) }
        if let domain = filter.domain { query.append(" AND "); try query.bind(domain); query.append(" = ANY (p.domains)") }
        if let track = filter.track { query.append(" AND p.track = "); try query.bind(track) }
        if let ward = filter.wardCode {
            query.append(" AND (p.city_wide OR EXISTS (SELECT 1 FROM proposal_wards pw WHERE pw.proposal_id = p.id AND pw.ward_code = ")
            try query.bind(ward)
            query.append("))")
        }
        if let search = filter.search {
            query.append(" AND p.search_text LIKE '%' || like_escape(search_normalise(ARRAY[")
            try query.bind(search)
            query.append("])) || '%'")
        }
    }

    static func history(_ id: UUID, on db: Database) async throws -> [ProposalDTO.HistoryEntry] {
        try await db.client.query("""
            SELECT from_status, to_status, comment, at FROM proposal_status_history
            WHERE proposal_id = \(id) ORDER BY at, created_at
            """).rows().map { row in
            .init(from: try row.get("from_status"), to: try row.get("to_status"), comment: try row.get("comment"),
                  at: try row.get("at"))
        }
    }

    static func summary(_ p: ProposalDTO) -> ProposalSummaryDTO {
        ProposalSummaryDTO(id: p.id, memberName: p.memberName, title: p.title, summary: p.summary, domains: p.domains,
                           wards: p.wards, track: p.track, status: p.status)
    }

    static func dto(_ row: PostgresRandomAccessRow, withBody: Bool) throws -> ProposalDTO {
        let cityWide: Bool = try row.get("city_wide")
        return ProposalDTO(
            id: try row.get("id"), councilId: try row.get("council_id"), memberId: try row.get("member_id"),
            memberName: try row.get("member_name"), title: try row.get("title"), summary: try row.get("summary"),
            body: withBody ? try row.get("body") : nil, domains: try row.get("domains"),
            wards: cityWide ? ["*"] : try row.get("wards"), districtIds: try row.get("district_ids"),
            tags: try row.get("tags"), supportMenu: try row.get("support_menu"),
            resourcesOffered: try row.get("resources_offered"), track: try row.get("track"),
            status: try row.get("status"), submittedAt: try row.get("submitted_at"),
            decidedAt: try row.get("decided_at"), createdAt: try row.get("created_at"),
            updatedAt: try row.get("updated_at"), history: nil)
    }
}
