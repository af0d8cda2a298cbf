import Vapor

/// `/notifications`: the signed-in user's notifications, newest first, and how they want e-mail.
enum NotificationPages {
    struct Row: Encodable {
        var id: String
        var text: String
        var link: String
        var at: String
        var unread: Bool
    }

    struct Model: Encodable {
        var layout: Layout
        var rows: [Row]
        var unread: Int
        var unreadLabel: String
        var page: Int
        var pager: Pager
        var modes: [SelectOption]
        var saved: Bool
    }

    struct Form: Content {
        var page: Int?
        var emailMode: String?
        enum CodingKeys: String, CodingKey { case page, emailMode = "email_mode" }
    }

    static func list(req: Request) async throws -> View {
        let user = try req.requireUser()
        let page = try PageRequest(try QueryParameters(req, allowed: ["page", "per_page", "saved"]))
        let (items, total) = try await NotificationQueries.page(for: user.id, page, on: req.database)
        let mode = try await NotificationPreferences.emailMode(of: user.id, on: req.database)
        let rows = items.map { item in
            Row(id: item.id.uuidString.lowercased(),
                text: NotificationText.text(item, in: req.language, localizer: req.application.localizer),
                link: NotificationText.link(item), at: DisplayDate.dateTime(item.createdAt, req), unread: item.readAt == nil)
        }
        let model = Model(layout: req.layout(titleKey: "notify_title"), rows: rows,
                          unread: req.storage[UnreadNotificationsKey.self] ?? 0,
                          unreadLabel: req.unreadLabel(req.storage[UnreadNotificationsKey.self] ?? 0), page: page.page,
                          pager: Pager(path: "/notifications", filters: [], page: page, total: total),
                          modes: req.options(EmailMode.codes, prefix: "notify_mode_", selected: mode.rawValue),
                          saved: (try? req.query.get(String.self, at: "saved")) == "1")
        return try await req.view.render("notifications", model)
    }

    static func markRead(req: Request) async throws -> Response {
        let user = try req.requireUser()
        // The page to return to is optional: a bare POST (no body) works too.
        let page = (try? req.content.decode(Form.self))?.page
        guard let id = req.parameters.get("id", as: UUID.self),
              try await NotificationQueries.markRead(id, for: user, actor: req.auditActor, on: req.database) else {
            throw AppError.notFound("notification")
        }
        return req.redirect(to: back(page), redirectType: .normal)
    }

    static func markAllRead(req: Request) async throws -> Response {
        let user = try req.requireUser()
        try await NotificationQueries.markAllRead(for: user, actor: req.auditActor, on: req.database)
        return req.redirect(to: "/notifications", redirectType: .normal)
    }

    static func savePreferences(req: Request) async throws -> Response {
        let user = try req.requireUser()
        let given = (try? req.content.decode(Form.self))?.emailMode
        guard let raw = given, let mode = EmailMode(rawValue: raw) else {
            throw NotificationPreferences.invalidMode(given)
        }
        try await NotificationPreferences.setEmailMode(mode, for: user, actor: req.auditActor, on: req.database)
        return req.redirect(to: "/notifications?saved=1", redirectType: .normal)
    }

    private static func back(_ page: Int?) -> String {
        guard let page, page > 1, page <= 1_000_000 else { return "/notifications" }
        return "/notifications?page=\(page)"
    }
}
