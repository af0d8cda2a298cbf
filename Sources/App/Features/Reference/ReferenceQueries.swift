import Vapor
import PostgresNIO

/// Reads of the reference data: councils, wards, districts, domains, the support menu.
enum ReferenceQueries {
    static func councils(on db: Database, page: PageRequest) async throws -> Page<CouncilDTO> {
        let total = try await db.client.query("SELECT count(*)::int FROM councils").collect().first?.decode(Int.self) ?? 0
        let rows = try await db.client.query("""
            SELECT id, code, name_ja, name_en, level, ward_code FROM councils
            ORDER BY level, code LIMIT \(page.perPage) OFFSET \(page.offset)
            """).rows()
        let items = try rows.map { row in
            CouncilDTO(id: try row.get("id"), code: try row.get("code"), nameJa: try row.get("name_ja"),
                       nameEn: try row.get("name_en"), level: try row.get("level"), wardCode: try row.get("ward_code"))
        }
        return Page(items: items, total: total, request: page)
    }

    /// The city-wide council: the default of every `council_id`.
    static func defaultCouncilID(on db: Database) async throws -> UUID {
        guard let id = try await db.client.query(
            "SELECT id FROM councils WHERE level = 'city' ORDER BY created_at, code LIMIT 1"
        ).collect().first?.decode(UUID.self) else {
            throw AppError(.serviceUnavailable, code: "not_seeded", ja: "協議会が登録されていません（tsunagu seed を実行してください）。",
                           en: "No council exists yet: run `tsunagu seed`.")
        }
        return id
    }

    /// `council_id` from the query, checked to exist, or the city-wide council.
    static func councilID(_ given: UUID?, on db: Database, field: String? = nil) async throws -> UUID {
        guard let given else { return try await defaultCouncilID(on: db) }
        let exists = try await db.client.query("SELECT 1 FROM councils WHERE id = \(given)").collect().isEmpty == false
        guard exists else {
            if let field {
                throw AppError(.unprocessableEntity, code: "invalid_field", field: field,
                               ja: "「\(field)」が正しくありません: その協議会はありません", en: "Field '\(field)' is invalid: no such council")
            }
            throw AppError.invalidParameter("council_id", ja: "その協議会はありません", en: "no such council")
        }
        return given
    }

    static func wards(on db: Database) async throws -> [WardDTO] {
        try await db.client.query("""
            SELECT code, name_ja, name_en, population_2010, ageing_rate_2010::float8 AS ageing_rate_2010,
                   ageing_rate_65plus_2020::float8 AS ageing_rate_65plus_2020, ageing_rate_2024::float8 AS ageing_rate_2024,
                   walk_15min_rate_fy2022::float8 AS walk_15min_rate_fy2022, sources
            FROM wards ORDER BY position
            """).rows().map { row in
            WardDTO(code: try row.get("code"), nameJa: try row.get("name_ja"), nameEn: try row.get("name_en"),
                    population2010: try row.get("population_2010"), ageingRate2010: try row.get("ageing_rate_2010"),
                    ageingRate65plus2020: try row.get("ageing_rate_65plus_2020"),
                    ageingRate2024: try row.get("ageing_rate_2024"),
                    walk15minRateFy2022: try row.get("walk_15min_rate_fy2022"), sources: try row.get("sources"))
        }
    }

    /// A ward given by its Japanese name (川崎区), English name (Kawasaki-ku) or code (14131).
    static func wardCode(_ given: String?, parameter: String, on db: Database) async throws -> String? {
        guard let given else { return nil }
        let code = try await db.client.query("""
            SELECT code FROM wards WHERE name_ja = \(given) OR code = \(given) OR lower(name_en) = lower(\(given))
            """).collect().first?.decode(String.self)
        guard let code else {
            throw AppError.invalidParameter(parameter, ja: "区の名前（例: 麻生区）またはコードで指定してください",
                                            en: "must be a ward name (e.g. 麻生区 or Asao-ku) or code")
        }
        return code
    }

    static func districts(wardCode: String?, page: PageRequest, on db: Database) async throws -> Page<DistrictDTO> {
        var count = SQLQuery("SELECT count(*)::int FROM districts d WHERE true")
        var select = SQLQuery("""
            SELECT d.id, d.ward_code, w.name_ja AS ward, d.name_ja, d.towns
            FROM districts d JOIN wards w ON w.code = d.ward_code WHERE true
            """)
        if let wardCode {
            count.append(" AND d.ward_code = "); try count.bind(wardCode)
            select.append(" AND d.ward_code = "); try select.bind(wardCode)
        }
        return try await db.page(count: count, select: select, order: " ORDER BY w.position, d.name_ja", page: page) { row in
            DistrictDTO(id: try row.get("id"), wardCode: try row.get("ward_code"), ward: try row.get("ward"),
                        nameJa: try row.get("name_ja"), towns: try row.get("towns"))
        }
    }

    static func domains(on db: Database) async throws -> [LabelledCodeDTO] {
        try await db.client.query("SELECT code, position, numeral || ' ' || label_ja AS label_ja, label_en FROM domains ORDER BY position")
            .rows().map(labelled)
    }

    static func supportMenu(on db: Database) async throws -> [LabelledCodeDTO] {
        try await db.client.query("""
            SELECT code, position, position::text || ' ' || label_ja AS label_ja, label_en
            FROM support_menu_items ORDER BY position
            """).rows().map(labelled)
    }

    private static func labelled(_ row: PostgresRandomAccessRow) throws -> LabelledCodeDTO {
        LabelledCodeDTO(code: try row.get("code"), position: Int(try row.get("position", as: Int16.self)),
                        labelJa: try row.get("label_ja"), labelEn: try row.get("label_en"))
    }
}
