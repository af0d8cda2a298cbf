import Vapor

/// Shared pieces of the staff forms (publishing a theme call, creating an event, forming a group
/// from a proposal): problems collected per field in the page's language, and dates typed as a
/// day plus a time in Japan.
struct FieldProblems: Sendable {
    private(set) var messages: [String: String] = [:]
    let language: UILanguage

    init(_ language: UILanguage) { self.language = language }

    var isEmpty: Bool { messages.isEmpty }

    /// The first problem of a field is the one shown.
    mutating func add(_ field: String, ja: String, en: String) {
        if messages[field] == nil { messages[field] = language == .ja ? ja : en }
    }

    /// A 422 from the domain function (a rule only it knows, or a race with another user).
    mutating func add(_ error: AppError) {
        let field = error.field ?? "form"
        if messages[field] == nil { messages[field] = error.message(in: language) }
    }

    /// Required or optional text with a maximum length, counted as people count characters.
    mutating func text(_ value: String?, _ field: String, label: String, labelEn: String, max: Int, required: Bool) {
        let trimmed = (value ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if required && trimmed.isEmpty {
            add(field, ja: "\(label)を入力してください。", en: "\(labelEn) is required.")
        } else if (value ?? "").count > max {
            add(field, ja: "\(label)は\(max)文字以内にしてください（現在\((value ?? "").count)文字）。",
                en: "\(labelEn) must be at most \(max) characters (it has \((value ?? "").count)).")
        }
    }
}

extension JapanDate {
    /// A day (YYYY-MM-DD) and a time (HH:MM, as `<input type="time">` sends it) read in Japan time.
    static func parse(day: String, time: String) -> Date? {
        let day = day.trimmingCharacters(in: .whitespaces)
        let time = time.trimmingCharacters(in: .whitespaces)
        guard day.wholeMatch(of: /\d{4}-\d{2}-\d{2}/) != nil, WorkingGroupValidation.isRealDay(day),
              let match = time.wholeMatch(of: /(\d{1,2}):(\d{2})(?::(\d{2}))?/),
              let hour = Int(match.1), let minute = Int(match.2), (0..<24).contains(hour), (0..<60).contains(minute) else {
            return nil
        }
        let parts = day.split(separator: "-").compactMap { Int($0) }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2], hour: hour, minute: minute))
    }

    /// "HH:MM" in Japan.
    static func time(_ date: Date) -> String { String(minute(date).suffix(5)) }
}

extension Request {
    /// A rendered page with the status the form's outcome calls for (422 when it is shown again).
    func render(_ template: String, _ model: some Encodable, status: HTTPStatus) async throws -> Response {
        let response = try await view.render(template, model).encodeResponse(for: self)
        response.status = status
        return response
    }
}
