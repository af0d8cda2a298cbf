import Vapor

/// The member's proposal pages: new, edit, detail with its history, and the moves a member makes.
enum ProposalPages {
    struct FormModel: Encodable {
        var layout: Layout
        var action: String
        var form: ProposalForm
        var errors: [String: String]
        var domains: [Choice]
        var wards: [Choice]
        var supportMenu: [Choice]
        var resources: [Choice]
        var tracks: [Choice]
    }

    static func new(req: Request) async throws -> Response {
        try req.requireUser(.member)
        return try await renderForm(req, action: "/portal/proposals", form: ProposalForm(), errors: [:], status: .ok,
                                    titleKey: "proposal_new_title")
    }

    static func create(req: Request) async throws -> Response {
        let user = try req.requireUser(.member)
        let form = try req.content.decode(ProposalForm.self)
        do {
            let id = try await ProposalWrites.create(form.input, by: user, actor: req.auditActor, db: req.database,
                                                     logger: req.logger)
            return req.redirect(to: "/portal/proposals/\(id.uuidString.lowercased())", redirectType: .normal)
        } catch let error as AppError where error.status == .unprocessableEntity {
            return try await renderForm(req, action: "/portal/proposals", form: form, errors: errors(form.input, error, req),
                                        status: .unprocessableEntity, titleKey: "proposal_new_title")
        }
    }

    static func edit(req: Request) async throws -> Response {
        let proposal = try await own(req)
        guard ProposalWorkflow.isEditable(ProposalStatus(rawValue: proposal.status) ?? .draft) else {
            return req.redirect(to: link(proposal.id), redirectType: .normal)
        }
        return try await renderForm(req, action: link(proposal.id), form: ProposalForm(proposal), errors: [:], status: .ok,
                                    titleKey: "proposal_edit_title")
    }

    static func save(req: Request) async throws -> Response {
        let user = try req.requireUser(.member)
        let proposal = try await own(req)
        let form = try req.content.decode(ProposalForm.self)
        do {
            try await ProposalWrites.update(proposal.id, form.input, by: user, actor: req.auditActor, db: req.database,
                                            logger: req.logger)
            return req.redirect(to: link(proposal.id), redirectType: .normal)
        } catch let error as AppError where error.status == .unprocessableEntity {
            return try await renderForm(req, action: link(proposal.id), form: form, errors: errors(form.input, error, req),
                                        status: .unprocessableEntity, titleKey: "proposal_edit_title")
        }
    }

    struct DetailModel: Encodable {
        var layout: Layout
        var view: ProposalView
        var editable: Bool
        var canSubmit: Bool
        var canWithdraw: Bool
    }

    static func show(req: Request) async throws -> View {
        let proposal = try await own(req)
        let status = ProposalStatus(rawValue: proposal.status) ?? .draft
        let targets = ProposalWorkflow.targets(from: status)
        let model = DetailModel(layout: req.layout(title: proposal.title),
                                view: try await ProposalView(proposal, req: req),
                                editable: ProposalWorkflow.isEditable(status), canSubmit: targets.contains(.submitted),
                                canWithdraw: targets.contains(.withdrawn))
        return try await req.view.render("proposal-detail", model)
    }

    struct TransitionForm: Content {
        var to: String
        var comment: String?
    }

    /// Submit, resubmit or withdraw from the detail page.
    static func transition(req: Request) async throws -> Response {
        let user = try req.requireUser(.member)
        let proposal = try await own(req)
        let form = try req.content.decode(TransitionForm.self)
        guard let target = ProposalStatus(rawValue: form.to) else {
            throw AppError(.badRequest, code: "invalid_field", field: "to", ja: "変更先の状況が正しくありません。",
                           en: "Unknown target status.")
        }
        _ = try await ProposalWrites.transition(proposal.id, to: target, comment: form.comment ?? "", by: user,
                                                actor: req.auditActor, db: req.database, logger: req.logger)
        return req.redirect(to: link(proposal.id), redirectType: .normal)
    }

    /// The member's own proposal of the path, or 404.
    static func own(_ req: Request) async throws -> ProposalDTO {
        let user = try req.requireUser(.member)
        guard let id = req.parameters.get("id", as: UUID.self),
              case .full(let proposal)? = try await ProposalQueries.find(id, for: user, on: req.database) else {
            throw AppError.notFound("proposal")
        }
        return proposal
    }

    static func link(_ id: UUID) -> String { "/portal/proposals/\(id.uuidString.lowercased())" }

    /// Every field's message, in the page's language (the first error thrown may not be a form problem).
    static func errors(_ input: ProposalInput, _ thrown: AppError, _ req: Request) -> [String: String] {
        var errors: [String: String] = [:]
        for problem in input.problems(creating: true) where errors[problem.field] == nil {
            errors[problem.field] = req.language == .ja ? problem.ja : problem.en
        }
        if let field = thrown.field, errors[field] == nil { errors[field] = thrown.message(in: req.language) }
        return errors
    }

    static func renderForm(_ req: Request, action: String, form: ProposalForm, errors: [String: String],
                           status: HTTPStatus, titleKey: String) async throws -> Response {
        let wards = try await ReferenceQueries.wards(on: req.database)
        let model = FormModel(
            layout: req.layout(titleKey: titleKey), action: action, form: form, errors: errors,
            domains: req.choices(DomainCode.codes, prefix: "domain_", field: "domains", checked: form.domains ?? []),
            wards: req.wardChoices(wards, checked: form.wards ?? []),
            supportMenu: req.choices(SupportMenuCode.codes, prefix: "proposal_support_", field: "support_menu",
                                     checked: form.supportMenu ?? []),
            resources: req.choices(ResourceCode.codes, prefix: "proposal_resource_", field: "resources_offered",
                                   checked: form.resourcesOffered ?? []),
            tracks: req.choices(ProposalTrack.codes, prefix: "proposal_track_", field: "track",
                                checked: [form.track ?? "regional"]))
        let response = try await req.view.render("proposal-form", model).encodeResponse(for: req)
        response.status = status
        return response
    }
}
