import Vapor

/// `GET /api/v1/notifications`, `POST /api/v1/notifications/{id}/read`, `POST /api/v1/notifications/read-all`,
/// `GET`/`PUT /api/v1/notifications/preferences`: the signed-in user's own notifications only.
enum NotificationsAPI {
    struct Item: Content {
        var id: UUID
        var kind: String
        var params: [String: String]
        /// Rendered in the request's language (cookie, then Accept-Language, then Japanese).
        var text: String
        var link: String
        var read: Bool
        var readAt: Date?
        var createdAt: Date
    }

    /// The usual list shape plus the unread count, so a client's badge needs no second request.
    struct List: Content {
        var items: [Item]
        var total: Int
        var page: Int
        var perPage: Int
        var unreadCount: Int
    }

    struct Preferences: Content {
        var emailMode: String?
    }

    static func list(req: Request) async throws -> List {
        let user = try req.requireUser()
        let page = try PageRequest(try QueryParameters(req, allowed: ["page", "per_page"]))
        let (items, total) = try await NotificationQueries.page(for: user.id, page, on: req.database)
        let unread = try await NotificationQueries.unreadCount(for: user.id, on: req.database)
        return List(items: items.map { item($0, req) }, total: total, page: page.page, perPage: page.perPage,
                    unreadCount: unread)
    }

    static func markRead(req: Request) async throws -> HTTPStatus {
        let user = try req.requireUser()
        guard let id = req.parameters.get("id", as: UUID.self),
              try await NotificationQueries.markRead(id, for: user, actor: req.auditActor, on: req.database) else {
            throw AppError.notFound("notification")
        }
        return .noContent
    }

    static func markAllRead(req: Request) async throws -> HTTPStatus {
        let user = try req.requireUser()
        try await NotificationQueries.markAllRead(for: user, actor: req.auditActor, on: req.database)
        return .noContent
    }

    static func preferences(req: Request) async throws -> Preferences {
        let user = try req.requireUser()
        return Preferences(emailMode: try await NotificationPreferences.emailMode(of: user.id, on: req.database).rawValue)
    }

    static func savePreferences(req: Request) async throws -> Preferences {
        let user = try req.requireUser()
        let body = try req.decodeJSONBody(Preferences.self)
        guard let raw = body.emailMode, let mode = EmailMode(rawValue: raw) else {
            throw NotificationPreferences.invalidMode(body.emailMode)
        }
        try await NotificationPreferences.setEmailMode(mode, for: user, actor: req.auditActor, on: req.database)
        return Preferences(emailMode: mode.rawValue)
    }

    static func item(_ item: NotificationItem, _ req: Request) -> Item {
        Item(id: item.id, kind: item.kind.rawValue, params: item.params,
             text: NotificationText.text(item, in: req.language, localizer: req.application.localizer),
             link: NotificationText.link(item), read: item.readAt != nil, readAt: item.readAt, createdAt: item.createdAt)
    }
}
