import Vapor

/// The two UI languages. Japanese is the default; English is one click away.
public enum UILanguage: String, Sendable, CaseIterable, Codable {
    case ja, en
}

/// Every user-facing string of the pages, from `Resources/Localization/{ja,en}.json`.
public struct Localizer: Sendable {
    public let tables: [UILanguage: [String: String]]
    /// The same tables ready for the templates (see PageStrings).
    private let pageStrings: [UILanguage: PageStrings]

    public init(tables: [UILanguage: [String: String]]) {
        self.tables = tables
        pageStrings = tables.mapValues(PageStrings.init)
    }

    public static func load(from directory: String) throws -> Localizer {
        var tables: [UILanguage: [String: String]] = [:]
        for language in UILanguage.allCases {
            let path = directory + "\(language.rawValue).json"
            guard let data = FileManager.default.contents(atPath: path) else {
                throw ConfigurationError(problems: ["Localization file \(path) is missing"])
            }
            tables[language] = try JSONDecoder().decode([String: String].self, from: data)
        }
        return Localizer(tables: tables)
    }

    public func table(_ language: UILanguage) -> [String: String] { tables[language] ?? [:] }

    func strings(_ language: UILanguage) -> PageStrings { pageStrings[language] ?? PageStrings([:]) }

    /// The string for `key`; a missing key shows itself, which the localisation test forbids.
    public func text(_ key: String, _ language: UILanguage) -> String { tables[language]?[key] ?? key }
}

extension Application {
    private struct LocalizerKey: StorageKey { typealias Value = Localizer }
    public var localizer: Localizer {
        get { storage[LocalizerKey.self] ?? Localizer(tables: [:]) }
        set { storage[LocalizerKey.self] = newValue }
    }
}

extension Request {
    static let languageCookie = "tsunagu_lang"

    private struct LanguageKey: StorageKey { typealias Value = UILanguage }

    /// The cookie set by the language switch; otherwise the first of ja/en in Accept-Language; otherwise ja.
    /// Worked out once per request: every `text(_:)` asks, and `cookies` parses the Cookie header
    /// anew each time (a board page asked hundreds of times: 13 % of its CPU in a profile).
    public var language: UILanguage {
        if let known = storage[LanguageKey.self] { return known }
        let language: UILanguage
        if let cookie = cookies[Self.languageCookie]?.string, let chosen = UILanguage(rawValue: cookie) {
            language = chosen
        } else {
            language = Self.guessLanguage(acceptLanguage: headers.first(name: .acceptLanguage) ?? "")
        }
        storage[LanguageKey.self] = language
        return language
    }

    static func guessLanguage(acceptLanguage: String) -> UILanguage {
        let ranked = acceptLanguage.split(separator: ",").compactMap { part -> (String, Double)? in
            let pieces = part.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let tag = pieces.first, !tag.isEmpty else { return nil }
            let q = pieces.dropFirst().first { $0.hasPrefix("q=") }.flatMap { Double($0.dropFirst(2)) } ?? 1
            return (tag.lowercased(), q)
        }.sorted { $0.1 > $1.1 }
        for (tag, q) in ranked where q > 0 {
            if tag.hasPrefix("ja") { return .ja }
            if tag.hasPrefix("en") { return .en }
        }
        return .ja
    }

    public func text(_ key: String) -> String { application.localizer.text(key, language) }
}
