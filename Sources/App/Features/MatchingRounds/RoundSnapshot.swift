import Vapor
import PostgresNIO
import Matching
import Crypto

/// The candidate and need rows exactly as the engine saw them, with the parameters: stored with
/// the round, hashed, and enough to run the engine again and get the identical result.
struct RoundSnapshot: Codable, Sendable {
    var candidates: [CandidateInput]
    var needs: [NeedInput]
    var parameters: RoundParameters

    /// Canonical JSON (sorted keys), so equal snapshots hash equally.
    func canonicalJSON() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }

    func hash() throws -> String {
        SHA256.hash(data: try canonicalJSON()).map { String(format: "%02x", $0) }.joined()
    }

    /// Loads the council's candidates and its needs that are still open for matching.
    static func load(_ spec: RoundSpec, on connection: PostgresConnection, logger: Logger) async throws -> RoundSnapshot {
        let candidates = switch spec.candidates {
        case .members: try await members(council: spec.councilID, on: connection, logger: logger)
        case .proposals: try await proposals(council: spec.councilID, on: connection, logger: logger)
        }
        return RoundSnapshot(candidates: candidates,
                             needs: try await needs(spec, on: connection, logger: logger),
                             parameters: spec.parameters)
    }

    private static func members(council: UUID, on connection: PostgresConnection, logger: Logger) async throws -> [CandidateInput] {
        let load = try await memberActivity(council: council, on: connection, logger: logger)
        let rows = try await connection.query("""
            SELECT m.id, m.name_ja, m.domains, m.city_wide, m.tags, m.capacity,
                   ARRAY(SELECT ward_code FROM member_wards w WHERE w.member_id = m.id ORDER BY ward_code) AS wards,
                   m.description || coalesce(' ' || (
                     SELECT string_agg(p.title || ' ' || p.summary || ' ' || array_to_string(p.tags, ' '), ' ' ORDER BY p.id)
                     FROM proposals p WHERE p.member_id = m.id AND p.status IN ('submitted', 'in_review', 'accepted')), '') AS text
            FROM members m
            WHERE m.council_id = \(council) AND m.status = 'active'
            ORDER BY m.id
            """, logger: logger).rows()
        return try rows.map { row in
            let id: UUID = try row.get("id")
            return CandidateInput(
                id: id.uuidString.lowercased(), name: try row.get("name_ja"), domains: try row.get("domains"),
                wardCodes: try row.get("wards"), cityWide: try row.get("city_wide"), districtIds: [],
                tags: try row.get("tags"), text: try row.get("text"), capacity: Int(try row.get("capacity", as: Int32.self)),
                activeCollaborations: load[id]?.running ?? 0, workingGroupsByDomain: load[id]?.experience ?? [:])
        }
    }

    /// Submitted, in-review and accepted proposals, each carrying its member's capacity and record.
    private static func proposals(council: UUID, on connection: PostgresConnection, logger: Logger) async throws -> [CandidateInput] {
        let load = try await memberActivity(council: council, on: connection, logger: logger)
        let rows = try await connection.query("""
            SELECT p.id, p.member_id, p.title, m.name_ja, p.domains, p.city_wide, p.tags, m.capacity,
                   ARRAY(SELECT ward_code FROM proposal_wards w WHERE w.proposal_id = p.id ORDER BY ward_code) AS wards,
                   ARRAY(SELECT district_id::text FROM proposal_districts d WHERE d.proposal_id = p.id ORDER BY district_id) AS districts,
                   p.title || ' ' || p.summary || ' ' || p.body AS text
            FROM proposals p JOIN members m ON m.id = p.member_id
            WHERE p.council_id = \(council) AND p.status IN ('submitted', 'in_review', 'accepted') AND m.status = 'active'
            ORDER BY p.id
            """, logger: logger).rows()
        return try rows.map { row in
            let id: UUID = try row.get("id")
            let member: UUID = try row.get("member_id")
            let title: String = try row.get("title")
            let memberName: String = try row.get("name_ja")
            return CandidateInput(
                id: id.uuidString.lowercased(), name: "\(memberName)「\(title)」", domains: try row.get("domains"),
                wardCodes: try row.get("wards"), cityWide: try row.get("city_wide"), districtIds: try row.get("districts"),
                tags: try row.get("tags"), text: try row.get("text"), capacity: Int(try row.get("capacity", as: Int32.self)),
                activeCollaborations: load[member]?.running ?? 0, workingGroupsByDomain: load[member]?.experience ?? [:])
        }
    }

    private struct Activity { var running = 0; var experience: [String: Int] = [:] }

    /// Running collaborations (working groups not yet finished, live introductions) use capacity;
    /// working groups that ran or run in a domain count as experience there.
    private static func memberActivity(council: UUID, on connection: PostgresConnection, logger: Logger) async throws -> [UUID: Activity] {
        var activity: [UUID: Activity] = [:]
        let running = try await connection.query("""
            SELECT member_id, sum(n)::int FROM (
              SELECT p.member_id, count(*) AS n FROM working_group_participants p
              JOIN working_groups w ON w.id = p.working_group_id
              WHERE w.council_id = \(council) AND p.member_id IS NOT NULL
                AND w.stage IN ('forming', 'active', 'piloting', 'reviewing')
              GROUP BY p.member_id
              UNION ALL
              SELECT member_id, count(*) FROM introductions
              WHERE council_id = \(council) AND status IN ('introduced', 'in_talks', 'collaborating')
              GROUP BY member_id
            ) load GROUP BY member_id
            """, logger: logger)
        for try await (member, n) in running.decode((UUID, Int).self) { activity[member, default: Activity()].running = n }
        let experience = try await connection.query("""
            SELECT p.member_id, d.domain, count(*)::int FROM working_group_participants p
            JOIN working_groups w ON w.id = p.working_group_id
            CROSS JOIN LATERAL unnest(w.domains) AS d(domain)
            WHERE w.council_id = \(council) AND p.member_id IS NOT NULL
              AND w.stage IN ('active', 'piloting', 'reviewing', 'completed')
            GROUP BY p.member_id, d.domain
            """, logger: logger)
        for try await (member, domain, n) in experience.decode((UUID, String, Int).self) {
            activity[member, default: Activity()].experience[domain] = n
        }
        return activity
    }

    private static func needs(_ spec: RoundSpec, on connection: PostgresConnection, logger: Logger) async throws -> [NeedInput] {
        var query = SQLQuery("""
            SELECT n.id, n.domain, n.ward_code, w.name_ja AS ward_name, n.district_id, d.name_ja AS district_name,
                   n.title, n.description, n.tags, n.wanted, n.severity
            FROM needs n LEFT JOIN wards w ON w.code = n.ward_code LEFT JOIN districts d ON d.id = n.district_id
            WHERE n.status IN ('open', 'matching') AND n.council_id =
            """)
        try query.bind(spec.councilID)
        if let ward = spec.needWardCode { query.append(" AND n.ward_code = "); try query.bind(ward) }
        if let domain = spec.needDomain { query.append(" AND n.domain = "); try query.bind(domain) }
        query.append(" ORDER BY n.id")
        return try await connection.query(query.query, logger: logger).rows().map { row in
            let id: UUID = try row.get("id")
            let district: UUID? = try row.get("district_id")
            return NeedInput(
                id: id.uuidString.lowercased(), domain: try row.get("domain"), wardCode: try row.get("ward_code"),
                wardName: try row.get("ward_name"), districtId: district?.uuidString.lowercased(),
                districtName: try row.get("district_name"), title: try row.get("title"),
                description: try row.get("description"), tags: try row.get("tags"),
                wanted: Int(try row.get("wanted", as: Int16.self)), priority: Int(try row.get("severity", as: Int16.self)))
        }
    }
}
