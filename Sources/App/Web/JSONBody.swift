import Vapor

/// How every `/api/v1` handler reads its JSON body, so bad bodies get the same answers everywhere:
/// no body → 400 `invalid_body`; a body in another media type → 415 `unsupported_media_type`;
/// JSON of the wrong shape → 400 `invalid_body` naming the field; a string holding the NUL
/// character (which PostgreSQL cannot store in text) → 400 `invalid_body` naming the field.
/// Decoder messages never reach the client: they spell out Swift types and coding keys.
extension Request {
    func decodeJSONBody<T: Decodable>(_ type: T.Type = T.self) throws -> T {
        let bytes = body.data.map { Data(buffer: $0) } ?? Data()
        guard let mediaType = headers.contentType else {
            if bytes.isEmpty { throw JSONBody.missing }
            throw JSONBody.unsupported
        }
        guard mediaType.type == "application", mediaType.subType == "json" else { throw JSONBody.unsupported }
        guard !bytes.isEmpty else { throw JSONBody.missing }
        if let field = JSONBody.fieldWithNUL(in: bytes) {
            throw AppError(.badRequest, code: "invalid_body", field: field,
                           ja: "\(field) に使えない文字（NUL）が含まれています。",
                           en: "\(field) contains the NUL character, which is not allowed.")
        }
        do {
            return try content.decode(T.self, as: .json)
        } catch {
            throw JSONBody.invalid(error)
        }
    }
}

enum JSONBody {
    static let missing = AppError(.badRequest, code: "invalid_body",
                                  ja: "JSON のリクエスト本文が必要です。", en: "The request needs a JSON body.")

    static let unsupported = AppError(.unsupportedMediaType, code: "unsupported_media_type",
                                      ja: "リクエスト本文は application/json で送ってください。",
                                      en: "Send the request body as application/json.")

    /// A body that is not the expected JSON shape: 400 naming the field when the decoder can tell.
    static func invalid(_ error: any Error) -> AppError {
        var field: String?
        if let decoding = error as? DecodingError {
            switch decoding {
            case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
                field = context.codingPath.first.map { $0.stringValue.snakeCased }
            case .keyNotFound(let key, let context):
                field = (context.codingPath.first ?? key).stringValue.snakeCased
            @unknown default: break
            }
        }
        return AppError(.badRequest, code: "invalid_body", field: field,
                        ja: "リクエストの形式が正しくありません" + (field.map { "（\($0)）" } ?? "") + "。",
                        en: "The request body is not valid JSON of the expected shape" + (field.map { " (\($0))" } ?? "") + ".")
    }

    /// The top-level field whose string (or nested string, or key) holds U+0000, if any. JSON can carry
    /// NUL only as the escape `\u0000`, so bodies without that escape are not parsed twice.
    static func fieldWithNUL(in bytes: Data) -> String? {
        guard bytes.range(of: Data(#"\u0000"#.utf8)) != nil,
              let value = try? JSONSerialization.jsonObject(with: bytes, options: [.fragmentsAllowed]) else { return nil }
        func holdsNUL(_ value: Any) -> Bool {
            switch value {
            case let string as String: return string.unicodeScalars.contains("\u{0}")
            case let array as [Any]: return array.contains(where: holdsNUL)
            case let object as [String: Any]: return object.contains { holdsNUL($0.key) || holdsNUL($0.value) }
            default: return false
            }
        }
        if let object = value as? [String: Any] {
            if let (key, _) = object.first(where: { holdsNUL($0.key) || holdsNUL($0.value) }) {
                return key.unicodeScalars.contains("\u{0}") ? "body" : key
            }
            return nil
        }
        return holdsNUL(value) ? "body" : nil
    }
}
