import Vapor

struct UnreadNotificationsKey: StorageKey { typealias Value = Int }

/// Counts the signed-in user's unread notifications for the page header. Pages only (GET, not
/// /api): the count is one indexed query (a partial index on unread rows).
struct UnreadNotificationsMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if request.method == .GET, let user = request.signedInUser, !request.url.path.hasPrefix("/api/") {
            request.storage[UnreadNotificationsKey.self] = try await NotificationQueries.unreadCount(for: user.id,
                                                                                                     on: request.database)
        }
        return try await next.respond(to: request)
    }
}

extension Request {
    func unreadLabel(_ count: Int) -> String {
        NotificationText.fill(text("notify_unread_count"), ["count": String(count)])
    }
}
