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
