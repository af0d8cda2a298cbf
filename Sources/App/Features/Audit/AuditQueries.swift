import Vapor

/// Reading the audit log, filtered by user, entity, action and date (UTC days).
enum AuditQueries {
    static let parameters: Set<String> = ["page", "per_page", "user_id", "entity", "entity_id", "action", "from", "to"]

    struct Filter: Sendable {
        var userID: UUID?
        var entity: String?
        var entityID: String?
        var action: String?
        var from: Date?
        var to: Date?
    }

    struct Record: Content {
        var id: Int
        var at: Date
        var actorUserId: UUID?
        var actorEmail: String?
        var actorRole: String?
        var action: String
        var entity: String
        var entityId: String?
        var address: String?
        var requestId: String?
        var details: String
    }

    static func filter(_ query: QueryParameters) throws -> Filter {
        Filter(userID: try query.uuid("user_id"), entity: try query.string("entity"),
               entityID: try query.string("entity_id"), action: try query.string("action"),
               from: try day(query, "from"), to: try day(query, "to").map { $0.addingTimeInterval(24 * 3600) })
    }

    /// `YYYY-MM-DD`, read as a UTC day.
    static func day(_ query: QueryParameters, _ name: String) throws -> Date? {
        guard let raw = try query.string(name, maxLength: 10) else { return nil }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd"
        guard let date = formatter.date(from: raw) else {
            throw AppError.invalidParameter(name, ja: "YYYY-MM-DD の形で指定してください", en: "must be a date YYYY-MM-DD")
        }
        return date
    }

    static func list(_ filter: Filter, page: PageRequest, on db: Database) async throws -> Page<Record> {
        var count = SQLQuery("SELECT count(*)::int FROM audit_records a")
        try whereClause(filter, into: &count)
        var select = SQLQuery("""
            SELECT a.id, a.at, a.actor_user_id, u.email AS actor_email, a.actor_role, a.action, a.entity, a.entity_id,
                   host(a.address) AS address, a.request_id, a.details::text AS details
            FROM audit_records a LEFT JOIN users u ON u.id = a.actor_user_id
            """)
        try whereClause(filter, into: &select)
        return try await db.page(count: count, select: select, order: " ORDER BY a.at DESC, a.id DESC", page: page) { row in
            Record(id: Int(try row.get("id", as: Int64.self)), at: try row.get("at"), actorUserId: try row.get("actor_user_id"),
                   actorEmail: try row.get("actor_email"), actorRole: try row.get("actor_role"),
                   action: try row.get("action"), entity: try row.get("entity"), entityId: try row.get("entity_id"),
                   address: try row.get("address"), requestId: try row.get("request_id"), details: try row.get("details"))
        }
    }

    private static func whereClause(_ filter: Filter, into query: inout SQLQuery) throws {
        query.append(" WHERE true")
        if let user = filter.userID { query.append(" AND a.actor_user_id = "); try query.bind(user) }
        if let entity = filter.entity { query.append(" AND a.entity = "); try query.bind(entity) }
        if let entityID = filter.entityID { query.append(" AND a.entity_id = "); try query.bind(entityID) }
        if let action = filter.action { query.append(" AND a.action = "); try query.bind(action) }
        if let from = filter.from { query.append(" AND a.at >= "); try query.bind(from) }
        if let to = filter.to { query.append(" AND a.at < "); try query.bind(to) }
    }
}
