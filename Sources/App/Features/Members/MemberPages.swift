import Vapor

/// `/members` (list with filters and pages) and `/members/{id}`.
enum MemberPages {
    struct Row: Encodable {
        var link: String
        var name: String
        var kind: String
        var domains: String
        var wards: String
        var capacity: Int
        var isDemo: Bool
    }

    struct ListModel: Encodable {
        var layout: Layout
        var q: String
        var kinds: [SelectOption]
        var domains: [SelectOption]
        var wards: [SelectOption]
        var members: [Row]
        var pager: Pager
    }

    struct DetailModel: Encodable {
        var layout: Layout
        var member: MemberDTO
        var kind: String
        var domains: [String]
        var wards: String
        var joinedOn: String
    }

    static func list(req: Request) async throws -> View {
        let query = try QueryParameters(req, allowed: MembersAPI.listParameters.subtracting(["council_id"]))
        let filter = try await MembersAPI.filter(from: query, on: req.database)
        let page = try PageRequest(query)
        let result = try await MemberQueries.list(filter, page: page, on: req.database)
        let wards = try await ReferenceQueries.wards(on: req.database)
        let wardName = wards.first { $0.code == filter.wardCode }?.nameJa
        let model = ListModel(
            layout: req.layout(titleKey: "members_title"),
            q: filter.search ?? "",
            kinds: req.options(MemberKind.codes, prefix: "kind_", selected: filter.kind),
            domains: req.options(DomainCode.codes, prefix: "domain_", selected: filter.domain),
            wards: req.wardOptions(wards, selectedCode: filter.wardCode),
            members: result.items.map { row($0, req: req, wards: wards) },
            pager: Pager(path: "/members", filters: [("q", filter.search), ("kind", filter.kind),
                                                       ("domain", filter.domain), ("ward", wardName)],
                         page: page, total: result.total))
        return try await req.view.render("members", model)
    }

    static func show(req: Request) async throws -> View {
        let member = try await MembersAPI.show(req: req)
        let wards = try await ReferenceQueries.wards(on: req.database)
        let model = DetailModel(
            layout: req.layout(title: member.nameJa), member: member, kind: req.text("kind_" + member.kind),
            domains: member.domains.map { req.text("domain_" + $0) }, wards: wardsLabel(member.wards, wards, req),
            joinedOn: DisplayDate.day(member.joinedOn, req))
        return try await req.view.render("member", model)
    }

    static func row(_ member: MemberDTO, req: Request, wards: [WardDTO]) -> Row {
        Row(link: "/members/\(member.id.uuidString.lowercased())", name: member.nameJa,
            kind: req.text("kind_" + member.kind),
            domains: member.domains.map { req.text("domain_" + $0) }.joined(separator: " / "),
            wards: wardsLabel(member.wards, wards, req), capacity: member.capacity, isDemo: member.isDemo)
    }

    static func wardsLabel(_ names: [String], _ wards: [WardDTO], _ req: Request) -> String {
        if names == ["*"] { return req.text("city_wide") }
        return names.map { name in wards.first { $0.nameJa == name }.map(req.wardLabel) ?? name }
            .joined(separator: req.language == .ja ? "・" : ", ")
    }
}
