import Vapor

/// `GET /staff/exports/members.csv` and `/staff/exports/needs.csv` (staff): every row of the
/// council (the list filters apply), with a header row in the user's language.
enum Exports {
    static func members(req: Request) async throws -> Response {
        try req.requireUser(.staff, .admin)
        let query = try QueryParameters(req, allowed: ["domain", "ward", "kind", "q"])
        let filter = try await MembersAPI.filter(from: query, on: req.database)
        let members = try await MemberQueries.list(filter, page: PageRequest(page: 1, perPage: 100_000), on: req.database)
        var csv = CSVWriter()
        csv.row(["member_name", "member_kind", "member_industry", "domain", "member_wards", "tags", "member_capacity",
                 "member_joined", "description", "demo"].map(req.text))
        for m in members.items {
            csv.row([m.nameJa, req.text("kind_" + m.kind), m.industry, m.domains.map { req.text("domain_" + $0) }.joined(separator: " / "),
                     m.wards == ["*"] ? req.text("city_wide") : m.wards.joined(separator: "・"), m.tags.joined(separator: "、"),
                     String(m.capacity), m.joinedOn ?? "", m.description, m.isDemo ? req.text("demo") : ""])
        }
        return csv.response(filename: "members.csv")
    }

    static func needs(req: Request) async throws -> Response {
        try req.requireUser(.staff, .admin)
        let query = try QueryParameters(req, allowed: ["domain", "ward", "district_id", "status", "q"])
        let filter = try await NeedsAPI.filter(from: query, on: req.database)
        let needs = try await NeedQueries.list(filter, page: PageRequest(page: 1, perPage: 100_000), on: req.database)
        var csv = CSVWriter()
        csv.row(["need_title", "ward", "domain", "need_severity", "need_wanted", "status", "need_source", "tags",
                 "description"].map(req.text))
        for n in needs.items {
            csv.row([n.title, [n.ward, n.district].compactMap { $0 }.joined(separator: " "), req.text("domain_" + n.domain),
                     String(n.severity), String(n.wanted), req.text("need_status_" + n.status), req.text("source_" + n.source),
                     n.tags.joined(separator: "、"), n.description])
        }
        return csv.response(filename: "needs.csv")
    }
}
