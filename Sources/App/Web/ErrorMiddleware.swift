import Vapor
import PostgresNIO

/// Answers every error with its real status: JSON `{"error": {code, message, field}}` under
/// `/api` and for JSON clients, an HTML page elsewhere. Never a stack trace, SQL or path.
struct AppErrorMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: request)
        } catch {
            let appError = Self.classify(error, request: request)
            if appError.status == .internalServerError {
                request.logger.error("Unhandled error: \(String(reflecting: error))")
            }
            let response = try await Self.render(appError, for: request)
            if let seconds = appError.retryAfter {
                response.headers.replaceOrAdd(name: .retryAfter, value: String(seconds))
            }
            return response
        }
    }

    static func classify(_ error: any Error, request: Request) -> AppError {
        switch error {
        case let appError as AppError:
            return appError
        case let abort as any AbortError:
            return AppError(abort.status, code: code(for: abort.status),
                            ja: abort.status == .notFound ? "ページが見つかりません。" : abort.reason,
                            en: abort.status == .notFound ? "Not found." : abort.reason)
        case let psql as PSQLError where isUnavailable(psql):
            return .databaseUnavailable
        case let psql as PSQLError where rejectedInput(psql) != nil:
            // A safety net, not validation: handlers check input and name the field. Reaching here
            // means a check is missing, so it is logged (scripts/fuzz.sh fails on this line).
            let state = psql.serverInfo?[.sqlState] ?? ""
            request.logger.warning("Unvalidated input reached the database (SQLSTATE \(state)) on \(request.method) \(request.url.path)")
            return rejectedInput(psql)!
        case is PostgresNIO.PostgresError:
            return .databaseUnavailable
        case let error where DatabaseGate.isPoolError(error):
            // The pool gave up (circuit breaker after a long outage) or was replaced: still the database.
            return .databaseUnavailable
        default:
            return .internalError
        }
    }

    /// Connection-level failures mean the database is down or restarting: 503, not 500.
    static func isUnavailable(_ error: PSQLError) -> Bool {
        switch error.code {
        case .connectionError, .serverClosedConnection, .clientClosedConnection, .poolClosed,
             .uncleanShutdown, .queryCancelled:
            return true
        default:
            if let state = error.serverInfo?[.sqlState] {
                // 57P01–57P03: admin shutdown, crash shutdown, cannot connect now; 08*: connection exceptions.
                return state.hasPrefix("57P") || state.hasPrefix("08")
            }
            return false
        }
    }

    /// Data exceptions (SQLSTATE class 22: out-of-range numbers and dates, NUL in text…) and
    /// integrity violations (class 23) are the client's input, not a server fault: 4xx, never a 500.
    static func rejectedInput(_ error: PSQLError) -> AppError? {
        guard let state = error.serverInfo?[.sqlState] else { return nil }
        if state.hasPrefix("22") {
            return AppError(.badRequest, code: "invalid_value", ja: "値が範囲外か、使えない文字を含んでいます。",
                            en: "A value is out of range or contains characters that are not allowed.")
        }
        if state == "23505" {
            return AppError(.conflict, code: "conflict", ja: "同じものがすでにあります。", en: "That already exists.")
        }
        if state.hasPrefix("23") {
            return AppError(.unprocessableEntity, code: "invalid_reference", ja: "指定された値が他のデータと矛盾しています。",
                            en: "A value does not fit the data it refers to.")
        }
        return nil
    }

    static func code(for status: HTTPResponseStatus) -> String {
        switch status.code {
        case 400: "bad_request"
        case 401: "unauthorized"
        case 403: "forbidden"
        case 404: "not_found"
        case 405: "method_not_allowed"
        case 409: "conflict"
        case 413: "payload_too_large"
        case 415: "unsupported_media_type"
        case 422: "unprocessable"
        case 429: "too_many_requests"
        case 503: "database_unavailable"
        default: "error"
        }
    }

    static func wantsJSON(_ request: Request) -> Bool {
        if request.url.path.hasPrefix("/api/") || request.url.path == "/ready" { return true }
        let accept = request.headers.first(name: .accept) ?? ""
        return accept.contains("application/json") && !accept.contains("text/html")
    }

    static func render(_ error: AppError, for request: Request) async throws -> Response {
        let language = request.language
        if wantsJSON(request) {
            let body = ErrorBody(error: .init(code: error.code, message: error.message(in: language), field: error.field))
            let response = Response(status: error.status)
            try response.content.encode(body, as: .json)
            return response
        }
        let page = ErrorPage(layout: request.layout(titleKey: "error_title"), status: Int(error.status.code),
                             message: error.message(in: language))
        let response = try await request.view.render("error", page).encodeResponse(for: request)
        response.status = error.status
        return response
    }

    struct ErrorBody: Content {
        struct Detail: Content {
            var code: String
            var message: String
            var field: String?
        }
        var error: Detail
    }

    struct ErrorPage: Encodable {
        var layout: Layout
        var status: Int
        var message: String
    }
}
