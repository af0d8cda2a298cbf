import Vapor

/// `/needs` (list with filters and pages) and `/needs/{id}`.
enum NeedPages {
    struct Row: Encodable {
        var link: String
        var title: String
        var ward: String
        var domain: String
        var severity: Int
        var status: String
        var statusCode: String
        var wanted: Int
    }

    struct ListModel: Encodable {
        var layout: Layout
        var q: String
        var domains: [SelectOption]
        var wards: [SelectOption]
        var statuses: [SelectOption]
        var needs: [Row]
        var pager: Pager
    }

    struct DetailModel: Encodable {
        var layout: Layout
        var need: NeedDTO
        var ward: String
        var domain: String
        var source: String
        var status: String
    }

    static func list(req: Request) async throws -> View {
        let query = try QueryParameters(req, allowed: NeedsAPI.listParameters.subtracting(["council_id"]))
        let filter = try await NeedsAPI.filter(from: query, on: req.database)
        let page = try PageRequest(query)
        let result = try await NeedQueries.list(filter, page: page, on: req.database)
        let wards = try await ReferenceQueries.wards(on: req.database)
        let wardName = wards.first { $0.code == filter.wardCode }?.nameJa
        let model = ListModel(
            layout: req.layout(titleKey: "needs_title"),
            q: filter.search ?? "",
            domains: req.options(DomainCode.codes, prefix: "domain_", selected: filter.domain),
            wards: req.wardOptions(wards, selectedCode: filter.wardCode),
            statuses: req.options(NeedStatus.codes, prefix: "need_status_", selected: filter.status),
            needs: result.items.map { need in
                Row(link: "/needs/\(need.id.uuidString.lowercased())", title: need.title,
                    ward: place(need, wards, req), domain: req.text("domain_" + need.domain),
                    severity: need.severity, status: req.text("need_status_" + need.status), statusCode: need.status,
                    wanted: need.wanted)
            },
            pager: Pager(path: "/needs", filters: [("q", filter.search), ("domain", filter.domain), ("ward", wardName),
                                                     ("district_id", filter.districtID?.uuidString.lowercased()),
                                                     ("status", filter.status)],
                         page: page, total: result.total))
        return try await req.view.render("needs", model)
    }

    static func show(req: Request) async throws -> View {
        let need = try await NeedsAPI.show(req: req)
        let wards = try await ReferenceQueries.wards(on: req.database)
        let model = DetailModel(
            layout: req.layout(title: need.title), need: need, ward: place(need, wards, req),
            domain: req.text("domain_" + need.domain), source: req.text("source_" + need.source),
            status: req.text("need_status_" + need.status))
        return try await req.view.render("need", model)
    }

    /// 「高津区 橘地区」 or just the ward.
    static func place(_ need: NeedDTO, _ wards: [WardDTO], _ req: Request) -> String {
        let ward = wards.first { $0.code == need.wardCode }.map(req.wardLabel) ?? ""
        guard let district = need.district else { return ward }
        return ward + " " + district
    }
}
