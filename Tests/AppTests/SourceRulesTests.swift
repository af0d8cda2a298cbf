import Foundation
import Testing
@testable import App

/// Rules about the code itself, checked by reading it.
@Suite("Source rules")
struct SourceRulesTests {
    func swiftFiles(under folder: String) throws -> [(path: String, text: String)] {
        let root = TestPaths.root + folder
        guard let enumerator = FileManager.default.enumerator(atPath: root) else { return [] }
        return try enumerator.compactMap { $0 as? String }.filter { $0.hasSuffix(".swift") }.map { relative in
            (folder + "/" + relative, try String(contentsOfFile: root + "/" + relative, encoding: .utf8))
        }
    }

    /// SQL text is never built from values: PostgresNIO's `"… \(value)"` interpolation binds,
    /// and `SQLQuery` appends only compile-time fragments. The only raw SQL is the migration files'
    /// statements and the test harness's CREATE/DROP DATABASE of generated names.
    @Test func noSQLIsBuiltByStringInterpolation() throws {
        let allowed: Set<String> = [
            "Sources/App/Database/Migrator.swift", "Sources/App/Database/SQLQuery.swift",
            "Tests/AppTests/Support/TestDatabase.swift",
        ]
        var offenders: [String] = []
        for file in try swiftFiles(under: "Sources") + swiftFiles(under: "Tests") where file.path != "Tests/AppTests/SourceRulesTests.swift" {
            for (number, line) in file.text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let raw = line.contains("unsafeSQL") || line.contains("unescaped:") || line.contains("unsafeRaw:")
                    || line.contains(".raw(\"") || line.contains("SQLRaw(")
                if raw && !allowed.contains(file.path) { offenders.append("\(file.path):\(number + 1): \(line.trimmingCharacters(in: .whitespaces))") }
            }
        }
        #expect(offenders.isEmpty, "SQL built from strings:\n\(offenders.joined(separator: "\n"))")
    }

    /// API handlers read bodies through `decodeJSONBody` (Web/JSONBody.swift), so every endpoint gives
    /// the same documented 400/415 answers; Vapor's own decoder answers with Swift type names.
    /// (Fuzzing found `PUT /api/v1/notifications/preferences` answering an undocumented message.)
    @Test func apiHandlersReadBodiesThroughTheOneJSONReader() throws {
        var offenders: [String] = []
        var checked = 0
        for file in try swiftFiles(under: "Sources/App/Features") where file.path.hasSuffix("API.swift") {
            checked += 1
            for (number, line) in file.text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
            where line.contains("content.decode(") {
                offenders.append("\(file.path):\(number + 1)")
            }
        }
        #expect(checked > 10, "the rule must find the API files")
        #expect(offenders.isEmpty, "\(offenders)")
    }

    @Test func sqlQueryFragmentsAreCompileTimeStringsOnly() throws {
        let text = try String(contentsOfFile: TestPaths.root + "Sources/App/Database/SQLQuery.swift", encoding: .utf8)
        #expect(text.contains("mutating func append(_ fragment: StaticString)"))
        #expect(!text.contains("func append(_ fragment: String)"))
    }
}

@Suite("Localisation")
struct LocalisationTests {
    let localizer = try! Localizer.load(from: TestPaths.root + "Resources/Localization/")

    @Test func japaneseAndEnglishHaveTheSameKeys() {
        let ja = Set(localizer.table(.ja).keys)
        let en = Set(localizer.table(.en).keys)
        #expect(ja.subtracting(en).sorted() == [], "missing in en.json")
        #expect(en.subtracting(ja).sorted() == [], "missing in ja.json")
        #expect(localizer.table(.ja).values.allSatisfy { !$0.isEmpty })
        #expect(localizer.table(.en).values.allSatisfy { !$0.isEmpty })
    }

    @Test func everyKeyATemplateUsesExists() throws {
        let views = TestPaths.root + "Resources/Views/"
        let keys = Set(localizer.table(.ja).keys)
        var unknown: [String] = []
        var checked = 0
        for name in try FileManager.default.contentsOfDirectory(atPath: views) where name.hasSuffix(".leaf") {
            let text = try String(contentsOfFile: views + name, encoding: .utf8)
            for match in text.matches(of: /layout\.t\.([A-Za-z0-9_]+)/) {
                checked += 1
                if !keys.contains(String(match.1)) { unknown.append("\(name): \(match.1)") }
            }
        }
        #expect(checked > 100, "the pattern must find the templates' keys")
        #expect(unknown.isEmpty, "\(unknown)")
    }

    @Test func everyKeyTheCodeAsksForExists() throws {
        let keys = Set(localizer.table(.ja).keys)
        var unknown: [String] = []
        var checked = 0
        for file in try SourceRulesTests().swiftFiles(under: "Sources/App") {
            for match in file.text.matches(of: /(?:text|titleKey:)\(?\s*"([a-z0-9_]+)"\)/) {
                checked += 1
                if !keys.contains(String(match.1)) { unknown.append("\(file.path): \(match.1)") }
            }
        }
        #expect(checked > 5, "the pattern must find the code's keys")
        #expect(unknown.isEmpty, "\(unknown)")
        // Keys built from a code plus a prefix: every code of every vocabulary has its label.
        let families: [(String, [String])] = [
            ("kind_", MemberKind.codes), ("domain_", DomainCode.codes), ("need_status_", NeedStatus.codes),
            ("source_", NeedSource.codes), ("feature_", ["domain", "area", "tags", "text", "capacity", "experience"]),
            ("decision_", ["accepted", "held", "rejected"]), ("round_status_", ["queued", "running", "completed", "failed"]),
            ("round_candidates_", ["members", "proposals"]),
        ]
        for (prefix, codes) in families {
            for code in codes where !keys.contains(prefix + code) { unknown.append(prefix + code) }
        }
        #expect(unknown.isEmpty, "\(unknown)")
    }
}
