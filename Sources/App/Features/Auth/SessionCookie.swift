import Vapor

/// The session cookie as browsers get it. Vapor's own session cookie is none of these
/// things by default, which is why Tsunagu sets every attribute itself.
enum SessionCookie {
    static func set(_ token: String, on response: Response, request: Request) {
        let tls = request.application.config.servesTLS
        // No Expires: the server decides when a session ends (idle 2 h, absolute 12 h);
        // the browser forgets the cookie when it closes.
        response.cookies[SignInSessions.cookieName(servesTLS: tls)] = HTTPCookies.Value(
            string: token, path: "/", isSecure: tls, isHTTPOnly: true, sameSite: .lax)
    }

    static func clear(on response: Response, request: Request) {
        let tls = request.application.config.servesTLS
        response.cookies[SignInSessions.cookieName(servesTLS: tls)] = HTTPCookies.Value(
            string: "", expires: Date(timeIntervalSince1970: 0), maxAge: 0, path: "/", isSecure: tls,
            isHTTPOnly: true, sameSite: .lax)
    }
}
