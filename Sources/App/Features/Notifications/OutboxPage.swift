import Vapor

/// `/staff/outbox`: every e-mail the app has queued, newest first, as the recipient gets it. Without
/// SMTP this is where messages wait; with SMTP it shows what was sent, what is retrying and why.
enum OutboxPage {
    struct Row: Encodable {
        var recipient: String
        var subject: String
        var body: String
        var kind: String
        var status: String
        var attempts: Int
        var nextAttempt: String
        var lastError: String?
        var sentAt: String?
        var createdAt: String
    }

    struct Model: Encodable {
        var layout: Layout
        var smtpConfigured: Bool
        var rows: [Row]
        var statuses: [SelectOption]
        var pager: Pager
    }

    static let statuses = ["pending", "sent", "failed"]

    static func list(req: Request) async throws -> View {
        try req.requireUser(.staff, .admin)
        let query = try QueryParameters(req, allowed: ["page", "per_page", "status"])
        let status = try query.code("status", in: statuses)
        let page = try PageRequest(query)
        let (entries, total) = try await Outbox.page(status: status, page, on: req.database)
        let config = req.application.config
        let rows = entries.map { entry in
            let text = entry.rendered(localizer: req.application.localizer, publicURL: config.publicURL)
            return Row(recipient: entry.recipient, subject: text?.subject ?? "—", body: text?.body ?? "",
                       kind: req.text("outbox_kind_" + entry.kind), status: req.text("outbox_status_" + entry.status),
                       attempts: entry.attempts, nextAttempt: DisplayDate.dateTime(entry.nextAttemptAt, req),
                       lastError: entry.lastError, sentAt: entry.sentAt.map { DisplayDate.dateTime($0, req) },
                       createdAt: DisplayDate.dateTime(entry.createdAt, req))
        }
        let model = Model(layout: req.layout(titleKey: "outbox_title"), smtpConfigured: config.smtp != nil, rows: rows,
                          statuses: req.options(statuses, prefix: "outbox_status_", selected: status),
                          pager: Pager(path: "/staff/outbox", filters: [("status", status)], page: page, total: total))
        return try await req.view.render("staff-outbox", model)
    }
}
