import Vapor

/// `POST /language`: remembers the chosen UI language in a cookie and returns to the page.
enum LanguageSwitch {
    struct Form: Content {
        var lang: String
        var back: String?
    }

    static func change(req: Request) async throws -> Response {
        let form = try req.content.decode(Form.self)
        guard let language = UILanguage(rawValue: form.lang) else {
            throw AppError(.badRequest, code: "invalid_field", field: "lang",
                           ja: "言語は ja または en を選んでください。", en: "Language must be ja or en.")
        }
        // Only a local path: never an open redirect.
        var back = form.back ?? "/"
        if !back.hasPrefix("/") || back.hasPrefix("//") || back.contains("\\") { back = "/" }
        let response = req.redirect(to: back, redirectType: .normal)
        response.cookies[Request.languageCookie] = HTTPCookies.Value(
            string: language.rawValue, expires: Date().addingTimeInterval(365 * 24 * 3600),
            path: "/", isSecure: false, isHTTPOnly: true, sameSite: .lax)
        return response
    }
}
