import Vapor

/// `/portal`: a member organisation's own proposals with their status badges.
enum PortalPages {
    struct Row: Encodable {
        var link: String
        var title: String
        var status: String
        var statusCode: String
        var updated: String
    }

    struct Model: Encodable {
        var layout: Layout
        var memberName: String
        var proposals: [Row]
        var pager: Pager
    }

    static func home(req: Request) async throws -> Response {
        let user = try req.requireUser()
        // Staff and admins have their own start pages.
        guard user.role == .member, let memberID = user.memberID else {
            return req.redirect(to: user.role == .admin ? "/admin/users" : "/review", redirectType: .normal)
        }
        let query = try QueryParameters(req, allowed: ["page", "per_page"])
        let page = try PageRequest(query)
        let list = try await ProposalQueries.list(for: user, filter: .init(), page: page, on: req.database)
        let member = try await MemberQueries.find(memberID, on: req.database)
        let model = Model(
            layout: req.layout(titleKey: "proposal_portal_title"), memberName: member?.nameJa ?? "",
            proposals: list.items.map { p in
                Row(link: ProposalPages.link(p.id), title: p.title, status: req.text("proposal_status_" + p.status),
                    statusCode: p.status, updated: DisplayDate.dateTime(p.updatedAt, req))
            },
            pager: Pager(path: "/portal", filters: [], page: page, total: list.total))
        return try await req.view.render("portal", model).encodeResponse(for: req)
    }
}
