import Vapor
import PostgresNIO

/// Reads of working groups: the filtered list (API and board) and one group with all its parts.
enum WorkingGroupQueries {
    static func list(_ filter: WorkingGroupFilter, page: PageRequest, on db: Database) async throws -> Page<WorkingGroupDTO> {
        var count = SQLQuery("SELECT count(*)::int FROM working_groups w")
        try whereClause(filter, into: &count)
        var select = SQLQuery(columns)
        try whereClause(filter, into: &select)
        return try await db.page(count: count, select: select, order: " ORDER BY w.started_on DESC NULLS LAST, w.title, w.id", page: page, group)
    }

    static func find(_ id: UUID, on db: Database) async throws -> WorkingGroupDTO? {
        var select = SQLQuery(columns)
        select.append(" WHERE w.id = "); try select.bind(id)
        return try await db.client.query(select.query).rows().first.map(group)
    }

    /// The group with participants, support, stage history, activities and its origin proposal;
    /// the proposal's body only when `showConfidential`.
    static func detail(_ id: UUID, showConfidential: Bool, on db: Database) async throws -> WorkingGroupDTO? {
        guard var group = try await find(id, on: db) else { return nil }
        let client = db.client
        let extra = try await client.query("""
            SELECT outcome_notes,
                   ARRAY(SELECT need_id FROM working_group_needs WHERE working_group_id = w.id ORDER BY need_id) AS needs,
                   ARRAY(SELECT district_id FROM working_group_districts WHERE working_group_id = w.id ORDER BY district_id) AS districts
            FROM working_groups w WHERE w.id = \(id)
            """).rows().first
        group.outcomeNotes = try extra?.get("outcome_notes")
        group.needIds = try extra?.get("needs")
        group.districtIds = try extra?.get("districts")
        group.participants = try await client.query("""
            SELECT p.id, p.role, p.member_id, p.user_id, COALESCE(m.name_ja, p.display_name, u.display_name, '') AS name,
                   to_char(p.joined_on, 'YYYY-MM-DD') AS joined_on
            FROM working_group_participants p
            LEFT JOIN members m ON m.id = p.member_id
            LEFT JOIN users u ON u.id = p.user_id
            WHERE p.working_group_id = \(id)
            ORDER BY array_position(ARRAY['lead', 'member', 'coordinator', 'local'], p.role), p.created_at, p.id
            """).rows().map { row in
            ParticipantDTO(id: try row.get("id"), role: try row.get("role"), memberId: try row.get("member_id"),
                           userId: try row.get("user_id"), name: try row.get("name"), joinedOn: try row.get("joined_on"))
        }
        group.support = try await client.query("""
            SELECT s.id, s.item, s.owner_department, s.status, s.note, s.updated_at
            FROM support_provided s JOIN support_menu_items i ON i.code = s.item
            WHERE s.working_group_id = \(id) ORDER BY i.position, s.created_at, s.id
            """).rows().map { row in
            SupportDTO(id: try row.get("id"), item: try row.get("item"), ownerDepartment: try row.get("owner_department"),
                       status: try row.get("status"), note: try row.get("note"), updatedAt: try row.get("updated_at"))
        }
        group.stageHistory = try await client.query("""
            SELECT h.from_stage, h.to_stage, h.note, u.display_name AS actor, h.at
            FROM working_group_stage_history h LEFT JOIN users u ON u.id = h.actor_user_id
            WHERE h.working_group_id = \(id) ORDER BY h.at, h.created_at, h.id
            """).rows().map { row in
            StageChangeDTO(fromStage: try row.get("from_stage"), toStage: try row.get("to_stage"), note: try row.get("note"),
                           actor: try row.get("actor"), at: try row.get("at"))
        }
        group.activities = try await client.query("""
            SELECT id, kind, to_char(occurred_on, 'YYYY-MM-DD') AS occurred_on, title, body, links
            FROM working_group_activities WHERE working_group_id = \(id)
            ORDER BY occurred_on DESC, created_at DESC, id
            """).rows().map { row in
            ActivityDTO(id: try row.get("id"), kind: try row.get("kind"), occurredOn: try row.get("occurred_on"),
                        title: try row.get("title"), body: try row.get("body"), links: try row.get("links"))
        }
        if let proposalID = group.originProposalId {
            group.originProposal = try await client.query("""
                SELECT p.id, p.title, p.summary, p.body, m.name_ja AS member_name
                FROM proposals p JOIN members m ON m.id = p.member_id WHERE p.id = \(proposalID)
                """).rows().first.map { row in
                let body: String = try row.get("body")
                return OriginProposalDTO(id: try row.get("id"), title: try row.get("title"), summary: try row.get("summary"),
                                         memberName: try row.get("member_name"), body: showConfidential ? body : nil)
            }
        }
        group.confidentialVisible = showConfidential
        return group
    }

    /// Days are counted on the Japanese calendar, the way the council counts them.
    private static let columns: StaticString = """
        SELECT w.id, w.council_id, w.type, w.title, w.summary, w.domains, w.city_wide, w.stage, w.stage_changed_at,
               ((now() AT TIME ZONE 'Asia/Tokyo')::date - (w.stage_changed_at AT TIME ZONE 'Asia/Tokyo')::date) AS days_in_stage,
               w.origin_proposal_id, w.origin_theme_call_id, w.origin_round_id,
               to_char(w.started_on, 'YYYY-MM-DD') AS started_on, w.is_demo, w.created_at, w.updated_at,
               ARRAY(SELECT ww.ward_code FROM working_group_wards ww JOIN wards wa ON wa.code = ww.ward_code
                     WHERE ww.working_group_id = w.id ORDER BY wa.position) AS ward_codes,
               ARRAY(SELECT wa.name_ja FROM working_group_wards ww JOIN wards wa ON wa.code = ww.ward_code
                     WHERE ww.working_group_id = w.id ORDER BY wa.position) AS ward_names,
               lead.member_id AS lead_member_id, lead.name_ja AS lead_name,
               act.occurred_on AS last_activity_on, act.title AS last_activity_title
        FROM working_groups w
        LEFT JOIN LATERAL (
            SELECT p.member_id, m.name_ja FROM working_group_participants p JOIN members m ON m.id = p.member_id
            WHERE p.working_group_id = w.id AND p.role = 'lead' LIMIT 1) lead ON true
        LEFT JOIN LATERAL (
            SELECT to_char(a.occurred_on, 'YYYY-MM-DD') AS occurred_on, a.title FROM working_group_activities a
            WHERE a.working_group_id = w.id ORDER BY a.occurred_on DESC, a.created_at DESC LIMIT 1) act ON true
        """

    static func whereClause(_ filter: WorkingGroupFilter, into query: inout SQLQuery) throws {
        query.append(" WHERE w.council_id = "); try query.bind(filter.councilID)
        if let type = filter.type { query.append(" AND w.type = "); try query.bind(type) }
        if let stage = filter.stage { query.append(" AND w.stage = "); try query.bind(stage) }
        if let domain = filter.domain { query.append(" AND "); try query.bind(domain); query.append(" = ANY(w.domains)") }
        if let ward = filter.wardCode {
            // A city-wide group works in every ward.
            query.append(" AND (w.city_wide OR EXISTS (SELECT 1 FROM working_group_wards x WHERE x.working_group_id = w.id AND x.ward_code = ")
            try query.bind(ward)
            query.append("))")
        }
    }

    private static func group(_ row: PostgresRandomAccessRow) throws -> WorkingGroupDTO {
        let cityWide: Bool = try row.get("city_wide")
        let wardNames: [String] = try row.get("ward_names")
        return WorkingGroupDTO(
            id: try row.get("id"), councilId: try row.get("council_id"), type: try row.get("type"),
            title: try row.get("title"), summary: try row.get("summary"), domains: try row.get("domains"),
            wards: cityWide ? ["*"] : wardNames, wardCodes: try row.get("ward_codes"), cityWide: cityWide,
            stage: try row.get("stage"), stageChangedAt: try row.get("stage_changed_at"),
            daysInStage: try row.get("days_in_stage"), leadMemberId: try row.get("lead_member_id"),
            leadOrganisation: try row.get("lead_name"), lastActivityOn: try row.get("last_activity_on"),
            lastActivityTitle: try row.get("last_activity_title"), originProposalId: try row.get("origin_proposal_id"),
            originThemeCallId: try row.get("origin_theme_call_id"), originRoundId: try row.get("origin_round_id"),
            startedOn: try row.get("started_on"), isDemo: try row.get("is_demo"), createdAt: try row.get("created_at"),
            updatedAt: try row.get("updated_at"))
    }
}
