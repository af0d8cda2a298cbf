import Foundation
import PostgresNIO
import Logging

/// The real reference data: domains, the support menu, the 7 wards with their figures,
/// 高津区's 4 districts, and the city-wide council. Safe to run any number of times.
enum ReferenceSeed {
    static let domains: [(code: String, numeral: String, ja: String, en: String)] = [
        ("prevention", "I", "予防・自立支援", "Prevention and support for independence"),
        ("participation", "II", "参加と活躍によるつながり", "Connection through participation and activity"),
        ("daily_life", "III", "日常の暮らしの支え", "Support for daily living"),
    ]

    static let supportMenu: [(code: String, ja: String, en: String)] = [
        ("needs_sharing", "高齢者ニーズ・特性の共有", "Sharing older people's needs and characteristics"),
        ("administrative_data", "行政データの提供", "Providing administrative data"),
        ("stakeholder_coordination", "関係者調整", "Coordinating with stakeholders"),
        ("partner_matching", "協業先マッチング", "Matching with collaboration partners"),
        ("pr_support", "広報支援", "Publicity support"),
        ("event_sponsorship", "事業関連イベント等への後援", "Sponsorship of business-related events"),
    ]

    static let wardSources = "population_2010, ageing_rate_2010: 2010 national census; "
        + "ageing_rate_65plus_2020: 2020 national census; ageing_rate_2024: Kawasaki City estimate as of 2024-10-01; "
        + "walk_15min_rate_fy2022: FY2022 Kawasaki elderly survey (高齢者実態調査). Blank = not found, not estimated."

    static func load(from directory: String, on connection: PostgresConnection, logger: Logger) async throws -> SeedReport {
        let wards = try CSVFile.read(directory + "wards.csv")
        let districts = try CSVFile.read(directory + "districts-takatsu.csv")
        return try await connection.withTransaction(logger: logger) { connection in
            var report = SeedReport()
            for (index, domain) in domains.enumerated() {
                let rows = try await connection.query("""
                    INSERT INTO domains (code, position, numeral, label_ja, label_en)
                    VALUES (\(domain.code), \(Int16(index + 1)), \(domain.numeral), \(domain.ja), \(domain.en))
                    ON CONFLICT (code) DO NOTHING RETURNING 1
                    """, logger: logger).collect()
                report.add("domains", rows.count)
            }
            for (index, item) in supportMenu.enumerated() {
                let rows = try await connection.query("""
                    INSERT INTO support_menu_items (code, position, label_ja, label_en)
                    VALUES (\(item.code), \(Int16(index + 1)), \(item.ja), \(item.en))
                    ON CONFLICT (code) DO NOTHING RETURNING 1
                    """, logger: logger).collect()
                report.add("support_menu_items", rows.count)
            }
            for (index, ward) in wards.enumerated() {
                // Blank cells stay NULL: unknown, never estimated.
                let rows = try await connection.query("""
                    INSERT INTO wards (code, name_ja, name_en, position, population_2010, ageing_rate_2010,
                                       ageing_rate_65plus_2020, ageing_rate_2024, walk_15min_rate_fy2022, sources)
                    VALUES (\(ward["code"]), \(ward["name_ja"]), \(ward["name_en"]), \(Int16(index + 1)),
                            \(ward.optional("population_2010"))::integer, \(ward.optional("ageing_rate_2010"))::numeric,
                            \(ward.optional("ageing_rate_65plus_2020"))::numeric, \(ward.optional("ageing_rate_2024"))::numeric,
                            \(ward.optional("walk_15min_rate_fy2022"))::numeric, \(wardSources))
                    ON CONFLICT (code) DO NOTHING RETURNING 1
                    """, logger: logger).collect()
                report.add("wards", rows.count)
            }
            for district in districts {
                let id = StableID.district(wardCode: district["ward_code"], name: district["name_ja"])
                let rows = try await connection.query("""
                    INSERT INTO districts (id, ward_code, name_ja, towns)
                    VALUES (\(id), \(district["ward_code"]), \(district["name_ja"]), \(district["towns"]))
                    ON CONFLICT (ward_code, name_ja) DO NOTHING RETURNING 1
                    """, logger: logger).collect()
                report.add("districts", rows.count)
            }
            let rows = try await connection.query("""
                INSERT INTO councils (id, code, name_ja, name_en, level)
                VALUES (\(StableID.cityCouncil), 'kawasaki', '川崎市地域包括ケアシステム連絡協議会',
                        'Kawasaki City Liaison Council for the Community-based Integrated Care System', 'city')
                ON CONFLICT (code) DO NOTHING RETURNING 1
                """, logger: logger).collect()
            report.add("councils", rows.count)
            return report
        }
    }
}

/// The small, quote-free CSV files of the reference data: a header row, then one record a line.
struct CSVFile {
    struct Record {
        let values: [String: String]
        subscript(_ column: String) -> String { values[column] ?? "" }
        /// nil for a blank cell.
        func optional(_ column: String) -> String? {
            let value = self[column].trimmingCharacters(in: .whitespaces)
            return value.isEmpty ? nil : value
        }
    }

    static func read(_ path: String) throws -> [Record] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigurationError(problems: ["Seed file \(path) is missing"])
        }
        let lines = String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline).map(String.init)
        guard let header = lines.first?.split(separator: ",", omittingEmptySubsequences: false).map(String.init) else {
            return []
        }
        return lines.dropFirst().map { line in
            let cells = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            return Record(values: Dictionary(uniqueKeysWithValues: zip(header, cells + Array(repeating: "", count: max(0, header.count - cells.count)))))
        }
    }
}
