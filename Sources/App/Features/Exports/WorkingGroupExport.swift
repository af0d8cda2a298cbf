import Vapor

extension Exports {
    /// `GET /staff/exports/working-groups.csv` (staff): every working group of the council with its
    /// type, stage and how far it has come (days in the stage, latest activity, support done),
    /// its members with their roles, and its region.
    static func workingGroups(req: Request) async throws -> Response {
        try req.requireUser(.staff, .admin)
        let query = try QueryParameters(req, allowed: ["type", "stage", "domain", "ward"])
        let council = try await ReferenceQueries.defaultCouncilID(on: req.database)
        let type = try query.code("type", in: WorkingGroupType.codes)
        let stage = try query.code("stage", in: WorkingGroupStage.codes)
        let domain = try query.code("domain", in: DomainCode.codes)
        let ward = try await ReferenceQueries.wardCode(try query.string("ward"), parameter: "ward", on: req.database)
        let rows = try await req.database.client.query("""
            SELECT w.title, w.type, w.stage, w.domains, w.city_wide, to_char(w.started_on, 'YYYY-MM-DD') AS started_on,
                   (current_date - (w.stage_changed_at AT TIME ZONE 'Asia/Tokyo')::date)::int AS days_in_stage,
                   ARRAY(SELECT wd.name_ja FROM working_group_wards x JOIN wards wd ON wd.code = x.ward_code
                         WHERE x.working_group_id = w.id ORDER BY wd.position) AS wards,
                   ARRAY(SELECT d.name_ja FROM working_group_districts x JOIN districts d ON d.id = x.district_id
                         WHERE x.working_group_id = w.id ORDER BY d.name_ja) AS districts,
                   ARRAY(SELECT p.role || ':' || COALESCE(m.name_ja, p.display_name, u.display_name, '')
                         FROM working_group_participants p LEFT JOIN members m ON m.id = p.member_id
                         LEFT JOIN users u ON u.id = p.user_id WHERE p.working_group_id = w.id
                         ORDER BY array_position(ARRAY['lead', 'member', 'coordinator', 'local'], p.role),
                                  COALESCE(m.name_ja, p.display_name, u.display_name, '')) AS participants,
                   (SELECT count(*)::int FROM working_group_activities a WHERE a.working_group_id = w.id) AS activities,
                   act.occurred_on AS last_activity_on, act.title AS last_activity_title,
                   (SELECT count(*)::int FROM support_provided s WHERE s.working_group_id = w.id AND s.status = 'done') AS support_done,
                   (SELECT count(*)::int FROM support_provided s WHERE s.working_group_id = w.id) AS support_total
            FROM working_groups w
            LEFT JOIN LATERAL (
                SELECT to_char(a.occurred_on, 'YYYY-MM-DD') AS occurred_on, a.title FROM working_group_activities a
                WHERE a.working_group_id = w.id ORDER BY a.occurred_on DESC, a.created_at DESC LIMIT 1) act ON true
            WHERE w.council_id = \(council)
              AND (\(type)::text IS NULL OR w.type = \(type))
              AND (\(stage)::text IS NULL OR w.stage = \(stage))
              AND (\(domain)::text IS NULL OR \(domain) = ANY(w.domains))
              AND (\(ward)::text IS NULL OR w.city_wide
                   OR EXISTS (SELECT 1 FROM working_group_wards x WHERE x.working_group_id = w.id AND x.ward_code = \(ward)))
            ORDER BY w.started_on DESC NULLS LAST, w.title, w.id
            """).rows()
        var csv = CSVWriter()
        csv.row(["export_wg_title", "wg_type", "stage", "export_days_in_stage", "wg_started_on", "domain", "export_region",
                 "board_lead_org", "wg_participants", "export_wg_activities", "export_last_activity_on", "export_last_activity_title",
                 "export_support_progress"].map(req.text))
        for row in rows {
            let participants: [String] = try row.get("participants")
            let lead = participants.filter { $0.hasPrefix("lead:") }.map { String($0.dropFirst(5)) }
            let cityWide: Bool = try row.get("city_wide")
            let wards: [String] = try row.get("wards"), districts: [String] = try row.get("districts")
            let domains: [String] = try row.get("domains")
            csv.row([try row.get("title"), req.text("wg_type_" + (try row.get("type", as: String.self))),
                     req.text("stage_" + (try row.get("stage", as: String.self))), String(try row.get("days_in_stage", as: Int.self)),
                     try row.get("started_on", as: String?.self) ?? "",
                     domains.map { req.text("domain_" + $0) }.joined(separator: " / "),
                     cityWide ? req.text("city_wide") : (wards + districts).joined(separator: "・"),
                     lead.joined(separator: "・"),
                     participants.map { entry in
                         let role = String(entry.prefix { $0 != ":" })
                         return String(entry.dropFirst(role.count + 1)) + "（" + req.text("role_" + role) + "）"
                     }.joined(separator: "、"),
                     String(try row.get("activities", as: Int.self)), try row.get("last_activity_on", as: String?.self) ?? "",
                     try row.get("last_activity_title", as: String?.self) ?? "",
                     "\(try row.get("support_done", as: Int.self))/\(try row.get("support_total", as: Int.self))"])
        }
        return csv.response(filename: "working-groups.csv")
    }
}
