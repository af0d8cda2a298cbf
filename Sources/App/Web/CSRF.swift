import Vapor
import Crypto

/// Cross-site request forgery protection for every state-changing request (anything but
/// GET, HEAD, OPTIONS; GET never changes state).
///
/// - Signed in with the session cookie: the request must carry the session's own token,
///   as the form field `csrf_token` or the `X-CSRF-Token` header; else 403.
/// - Anonymous browser requests (the sign-in form, the language switch): double-submit —
///   the `tsunagu_csrf` cookie, set on the first page a browser sees, must match the form
///   field. This also stops "login CSRF" (signing a victim into the attacker's account).
/// - A bearer token, or an anonymous request under /api without cookies: exempt. Nothing
///   ambient is sent by the browser there, so there is nothing for another site to borrow.
struct CSRFMiddleware: AsyncMiddleware {
    static let cookieName = "tsunagu_csrf"
    static let fieldName = "csrf_token"
    static let headerName = "X-CSRF-Token"

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let anonymousCookie = request.cookies[Self.cookieName].map(\.string).flatMap { $0.count == 43 ? $0 : nil }
        var issued: String?
        if request.authMethod == nil {
            if let anonymousCookie {
                request.storage[AnonymousCSRFKey.self] = anonymousCookie
            } else if !request.url.path.hasPrefix("/api/") {
                // Pages only: API clients never need the anonymous form token.
                issued = SignInSessions.randomToken()
                request.storage[AnonymousCSRFKey.self] = issued
            }
        }
        if ![.GET, .HEAD, .OPTIONS].contains(request.method) {
            try await check(request, anonymousCookie: anonymousCookie)
        }
        let response = try await next.respond(to: request)
        if let issued {
            response.cookies[Self.cookieName] = HTTPCookies.Value(
                string: issued, path: "/", isSecure: request.application.config.servesTLS, isHTTPOnly: true, sameSite: .lax)
        }
        return response
    }

    private func check(_ request: Request, anonymousCookie: String?) async throws {
        let expected: String
        switch request.authMethod {
        case .bearer:
            return
        case .session:
            guard let token = request.csrfToken else { throw Self.rejected }
            expected = token
        case nil:
            if request.url.path.hasPrefix("/api/"), request.headers.first(name: .cookie) == nil { return }
            guard let anonymousCookie else { throw Self.rejected }
            expected = anonymousCookie
        }
        guard let given = try await Self.presentedToken(request), Self.equal(given, expected) else { throw Self.rejected }
    }

    static let rejected = AppError(
        .forbidden, code: "csrf_failed",
        ja: "フォームの有効期限が切れたか、不正な送信です。ページを読み込み直してからもう一度お試しください。",
        en: "The form expired or did not come from this site. Reload the page and try again.")

    /// The header, or the form field of a URL-encoded or multipart body.
    static func presentedToken(_ request: Request) async throws -> String? {
        if let header = request.headers.first(name: headerName) { return header }
        guard let type = request.headers.contentType,
              type == .urlEncodedForm || type.type == "multipart" else { return nil }
        // Route handlers collect the body later; collecting here keeps it for them.
        // The CSV upload may be larger than any other form (see ImportPages).
        let limit = request.url.path == ImportPages.uploadPath ? ImportPages.maxRequestBytes : 1_048_576
        do {
            _ = try await request.body.collect(max: limit).get()
        } catch let abort as Abort where abort.status == .payloadTooLarge && limit == ImportPages.maxRequestBytes {
            throw ImportErrors.tooLarge(bytes: nil)
        }
        struct Field: Decodable { var csrf_token: String? }
        return (try? request.content.decode(Field.self))?.csrf_token
    }

    /// Constant-time comparison: the time taken says nothing about how much matched.
    static func equal(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}

struct AnonymousCSRFKey: StorageKey { typealias Value = String }

extension Request {
    /// The token forms must carry: the session's when signed in, else the anonymous cookie's.
    var formCSRFToken: String { csrfToken ?? storage[AnonymousCSRFKey.self] ?? "" }
}
