import Vapor

extension Exports {
    /// `GET /staff/exports/proposals.csv` (staff): every submitted proposal of the council (the
    /// review queue's filters apply), never another member's draft.
    static func proposals(req: Request) async throws -> Response {
        let user = try req.requireUser(.staff, .admin)
        let query = try QueryParameters(req, allowed: ["status", "domain", "ward", "track", "q"])
        let filter = try await ProposalsAPI.filter(from: query, on: req.database)
        let proposals = try await ProposalQueries.list(for: user, filter: filter, page: PageRequest(page: 1, perPage: 100_000),
                                                       on: req.database)
        var csv = CSVWriter()
        csv.row(["proposal_title", "proposal_member", "status", "proposal_track", "domain", "proposal_wards",
                 "proposal_support_menu", "proposal_resources", "tags", "review_submitted", "export_decided_at",
                 "proposal_summary"].map(req.text))
        for p in proposals.items {
            csv.row([p.title, p.memberName, req.text("proposal_status_" + p.status), req.text("proposal_track_" + p.track),
                     p.domains.map { req.text("domain_" + $0) }.joined(separator: " / "),
                     p.wards == ["*"] ? req.text("city_wide") : p.wards.joined(separator: "・"),
                     p.supportMenu.map { req.text("proposal_support_" + $0) }.joined(separator: " / "),
                     p.resourcesOffered.map { req.text("proposal_resource_" + $0) }.joined(separator: "・"),
                     p.tags.joined(separator: "、"), p.submittedAt.map(JapanDate.minute) ?? "",
                     p.decidedAt.map(JapanDate.minute) ?? "", p.summary])
        }
        return csv.response(filename: "proposals.csv")
    }
}
