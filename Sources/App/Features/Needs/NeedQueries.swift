import Vapor
import PostgresNIO

enum NeedQueries {
    static func list(_ filter: NeedFilter, page: PageRequest, on db: Database) async throws -> Page<NeedDTO> {
        var count = SQLQuery("SELECT count(*)::int FROM needs n")
        try whereClause(filter, into: &count)
        var select = SQLQuery(columns)
        try whereClause(filter, into: &select)
        // Most severe first, then oldest: the order staff work through them.
        return try await db.page(count: count, select: select, order: " ORDER BY n.severity DESC, n.created_at, n.id", page: page, need)
    }

    static func find(_ id: UUID, on db: Database) async throws -> NeedDTO? {
        var select = SQLQuery(columns)
        select.append(" WHERE n.id = "); try select.bind(id)
        return try await db.client.query(select.query).rows().first.map(need)
    }

    /// Needs in status `open` counted per ward and domain, for the home page.
    static func openCountsByWardAndDomain(councilID: UUID, on db: Database) async throws -> [String: [String: Int]] {
        var counts: [String: [String: Int]] = [:]
        let rows = try await db.client.query("""
            SELECT ward_code, domain, count(*)::int FROM needs
            WHERE council_id = \(councilID) AND status = 'open' AND ward_code IS NOT NULL
            GROUP BY ward_code, domain
            """)
        for try await (ward, domain, count) in rows.decode((String, String, Int).self) {
            counts[ward, default: [:]][domain] = count
        }
        return counts
    }

    private static let columns: StaticString = """
        SELECT n.id, n.council_id, w.name_ja AS ward, n.ward_code, n.district_id, d.name_ja AS district,
               n.domain, n.title, n.description, n.tags, n.severity, n.source, n.wanted, n.status, n.is_demo,
               n.created_at, n.updated_at
        FROM needs n
        LEFT JOIN wards w ON w.code = n.ward_code
        LEFT JOIN districts d ON d.id = n.district_id
        """

    private static func whereClause(_ filter: NeedFilter, into query: inout SQLQuery) throws {
        query.append(" WHERE n.council_id = "); try query.bind(filter.councilID)
        if let domain = filter.domain { query.append(" AND n.domain = "); try query.bind(domain) }
        if let ward = filter.wardCode { query.append(" AND n.ward_code = "); try query.bind(ward) }
        if let district = filter.districtID { query.append(" AND n.district_id = "); try query.bind(district) }
        if let status = filter.status { query.append(" AND n.status = "); try query.bind(status) }
        if let search = filter.search {
            query.append(" AND n.search_text LIKE '%' || like_escape(search_normalise(ARRAY[")
            try query.bind(search)
            query.append("])) || '%'")
        }
    }

    private static func need(_ row: PostgresRandomAccessRow) throws -> NeedDTO {
        NeedDTO(
            id: try row.get("id"), councilId: try row.get("council_id"), ward: try row.get("ward"),
            wardCode: try row.get("ward_code"), districtId: try row.get("district_id"), district: try row.get("district"),
            domain: try row.get("domain"), title: try row.get("title"), description: try row.get("description"),
            tags: try row.get("tags"), severity: Int(try row.get("severity", as: Int16.self)),
            source: try row.get("source"), wanted: Int(try row.get("wanted", as: Int16.self)),
            status: try row.get("status"), isDemo: try row.get("is_demo"),
            createdAt: try row.get("created_at"), updatedAt: try row.get("updated_at"))
    }
}
