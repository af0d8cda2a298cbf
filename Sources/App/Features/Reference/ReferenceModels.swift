import Vapor

struct CouncilDTO: Content {
    var id: UUID
    var code: String
    var nameJa: String
    var nameEn: String?
    var level: String
    var wardCode: String?
}

/// A ward with the real figures of shared/data/kawasaki; nil stays unknown.
struct WardDTO: Content {
    var code: String
    var nameJa: String
    var nameEn: String
    var population2010: Int?
    var ageingRate2010: Double?
    var ageingRate65plus2020: Double?
    var ageingRate2024: Double?
    var walk15minRateFy2022: Double?
    var sources: String

    // Spelled out: the automatic snake_case conversion does not split letters from digits.
    enum CodingKeys: String, CodingKey {
        case code, nameJa = "name_ja", nameEn = "name_en", sources
        case population2010 = "population_2010"
        case ageingRate2010 = "ageing_rate_2010"
        case ageingRate65plus2020 = "ageing_rate_65plus_2020"
        case ageingRate2024 = "ageing_rate_2024"
        case walk15minRateFy2022 = "walk_15min_rate_fy2022"
    }
}

struct DistrictDTO: Content {
    var id: UUID
    var wardCode: String
    var ward: String
    var nameJa: String
    var towns: String
}

struct LabelledCodeDTO: Content {
    var code: String
    var position: Int
    var labelJa: String
    var labelEn: String
}
