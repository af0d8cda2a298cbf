import Foundation
import PostgresNIO

/// District profiles (地区カルテ) from CSV: a district of a ward with its figures as of a year and
/// a source. A district not yet known is added (the city's 44 care areas beyond 高津区's four are
/// not in our data: staff bring them in this way). A profile of the same district, year and
/// source is replaced, so a corrected file can be imported again; a blank figure stays unknown.
enum DistrictProfileImport {
    /// The figures, in the order of the table and of the template.
    static let figures: [(field: String, labelKey: String)] = [
        ("population", "karte_population"), ("aged_65_plus", "karte_aged_65_plus"), ("aged_75_plus", "karte_aged_75_plus"),
        ("single_elderly_households", "karte_single_elderly_households"), ("ikoi_no_ie", "karte_ikoi_no_ie"),
        ("senior_clubs", "karte_senior_clubs"), ("salons", "karte_salons"), ("dementia_cafes", "karte_dementia_cafes"),
    ]

    static let columns: [ImportColumn] = [
        ImportColumn(field: "ward", labelKey: "ward", aliases: ["ward_code"], required: true),
        ImportColumn(field: "district", labelKey: "import_district", aliases: ["name_ja", "地区名"], required: true),
        ImportColumn(field: "district_en", labelKey: "karte_district_en", aliases: ["name_en"]),
        ImportColumn(field: "towns", labelKey: "karte_towns"),
        ImportColumn(field: "as_of_year", labelKey: "karte_as_of_year", aliases: ["year"], required: true),
        ImportColumn(field: "source", labelKey: "karte_source", required: true),
        ImportColumn(field: "ageing_rate", labelKey: "karte_ageing_rate"),
    ] + figures.map { ImportColumn(field: $0.field, labelKey: $0.labelKey) }

    struct Record: Sendable {
        var wardCode: String
        var wardName: String
        var district: String
        var districtEn: String?
        var towns: String?
        var asOfYear: Int
        var source: String
        var ageingRate: Double?
        /// By field of `figures`; a missing key is unknown.
        var counts: [String: Int]
    }

    static func record(_ cells: ImportCells, vocabulary: ImportVocabulary, problems: inout ImportProblems) -> Record? {
        let before = problems.count
        let wardText = cells.cell("ward")
        let ward = vocabulary.ward(wardText)
        if wardText.isEmpty {
            let name = cells.label("ward")
            cells.problem("ward", &problems, ja: "「\(name.ja)」を入力してください。", en: "'\(name.en)' is required.")
        } else if ward == nil {
            let list = vocabulary.wardList
            cells.problem("ward", &problems, ja: "区「\(wardText)」はありません。次のいずれかです: \(list.ja)",
                          en: "Ward '\(wardText)' does not exist. Wards: \(list.en)")
        }
        let district = cells.text("district", max: 100, required: true, &problems)
        let districtEn = cells.text("district_en", max: 200, required: false, &problems)
        let towns = cells.text("towns", max: 1000, required: false, &problems)
        let year = cells.integer("as_of_year", in: 1990...2100, required: true, &problems)
        let source = cells.text("source", max: 500, required: true, &problems)
        let rate = cells.decimal("ageing_rate", in: 0...100, &problems)
        var counts: [String: Int] = [:]
        for figure in figures {
            counts[figure.field] = cells.integer(figure.field, in: 0...10_000_000, required: false, &problems).value
        }
        // Those aged 75+ are among those aged 65+, who are among the population.
        if let older = counts["aged_75_plus"], let old = counts["aged_65_plus"], older > old {
            let a = cells.label("aged_75_plus"), b = cells.label("aged_65_plus")
            cells.problem("aged_75_plus", &problems, ja: "「\(a.ja)」（\(older)）が「\(b.ja)」（\(old)）より多くなっています。",
                          en: "'\(a.en)' (\(older)) is more than '\(b.en)' (\(old)).")
        }
        if let old = counts["aged_65_plus"], let population = counts["population"], old > population {
            let a = cells.label("aged_65_plus"), b = cells.label("population")
            cells.problem("aged_65_plus", &problems, ja: "「\(a.ja)」（\(old)）が「\(b.ja)」（\(population)）より多くなっています。",
                          en: "'\(a.en)' (\(old)) is more than '\(b.en)' (\(population)).")
        }
        guard problems.count == before, let ward, let district, let year = year.value, let source else { return nil }
        return Record(wardCode: ward.code, wardName: ward.nameJa, district: district,
                      districtEn: districtEn.flatMap { $0.isEmpty ? nil : $0 }, towns: towns.flatMap { $0.isEmpty ? nil : $0 },
                      asOfYear: year, source: source, ageingRate: rate.value, counts: counts)
    }

    /// The same district, year and source twice in one file would silently keep only the last.
    static func key(_ record: Record) -> String {
        [record.wardCode, ImportText.key(record.district), String(record.asOfYear), ImportText.key(record.source)]
            .joined(separator: "\u{1F}")
    }

    static func preview(_ record: Record, _ localizer: Localizer, _ language: UILanguage) -> [String] {
        [record.wardName, record.district, String(record.asOfYear), record.source,
         record.ageingRate.map { String(format: "%.2f", $0) } ?? ""]
            + figures.map { record.counts[$0.field].map(String.init) ?? "" }
    }

    static let previewKeys = ["ward", "import_district", "karte_as_of_year", "karte_source", "karte_ageing_rate"]
        + figures.map(\.labelKey)

    static func write(_ records: [Record], on connection: PostgresConnection, logger: Logger) async throws -> ImportResult {
        var result = ImportResult(created: 0, updated: 0)
        for record in records {
            // A new district gets the same stable id the seed would give it; a known one keeps its
            // id and gains the English name and towns if the file gives them.
            let districtID = try await connection.query("""
                INSERT INTO districts (id, ward_code, name_ja, name_en, towns)
                VALUES (\(StableID.district(wardCode: record.wardCode, name: record.district)), \(record.wardCode),
                        \(record.district), \(record.districtEn), \(record.towns ?? ""))
                ON CONFLICT (ward_code, name_ja) DO UPDATE
                SET name_en = COALESCE(EXCLUDED.name_en, districts.name_en),
                    towns = CASE WHEN EXCLUDED.towns = '' THEN districts.towns ELSE EXCLUDED.towns END
                RETURNING id
                """, logger: logger).collect().first!.decode(UUID.self)
            let c = record.counts
            let inserted = try await connection.query("""
                INSERT INTO district_profiles (id, district_id, as_of_year, source, population, aged_65_plus, aged_75_plus,
                    ageing_rate, single_elderly_households, ikoi_no_ie, senior_clubs, salons, dementia_cafes)
                VALUES (\(UUID()), \(districtID), \(Int16(record.asOfYear)), \(record.source), \(c["population"]),
                        \(c["aged_65_plus"]), \(c["aged_75_plus"]), \(record.ageingRate)::numeric, \(c["single_elderly_households"]),
                        \(c["ikoi_no_ie"]), \(c["senior_clubs"]), \(c["salons"]), \(c["dementia_cafes"]))
                ON CONFLICT (district_id, as_of_year, source) DO UPDATE
                SET population = EXCLUDED.population, aged_65_plus = EXCLUDED.aged_65_plus,
                    aged_75_plus = EXCLUDED.aged_75_plus, ageing_rate = EXCLUDED.ageing_rate,
                    single_elderly_households = EXCLUDED.single_elderly_households, ikoi_no_ie = EXCLUDED.ikoi_no_ie,
                    senior_clubs = EXCLUDED.senior_clubs, salons = EXCLUDED.salons, dementia_cafes = EXCLUDED.dementia_cafes
                RETURNING (xmax = 0) AS inserted
                """, logger: logger).collect().first!.decode(Bool.self)
            if inserted { result.created += 1 } else { result.updated += 1 }
        }
        return result
    }
}
