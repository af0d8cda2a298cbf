import Vapor

/// An error the user can act on: a stable code, the real HTTP status, the field at fault,
/// and a message in both UI languages. Anything else that escapes a handler is a 500
/// whose details stay in the log.
public struct AppError: Error, Sendable {
    public var status: HTTPResponseStatus
    public var code: String
    public var field: String?
    public var messageJa: String
    public var messageEn: String
    /// Seconds, sent as `Retry-After` (throttled sign-ins).
    public var retryAfter: Int?

    public init(_ status: HTTPResponseStatus, code: String, field: String? = nil, ja: String, en: String) {
        self.status = status
        self.code = code
        self.field = field
        self.messageJa = ja
        self.messageEn = en
    }

    public func message(in language: UILanguage) -> String { language == .ja ? messageJa : messageEn }

    public static func invalidParameter(_ name: String, ja: String, en: String) -> AppError {
        AppError(.badRequest, code: "invalid_parameter", field: name,
                 ja: "パラメータ「\(name)」が正しくありません: \(ja)", en: "Query parameter '\(name)' is invalid: \(en)")
    }

    public static func notFound(_ what: String) -> AppError {
        AppError(.notFound, code: "not_found", ja: "お探しの\(whatJa(what))は見つかりません。", en: "No such \(what).")
    }

    public static let databaseUnavailable = AppError(
        .serviceUnavailable, code: "database_unavailable",
        ja: "データベースに接続できません。しばらくしてからもう一度お試しください。",
        en: "The database is unavailable. Please try again shortly.")

    public static let internalError = AppError(
        .internalServerError, code: "internal_error",
        ja: "サーバーで問題が発生しました。時間をおいてもう一度お試しください。",
        en: "Something went wrong on the server. Please try again later.")

    private static func whatJa(_ what: String) -> String {
        switch what {
        case "member": "参画企業・団体"
        case "need": "地域ニーズ"
        case "council": "協議会"
        case "district": "地区"
        case "page": "ページ"
        default: "データ"
        }
    }
}

extension AppError: CustomStringConvertible {
    public var description: String {
        (field.map { "\($0): " } ?? "") + messageEn
    }
}
