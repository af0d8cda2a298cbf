import Vapor

/// A proposal with every code turned into the page's language, for the detail and review pages.
struct ProposalView: Encodable {
    struct Step: Encodable {
        var status: String
        var statusCode: String
        var comment: String
        var at: String
    }

    var id: String
    var title: String
    var memberName: String
    var summary: String
    var body: String
    var status: String
    var statusCode: String
    var domains: [String]
    var wards: String
    var tags: [String]
    var supportMenu: [String]
    var resources: [String]
    var track: String
    var history: [Step]

    init(_ p: ProposalDTO, req: Request) async throws {
        let wards = try await ReferenceQueries.wards(on: req.database)
        id = p.id.uuidString.lowercased()
        title = p.title
        memberName = p.memberName
        summary = p.summary
        body = p.body ?? ""
        status = req.text("proposal_status_" + p.status)
        statusCode = p.status
        domains = p.domains.map { req.text("domain_" + $0) }
        self.wards = MemberPages.wardsLabel(p.wards, wards, req)
        tags = p.tags
        supportMenu = p.supportMenu.map { req.text("proposal_support_" + $0) }
        resources = p.resourcesOffered.map { req.text("proposal_resource_" + $0) }
        track = req.text("proposal_track_" + p.track)
        history = (p.history ?? []).map { step in
            Step(status: req.text("proposal_status_" + step.to), statusCode: step.to, comment: step.comment,
                 at: DisplayDate.dateTime(step.at, req))
        }
    }

}
