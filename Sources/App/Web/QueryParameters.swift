import Vapor

/// A request's query string, checked strictly: an unknown or repeated parameter, or a value
/// of the wrong shape, is a 400 that names the parameter, so typos never silently widen a list.
struct QueryParameters {
    private var values: [String: String] = [:]

    init(_ request: Request, allowed: Set<String>) throws {
        guard let query = request.url.query, !query.isEmpty else { return }
        var components = URLComponents()
        components.percentEncodedQuery = query
        for item in components.queryItems ?? [] {
            guard allowed.contains(item.name) else {
                throw AppError.invalidParameter(item.name, ja: "このパラメータは使えません（使えるもの: \(allowed.sorted().joined(separator: ", "))）",
                                                en: "unknown parameter (allowed: \(allowed.sorted().joined(separator: ", ")))")
            }
            guard values[item.name] == nil else {
                throw AppError.invalidParameter(item.name, ja: "一度だけ指定してください", en: "given more than once")
            }
            values[item.name] = item.value ?? ""
        }
    }

    /// The trimmed value, or nil when absent or empty (an empty filter means "any").
    func string(_ name: String, maxLength: Int = 100) throws -> String? {
        guard let raw = values[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !raw.isEmpty else { return nil }
        // PostgreSQL cannot store or compare text holding NUL; it is never part of a real value.
        guard !raw.unicodeScalars.contains("\u{0}") else {
            throw AppError.invalidParameter(name, ja: "使えない文字（NUL）が含まれています", en: "contains the NUL character")
        }
        guard raw.count <= maxLength else {
            throw AppError.invalidParameter(name, ja: "\(maxLength)文字以内で指定してください", en: "at most \(maxLength) characters")
        }
        return raw
    }

    func integer(_ name: String, in range: ClosedRange<Int>) throws -> Int? {
        guard let raw = try string(name, maxLength: 12) else { return nil }
        guard let value = Int(raw), range.contains(value) else {
            throw AppError.invalidParameter(name, ja: "\(range.lowerBound)から\(range.upperBound)までの整数で指定してください",
                                            en: "must be a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }

    func uuid(_ name: String) throws -> UUID? {
        guard let raw = try string(name, maxLength: 36) else { return nil }
        guard let value = UUID(uuidString: raw) else {
            throw AppError.invalidParameter(name, ja: "UUID形式で指定してください", en: "must be a UUID")
        }
        return value
    }

    /// A value that must be one of `codes`.
    func code(_ name: String, in codes: [String]) throws -> String? {
        guard let raw = try string(name, maxLength: 40) else { return nil }
        guard codes.contains(raw) else {
            throw AppError.invalidParameter(name, ja: "次のいずれかで指定してください: \(codes.joined(separator: ", "))",
                                            en: "must be one of: \(codes.joined(separator: ", "))")
        }
        return raw
    }
}
