import Vapor
import PostgresNIO

enum EventQueries {
    static func list(_ filter: EventFilter, page: PageRequest, on db: Database) async throws -> Page<EventDTO> {
        var count = SQLQuery("SELECT count(*)::int FROM events e")
        try whereClause(filter, into: &count)
        var select = SQLQuery(columns)
        try whereClause(filter, into: &select)
        return try await db.page(count: count, select: select, order: " ORDER BY e.starts_at, e.id", page: page, event)
    }

    static func find(_ id: UUID, on db: Database) async throws -> EventDTO? {
        var select = SQLQuery(columns)
        select.append(" WHERE e.id = "); try select.bind(id)
        guard var event = try await db.client.query(select.query).rows().first.map(event) else { return nil }
        event.registeredMembers = try await db.client.query("""
            SELECT m.name_ja FROM event_registrations r JOIN members m ON m.id = r.member_id
            WHERE r.event_id = \(id) ORDER BY r.created_at, m.name_ja
            """).rows().map { try $0.get("name_ja", as: String.self) }
        event.outcomes = try await db.client.query("""
            SELECT o.id, o.proposal_id, o.working_group_id, w.title AS wg_title, o.note, o.created_at
            FROM event_outcomes o LEFT JOIN working_groups w ON w.id = o.working_group_id
            WHERE o.event_id = \(id) ORDER BY o.created_at, o.id
            """).rows().map { row in
            EventOutcomeDTO(id: try row.get("id"), proposalId: try row.get("proposal_id"),
                            workingGroupId: try row.get("working_group_id"), workingGroupTitle: try row.get("wg_title"),
                            note: try row.get("note"), createdAt: try row.get("created_at"))
        }
        return event
    }

    static func isRegistered(event: UUID, member: UUID, on db: Database) async throws -> Bool {
        try await !db.client.query("SELECT 1 FROM event_registrations WHERE event_id = \(event) AND member_id = \(member)")
            .collect().isEmpty
    }

    private static let columns: StaticString = """
        SELECT e.id, e.council_id, e.kind, e.title, e.description, e.starts_at, e.ends_at, e.place, e.working_group_id,
               e.capacity, e.is_demo,
               (SELECT count(*)::int FROM event_registrations r WHERE r.event_id = e.id) AS registrations
        FROM events e
        """

    private static func whereClause(_ filter: EventFilter, into query: inout SQLQuery) throws {
        query.append(" WHERE e.council_id = "); try query.bind(filter.councilID)
        if let kind = filter.kind { query.append(" AND e.kind = "); try query.bind(kind) }
        if let from = filter.from { query.append(" AND e.starts_at >= "); try query.bind(from) }
        if let until = filter.until { query.append(" AND e.starts_at < "); try query.bind(until) }
    }

    private static func event(_ row: PostgresRandomAccessRow) throws -> EventDTO {
        EventDTO(id: try row.get("id"), councilId: try row.get("council_id"), kind: try row.get("kind"),
                 title: try row.get("title"), description: try row.get("description"), startsAt: try row.get("starts_at"),
                 endsAt: try row.get("ends_at"), place: try row.get("place"), workingGroupId: try row.get("working_group_id"),
                 capacity: try row.get("capacity", as: Int32?.self).map { Int($0) }, registrationCount: try row.get("registrations"),
                 isDemo: try row.get("is_demo"))
    }
}
