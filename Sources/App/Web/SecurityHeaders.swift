import Vapor

/// Headers every response carries: no framing, no MIME sniffing, no inline script;
/// `no-store` when signed in; HSTS when served over TLS.
struct SecurityHeadersMiddleware: AsyncMiddleware {
    let servesTLS: Bool

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let response = try await next.respond(to: request)
        let headers = [
            ("Content-Security-Policy",
             "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; "
                + "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"),
            ("X-Content-Type-Options", "nosniff"),
            ("X-Frame-Options", "DENY"),
            ("Referrer-Policy", "same-origin"),
        ]
        for (name, value) in headers { response.headers.replaceOrAdd(name: name, value: value) }
        // Pages of a signed-in user hold confidential proposals: no browser or proxy keeps a copy.
        if request.signedInUser != nil {
            response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        }
        if servesTLS {
            response.headers.replaceOrAdd(name: "Strict-Transport-Security", value: "max-age=31536000; includeSubDomains")
        }
        return response
    }
}
