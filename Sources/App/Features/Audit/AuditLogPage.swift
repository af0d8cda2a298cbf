import Vapor

/// `/admin/audit`: the audit log, filtered by user, entity, action and date.
enum AuditLogPage {
    struct Row: Encodable {
        var at: String
        /// The exact instant (UTC, ISO 8601) for the machine-readable datetime attribute.
        var iso: String
        var actor: String
        var role: String
        var action: String
        var entity: String
        var entityID: String
        var address: String
        var requestID: String
    }

    struct Model: Encodable {
        var layout: Layout
        var userID: String
        var entity: String
        var action: String
        var from: String
        var to: String
        var records: [Row]
        var pager: Pager
    }

    static func show(req: Request) async throws -> View {
        try req.requireUser(.admin)
        let query = try QueryParameters(req, allowed: AuditQueries.parameters)
        let filter = try AuditQueries.filter(query)
        let page = try PageRequest(query)
        let list = try await AuditQueries.list(filter, page: page, on: req.database)
        let raw = { (name: String) in (try? query.string(name)) ?? nil }
        let iso = ISO8601DateFormatter()
        let model = Model(
            layout: req.layout(titleKey: "audit_title"),
            userID: raw("user_id") ?? "", entity: raw("entity") ?? "", action: raw("action") ?? "",
            from: raw("from") ?? "", to: raw("to") ?? "",
            records: list.items.map { r in
                Row(at: DisplayDate.dateTime(r.at, req.language, seconds: true), iso: iso.string(from: r.at), actor: r.actorEmail ?? "—", role: r.actorRole ?? "", action: r.action,
                    entity: r.entity, entityID: r.entityId ?? "", address: r.address ?? "", requestID: r.requestId ?? "")
            },
            pager: Pager(path: "/admin/audit", filters: ["user_id", "entity", "entity_id", "action", "from", "to"]
                            .map { ($0, raw($0)) }, page: page, total: list.total))
        return try await req.view.render("admin-audit", model)
    }
}
