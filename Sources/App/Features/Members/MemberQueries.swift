import Vapor
import PostgresNIO

enum MemberQueries {
    static func list(_ filter: MemberFilter, page: PageRequest, on db: Database) async throws -> Page<MemberDTO> {
        var count = SQLQuery("SELECT count(*)::int FROM members m")
        try whereClause(filter, into: &count)
        var select = SQLQuery(columns)
        try whereClause(filter, into: &select)
        return try await db.page(count: count, select: select, order: " ORDER BY m.name_ja, m.id", page: page, member)
    }

    static func find(_ id: UUID, on db: Database) async throws -> MemberDTO? {
        var select = SQLQuery(columns)
        select.append(" WHERE m.id = "); try select.bind(id)
        return try await db.client.query(select.query).rows().first.map(member)
    }

    /// Members by kind, for the council's home page.
    static func countsByKind(councilID: UUID, on db: Database) async throws -> [String: Int] {
        var counts: [String: Int] = [:]
        let rows = try await db.client.query("""
            SELECT kind, count(*)::int FROM members WHERE council_id = \(councilID) AND status = 'active' GROUP BY kind
            """)
        for try await (kind, count) in rows.decode((String, Int).self) { counts[kind] = count }
        return counts
    }

    private static let columns: StaticString = """
        SELECT m.id, m.council_id, m.name_ja, m.name_en, m.kind, m.industry, m.domains, m.city_wide,
               ARRAY(SELECT w.name_ja FROM member_wards mw JOIN wards w ON w.code = mw.ward_code
                     WHERE mw.member_id = m.id ORDER BY w.position) AS wards,
               m.tags, m.description, m.capacity, to_char(m.joined_on, 'YYYY-MM-DD') AS joined_on,
               m.status, m.is_demo, m.created_at, m.updated_at
        FROM members m
        """

    private static func whereClause(_ filter: MemberFilter, into query: inout SQLQuery) throws {
        query.append(" WHERE m.council_id = "); try query.bind(filter.councilID)
        if let domain = filter.domain {
            query.append(" AND "); try query.bind(domain); query.append(" = ANY (m.domains)")
        }
        if let kind = filter.kind {
            query.append(" AND m.kind = "); try query.bind(kind)
        }
        if let ward = filter.wardCode {
            // A city-wide member serves every ward.
            query.append(" AND (m.city_wide OR EXISTS (SELECT 1 FROM member_wards mw WHERE mw.member_id = m.id AND mw.ward_code = ")
            try query.bind(ward)
            query.append("))")
        }
        if let search = filter.search {
            query.append(" AND m.search_text LIKE '%' || like_escape(search_normalise(ARRAY[")
            try query.bind(search)
            query.append("])) || '%'")
        }
    }

    private static func member(_ row: PostgresRandomAccessRow) throws -> MemberDTO {
        let cityWide: Bool = try row.get("city_wide")
        return MemberDTO(
            id: try row.get("id"), councilId: try row.get("council_id"), nameJa: try row.get("name_ja"),
            nameEn: try row.get("name_en"), kind: try row.get("kind"), industry: try row.get("industry"),
            domains: try row.get("domains"), wards: cityWide ? ["*"] : try row.get("wards"),
            tags: try row.get("tags"), description: try row.get("description"),
            capacity: Int(try row.get("capacity", as: Int32.self)), joinedOn: try row.get("joined_on"),
            status: try row.get("status"), isDemo: try row.get("is_demo"),
            createdAt: try row.get("created_at"), updatedAt: try row.get("updated_at"))
    }
}
