import Vapor

/// The council's home: members by kind, open needs as a ward × domain table, links to the lists.
enum HomePage {
    struct Model: Encodable {
        struct KindCount: Encodable { var label: String; var count: Int; var link: String }
        struct Column: Encodable { var label: String }
        struct Cell: Encodable { var count: Int; var link: String }
        struct WardRow: Encodable { var name: String; var cells: [Cell]; var total: Int; var link: String }

        var layout: Layout
        var councilName: String
        var memberTotal: Int
        var kinds: [KindCount]
        var domains: [Column]
        var rows: [WardRow]
        var domainTotals: [Cell]
        var openNeedsTotal: Int
    }

    static func show(req: Request) async throws -> View {
        let db = req.database
        let councilID = try await ReferenceQueries.defaultCouncilID(on: db)
        let council = try await ReferenceQueries.councils(on: db, page: PageRequest(perPage: 200)).items
            .first { $0.id == councilID }
        let byKind = try await MemberQueries.countsByKind(councilID: councilID, on: db)
        let open = try await NeedQueries.openCountsByWardAndDomain(councilID: councilID, on: db)
        let wards = try await ReferenceQueries.wards(on: db)
        let domains = DomainCode.codes

        let kinds = MemberKind.codes.map { kind in
            Model.KindCount(label: req.text("kind_" + kind), count: byKind[kind] ?? 0, link: "/members?kind=\(kind)")
        }
        let rows = wards.map { ward in
            let cells = domains.map { domain in
                Model.Cell(count: open[ward.code]?[domain] ?? 0, link: needsLink(ward: ward.nameJa, domain: domain))
            }
            return Model.WardRow(name: req.wardLabel(ward), cells: cells, total: cells.reduce(0) { $0 + $1.count },
                                 link: needsLink(ward: ward.nameJa, domain: nil))
        }
        let totals = domains.enumerated().map { index, domain in
            Model.Cell(count: rows.reduce(0) { $0 + $1.cells[index].count }, link: needsLink(ward: nil, domain: domain))
        }
        let model = Model(
            layout: req.layout(titleKey: "home_title"),
            councilName: req.language == .ja ? (council?.nameJa ?? "") : (council?.nameEn ?? council?.nameJa ?? ""),
            memberTotal: byKind.values.reduce(0, +), kinds: kinds,
            domains: domains.map { Model.Column(label: req.text("domain_" + $0)) },
            rows: rows, domainTotals: totals, openNeedsTotal: totals.reduce(0) { $0 + $1.count })
        return try await req.view.render("home", model)
    }

    /// The need list filtered to open needs of one ward and/or domain.
    static func needsLink(ward: String?, domain: String?) -> String {
        var components = URLComponents()
        components.path = "/needs"
        components.queryItems = [("ward", ward), ("domain", domain), ("status", "open")]
            .compactMap { name, value in value.map { URLQueryItem(name: name, value: $0) } }
        return components.string ?? "/needs"
    }
}
