import Vapor
import PostgresNIO

enum ThemeCallQueries {
    /// Open calls that still accept applications come first; for a member, among them the ones
    /// that match its domains and wards; then by deadline.
    static func list(_ filter: ThemeCallFilter, page: PageRequest, on db: Database) async throws -> Page<ThemeCallDTO> {
        var count = SQLQuery("SELECT count(*)::int FROM (")
        var select = SQLQuery("SELECT * FROM (")
        for index in 0..<2 {
            var query = index == 0 ? count : select
            query.append(columns)
            query.append(" LEFT JOIN members m ON m.id = "); try query.bind(filter.memberID ?? noMember)
            query.append(") c WHERE c.council_id = "); try query.bind(filter.councilID)
            if let status = filter.status { query.append(" AND c.status = "); try query.bind(status) }
            if let domain = filter.domain { query.append(" AND "); try query.bind(domain); query.append(" = ANY(c.domains)") }
            if let ward = filter.wardCode { query.append(" AND "); try query.bind(ward); query.append(" = ANY(c.ward_codes)") }
            if index == 0 { count = query } else { select = query }
        }
        let forMember = filter.memberID != nil
        return try await db.page(count: count, select: select, order: " ORDER BY c.accepting DESC, c.matches DESC, c.deadline, c.id",
                                 page: page) { try call($0, forMember: forMember) }
    }

    static func find(_ id: UUID, memberID: UUID?, on db: Database) async throws -> ThemeCallDTO? {
        var select = SQLQuery("SELECT * FROM (")
        select.append(columns)
        select.append(" LEFT JOIN members m ON m.id = "); try select.bind(memberID ?? noMember)
        select.append(") c WHERE c.id = "); try select.bind(id)
        return try await db.client.query(select.query).rows().first.map { try call($0, forMember: memberID != nil) }
    }

    /// Staff read every application; a member reads only its own.
    static func applications(of call: UUID, memberID: UUID?, page: PageRequest, on db: Database) async throws -> Page<ApplicationDTO> {
        var count = SQLQuery("SELECT count(*)::int FROM theme_call_applications a WHERE a.theme_call_id = ")
        var select = SQLQuery("""
            SELECT a.id, a.theme_call_id, a.member_id, m.name_ja AS member_name, a.statement, a.status, a.created_at
            FROM theme_call_applications a JOIN members m ON m.id = a.member_id WHERE a.theme_call_id =
            """)
        try count.bind(call)
        try select.bind(call)
        if let memberID {
            count.append(" AND a.member_id = "); try count.bind(memberID)
            select.append(" AND a.member_id = "); try select.bind(memberID)
        }
        return try await db.page(count: count, select: select, order: " ORDER BY a.created_at, a.id", page: page) { row in
            ApplicationDTO(id: try row.get("id"), themeCallId: try row.get("theme_call_id"), memberId: try row.get("member_id"),
                           memberName: try row.get("member_name"), statement: try row.get("statement"),
                           status: try row.get("status"), createdAt: try row.get("created_at"))
        }
    }

    /// Joins no member: staff and admins have none, so nothing ranks first for them.
    private static let noMember = UUID(uuidString: "00000000-0000-0000-0000-000000000000")!

    private static let columns: StaticString = """
        SELECT t.id, t.council_id, t.title, t.genre, t.description, t.domains, t.deadline, t.is_demo, t.created_at,
               CASE WHEN t.status = 'open' AND t.deadline <= now() THEN 'closed' ELSE t.status END AS status,
               (t.status = 'open' AND t.deadline > now()) AS accepting,
               ARRAY(SELECT tw.ward_code FROM theme_call_wards tw JOIN wards wa ON wa.code = tw.ward_code
                     WHERE tw.theme_call_id = t.id ORDER BY wa.position) AS ward_codes,
               ARRAY(SELECT wa.name_ja FROM theme_call_wards tw JOIN wards wa ON wa.code = tw.ward_code
                     WHERE tw.theme_call_id = t.id ORDER BY wa.position) AS ward_names,
               ARRAY(SELECT need_id FROM theme_call_needs WHERE theme_call_id = t.id ORDER BY need_id) AS need_ids,
               (SELECT count(*)::int FROM theme_call_applications a WHERE a.theme_call_id = t.id AND a.status <> 'withdrawn') AS application_count,
               COALESCE(t.domains && m.domains
                        AND (m.city_wide OR EXISTS (SELECT 1 FROM member_wards mw JOIN theme_call_wards tw ON tw.ward_code = mw.ward_code
                                                    WHERE mw.member_id = m.id AND tw.theme_call_id = t.id)), false) AS matches
        FROM theme_calls t
        """

    private static func call(_ row: PostgresRandomAccessRow, forMember: Bool) throws -> ThemeCallDTO {
        let matches: Bool = try row.get("matches")
        return ThemeCallDTO(
            id: try row.get("id"), councilId: try row.get("council_id"), title: try row.get("title"),
            genre: try row.get("genre"), description: try row.get("description"), domains: try row.get("domains"),
            wards: try row.get("ward_names"), wardCodes: try row.get("ward_codes"), needIds: try row.get("need_ids"),
            deadline: try row.get("deadline"), status: try row.get("status"), accepting: try row.get("accepting"),
            matchesYou: forMember ? matches : nil, applicationCount: try row.get("application_count"),
            isDemo: try row.get("is_demo"), createdAt: try row.get("created_at"))
    }
}
