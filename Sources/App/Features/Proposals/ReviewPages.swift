import Vapor

/// Staff review: the queue (oldest first, filtered) and one proposal with the decision forms.
enum ReviewPages {
    struct Row: Encodable {
        var link: String
        var title: String
        var memberName: String
        var status: String
        var statusCode: String
        var track: String
        var submitted: String
    }

    struct QueueModel: Encodable {
        var layout: Layout
        var statuses: [SelectOption]
        var domains: [SelectOption]
        var wards: [SelectOption]
        var tracks: [SelectOption]
        var proposals: [Row]
        var pager: Pager
    }

    static func queue(req: Request) async throws -> View {
        let user = try req.requireUser(.staff, .admin)
        let query = try QueryParameters(req, allowed: ProposalsAPI.listParameters)
        let filter = try await ProposalsAPI.filter(from: query, on: req.database)
        let page = try PageRequest(query)
        let list = try await ProposalQueries.list(for: user, filter: filter, page: page, on: req.database)
        let wards = try await ReferenceQueries.wards(on: req.database)
        let wardName = wards.first { $0.code == filter.wardCode }?.nameJa
        let model = QueueModel(
            layout: req.layout(titleKey: "review_title"),
            statuses: req.options(ProposalStatus.codes.filter { $0 != "draft" }, prefix: "proposal_status_",
                                  selected: filter.status),
            domains: req.options(DomainCode.codes, prefix: "domain_", selected: filter.domain),
            wards: req.wardOptions(wards, selectedCode: filter.wardCode),
            tracks: req.options(ProposalTrack.codes, prefix: "proposal_track_", selected: filter.track),
            proposals: list.items.map { p in
                Row(link: "/review/\(p.id.uuidString.lowercased())", title: p.title, memberName: p.memberName,
                    status: req.text("proposal_status_" + p.status), statusCode: p.status,
                    track: req.text("proposal_track_" + p.track),
                    submitted: p.submittedAt.map(ProposalView.format) ?? "")
            },
            pager: Pager(path: "/review", filters: [("status", filter.status), ("domain", filter.domain),
                                                    ("ward", wardName), ("track", filter.track)],
                         page: page, total: list.total))
        return try await req.view.render("review-queue", model)
    }

    struct DetailModel: Encodable {
        var layout: Layout
        var view: ProposalView
        var actions: [SelectOption]
        var error: String?
    }

    /// Every staff read is audited (ProposalsAPI.visible).
    static func show(req: Request) async throws -> View {
        let user = try req.requireUser(.staff, .admin)
        guard case .full(let proposal) = try await ProposalsAPI.visible(req, user) else { throw AppError.notFound("proposal") }
        let status = ProposalStatus(rawValue: proposal.status) ?? .submitted
        let actions = ProposalWorkflow.targets(from: status).filter { ProposalWorkflow.actor(for: $0) == .staff }
            .sorted { $0.rawValue < $1.rawValue }
        let model = DetailModel(layout: req.layout(title: proposal.title), view: try await ProposalView(proposal, req: req),
                                actions: actions.map { SelectOption(value: $0.rawValue,
                                                                    label: req.text("review_action_" + $0.rawValue),
                                                                    selected: false) },
                                error: nil)
        return try await req.view.render("review-detail", model)
    }

    static func transition(req: Request) async throws -> Response {
        let user = try req.requireUser(.staff, .admin)
        guard let id = req.parameters.get("id", as: UUID.self) else { throw AppError.notFound("proposal") }
        let form = try req.content.decode(ProposalPages.TransitionForm.self)
        guard let target = ProposalStatus(rawValue: form.to) else {
            throw AppError(.badRequest, code: "invalid_field", field: "to", ja: "変更先の状況が正しくありません。",
                           en: "Unknown target status.")
        }
        _ = try await ProposalWrites.transition(id, to: target, comment: form.comment ?? "", by: user,
                                                actor: req.auditActor, db: req.database, logger: req.logger)
        return req.redirect(to: "/review/\(id.uuidString.lowercased())", redirectType: .normal)
    }
}
