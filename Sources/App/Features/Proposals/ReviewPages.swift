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
        var q: String
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
            q: filter.search ?? "",
            proposals: list.items.map { p in
                Row(link: "/review/\(p.id.uuidString.lowercased())", title: p.title, memberName: p.memberName,
                    status: req.text("proposal_status_" + p.status), statusCode: p.status,
                    track: req.text("proposal_track_" + p.track),
                    submitted: p.submittedAt.map { DisplayDate.dateTime($0, req) } ?? "")
            },
            pager: Pager(path: "/review", filters: [("q", filter.search), ("status", filter.status), ("domain", filter.domain),
                                                    ("ward", wardName), ("track", filter.track)],
                         page: page, total: list.total))
        return try await req.view.render("review-queue", model)
    }

    struct DetailModel: Encodable {
        var layout: Layout
        var view: ProposalView
        var actions: [SelectOption]
        var error: String?
        /// An accepted proposal no group has been formed from: the form that forms one.
        var newGroup: NewGroupModel?
        /// The group formed from this proposal, once there is one.
        var formedGroup: FormedGroup?
    }

    struct NewGroupModel: Encodable {
        var form: GroupFromProposalForm
        var errors: [String: String]
    }

    struct FormedGroup: Encodable { var link: String; var title: String }

    /// Every staff read is audited (ProposalsAPI.visible).
    static func show(req: Request) async throws -> Response {
        let user = try req.requireUser(.staff, .admin)
        return try await renderDetail(req, user: user, form: nil, errors: [:], status: .ok)
    }

    static func renderDetail(_ req: Request, user: SignedInUser, form: GroupFromProposalForm?, errors: [String: String],
                             status: HTTPStatus) async throws -> Response {
        guard case .full(let proposal) = try await ProposalsAPI.visible(req, user) else { throw AppError.notFound("proposal") }
        let proposalStatus = ProposalStatus(rawValue: proposal.status) ?? .submitted
        let actions = ProposalWorkflow.targets(from: proposalStatus).filter { ProposalWorkflow.actor(for: $0) == .staff }
            .sorted { $0.rawValue < $1.rawValue }
        let formed = try await req.database.client.query("""
            SELECT id, title FROM working_groups WHERE origin_proposal_id = \(proposal.id) ORDER BY created_at, id LIMIT 1
            """).collect().first.map { row in
            let (id, title) = try row.decode((UUID, String).self)
            return FormedGroup(link: "/working-groups/\(id.uuidString.lowercased())", title: title)
        }
        var newGroup: NewGroupModel?
        if proposalStatus == .accepted, formed == nil {
            newGroup = NewGroupModel(form: form ?? GroupFromProposalForm(proposal), errors: errors)
        }
        let model = DetailModel(layout: req.layout(title: proposal.title), view: try await ProposalView(proposal, req: req),
                                actions: actions.map { SelectOption(value: $0.rawValue,
                                                                    label: req.text("review_action_" + $0.rawValue),
                                                                    selected: false) },
                                error: newGroup == nil ? errors["form"] : nil, newGroup: newGroup, formedGroup: formed)
        return try await req.render("review-detail", model, status: status)
    }

    /// Staff form an open-type working group from an accepted proposal: the same
    /// `WorkingGroups.create` as `POST /api/v1/working-groups`, in one transaction with its history
    /// and audit record. Problems show the review page again with the form as typed (422); a
    /// refusal such as "already formed" shows the page with its reason (409).
    static func formGroup(req: Request) async throws -> Response {
        let user = try req.requireUser(.staff, .admin)
        guard let id = req.parameters.get("id", as: UUID.self) else { throw AppError.notFound("proposal") }
        let form = try req.content.decode(GroupFromProposalForm.self)
        var problems = form.problems(language: req.language)
        if problems.isEmpty {
            let draft = form.draft(proposalID: id)
            let actor = req.auditActor
            let logger = req.logger
            do {
                let group = try await req.database.transaction { connection in
                    try await WorkingGroups.create(draft, actor: actor, on: connection, logger: logger)
                }
                return req.redirect(to: "/working-groups/\(group.uuidString.lowercased())", redirectType: .normal)
            } catch let error as AppError where error.status == .unprocessableEntity || error.status == .conflict {
                if error.status == .conflict {
                    return try await renderDetail(req, user: user, form: form, errors: ["form": error.message(in: req.language)],
                                                  status: .conflict)
                }
                problems.add(error)
            }
        }
        return try await renderDetail(req, user: user, form: form, errors: problems.messages, status: .unprocessableEntity)
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
