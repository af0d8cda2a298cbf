import Vapor

/// `/board`: every working group as a card in the column of its stage, for every signed-in user.
enum BoardPage {
    struct Card: Encodable {
        var link: String
        var title: String
        var typeCode: String
        var typeLabel: String
        var lead: String
        var wards: String
        var stageLabel: String
        var daysInStage: Int
        var lastActivity: String?
        var lastActivityOn: String?
    }

    struct Column: Encodable {
        var code: String
        var label: String
        var count: Int
        var cards: [Card]
    }

    struct Model: Encodable {
        var layout: Layout
        var types: [SelectOption]
        var domains: [SelectOption]
        var wards: [SelectOption]
        var columns: [Column]
        var total: Int
    }

    static let parameters: Set<String> = ["type", "domain", "ward"]

    static func show(req: Request) async throws -> View {
        try req.requireUser()
        let query = try QueryParameters(req, allowed: parameters)
        let filter = try await WorkingGroupsAPI.filter(from: query, on: req.database)
        let columns = try await columns(filter, req: req)
        let wards = try await ReferenceQueries.wards(on: req.database)
        let model = Model(
            layout: req.layout(titleKey: "board_title"),
            types: req.options(WorkingGroupType.codes, prefix: "wg_type_", selected: filter.type),
            domains: req.options(DomainCode.codes, prefix: "domain_", selected: filter.domain),
            wards: req.wardOptions(wards, selectedCode: filter.wardCode),
            columns: columns, total: columns.reduce(0) { $0 + $1.count })
        return try await req.view.render("board", model)
    }

    /// The board's query, which tests call directly. A council has tens to hundreds of groups, so
    /// the board shows them all rather than a page of them.
    static func columns(_ filter: WorkingGroupFilter, req: Request) async throws -> [Column] {
        let groups = try await WorkingGroupQueries.list(filter, page: PageRequest(perPage: 5000), on: req.database).items
        let wards = try await ReferenceQueries.wards(on: req.database)
        return WorkingGroupStage.allCases.map { stage in
            // Within a column the group waiting longest comes first: that is where attention is due.
            let inStage = groups.filter { $0.stage == stage.rawValue }
                .sorted { ($0.daysInStage, $1.title) > ($1.daysInStage, $0.title) }
            return Column(code: stage.rawValue, label: req.text("stage_" + stage.rawValue), count: inStage.count,
                          cards: inStage.map { card($0, wards: wards, req: req) })
        }
    }

    static func card(_ group: WorkingGroupDTO, wards: [WardDTO], req: Request) -> Card {
        Card(link: "/working-groups/\(group.id.uuidString.lowercased())", title: group.title, typeCode: group.type,
             typeLabel: req.text("wg_type_" + group.type), lead: group.leadOrganisation ?? "—",
             wards: wardNames(group, wards: wards, req: req), stageLabel: req.text("stage_" + group.stage),
             daysInStage: group.daysInStage, lastActivity: group.lastActivityTitle, lastActivityOn: group.lastActivityOn.map { DisplayDate.day($0, req) })
    }

    static func wardNames(_ group: WorkingGroupDTO, wards: [WardDTO], req: Request) -> String {
        if group.cityWide { return req.text("wg_city_wide") }
        return group.wardCodes.compactMap { code in wards.first { $0.code == code }.map(req.wardLabel) }
            .joined(separator: req.language == .ja ? "・" : ", ")
    }
}
