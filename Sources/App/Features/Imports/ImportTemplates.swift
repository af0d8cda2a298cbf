import Vapor

/// `GET /staff/imports/templates/{kind}.csv`: a file to fill in, with the header row in the
/// user's language. The needs template carries one example row marked （例）; the district
/// template lists the districts already known with their towns and leaves every figure blank
/// (we never ship figures we did not find).
enum ImportTemplates {
    static func download(req: Request) async throws -> Response {
        try req.requireUser(.staff, .admin)
        let file = req.parameters.get("file") ?? ""
        guard file.hasSuffix(".csv"), let kind = ImportKind(slug: String(file.dropLast(4))) else {
            throw AppError.notFound("page")
        }
        var csv = CSVWriter()
        csv.row(kind.columns.map { req.text($0.labelKey) })
        switch kind {
        case .needs:
            let example = req.language == .ja
                ? ["（例）買い物に行く手段が少ない", "高津区", "", "domain_daily_life", "3", "1", "need_status_open",
                   "source_care_meeting", "買い物、移動", "（例）地域ケア会議で、坂の多い地区で買い物に困る声が出た。"]
                : ["(Example) Few ways to get to the shops", "Takatsu-ku", "", "domain_daily_life", "3", "1", "need_status_open",
                   "source_care_meeting", "shopping, transport", "(Example) Raised at a community care meeting."]
            csv.row(example.map { $0.hasPrefix("domain_") || $0.hasPrefix("need_status_") || $0.hasPrefix("source_") ? req.text($0) : $0 })
        case .districtProfiles:
            let districts = try await ReferenceQueries.districts(wardCode: nil, page: PageRequest(page: 1, perPage: 1000),
                                                                 on: req.database)
            for district in districts.items {
                csv.row(kind.columns.map { column in
                    switch column.field {
                    case "ward": district.ward
                    case "district": district.nameJa
                    case "towns": district.towns
                    default: ""
                    }
                })
            }
        }
        return csv.response(filename: "\(kind.slug)-template.csv")
    }
}
