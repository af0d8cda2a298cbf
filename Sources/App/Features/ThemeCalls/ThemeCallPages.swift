import Vapor

/// `/theme-calls` (open calls matching the member first) and `/theme-calls/{id}` (apply; staff
/// select applicants and form the working group in one step).
enum ThemeCallPages {
    struct Row: Encodable {
        var link: String
        var title: String
        var genre: String
        var wards: String
        var domains: String
        var deadline: String
        var status: String
        var statusCode: String
        var matchesYou: Bool
        var applications: Int
    }

    struct ListModel: Encodable {
        var layout: Layout
        var calls: [Row]
        var pager: Pager
        /// Staff only: the form that publishes a new call.
        var newCall: NewCallModel?
    }

    struct NewCallModel: Encodable {
        var form: ThemeCallForm
        var errors: [String: String]
        var needs: [Choice]
        var wards: [Choice]
        var domains: [Choice]
    }

    static func list(req: Request) async throws -> Response {
        let user = try req.requireUser()
        return try await renderList(req, user: user, form: ThemeCallForm(), errors: [:], status: .ok)
    }

    /// The list, and for staff the publishing form (empty, or as typed with its problems).
    static func renderList(_ req: Request, user: SignedInUser, form: ThemeCallForm, errors: [String: String],
                           status: HTTPStatus) async throws -> Response {
        let query = try QueryParameters(req, allowed: ["page", "per_page"])
        let page = try PageRequest(query)
        let council = try await ReferenceQueries.defaultCouncilID(on: req.database)
        let filter = ThemeCallFilter(councilID: council, memberID: user.memberID)
        let result = try await ThemeCallQueries.list(filter, page: page, on: req.database)
        let wards = try await ReferenceQueries.wards(on: req.database)
        var newCall: NewCallModel?
        if user.isStaff {
            let open = try await NeedQueries.list(NeedFilter(councilID: council, status: NeedStatus.open.rawValue),
                                                  page: PageRequest(perPage: PageRequest.maxPerPage), on: req.database).items
            let checked = Set((form.needIds ?? []).map { $0.lowercased() })
            newCall = NewCallModel(
                form: form, errors: errors,
                needs: open.map { need in
                    let id = need.id.uuidString.lowercased()
                    return Choice(value: id, label: "\(NeedPages.place(need, wards, req).nilIfEmpty ?? req.text("city_wide"))／\(req.text("domain_" + need.domain))　\(need.title)",
                                  checked: checked.contains(id), id: "need-\(id)")
                },
                wards: wards.map { ward in
                    Choice(value: ward.code, label: req.wardLabel(ward), checked: (form.wards ?? []).contains(ward.code),
                           id: "call-ward-\(ward.code)")
                },
                domains: req.choices(DomainCode.codes, prefix: "domain_", field: "call-domain", checked: form.domains ?? []))
        }
        let model = ListModel(
            layout: req.layout(titleKey: "theme_title"),
            calls: result.items.map { row($0, wards: wards, req: req) },
            pager: Pager(path: "/theme-calls", filters: [], page: page, total: result.total),
            newCall: newCall)
        return try await req.render("theme-list", model, status: status)
    }

    /// Staff publish a call from the list page: the same `ThemeCalls.publish` as the API, in one
    /// transaction with its audit record; problems show the form again (422) with what was typed.
    static func create(req: Request) async throws -> Response {
        let user = try req.requireUser(.staff, .admin)
        let form = try req.content.decode(ThemeCallForm.self)
        let wardCodes = try await ReferenceQueries.wards(on: req.database).map(\.code)
        var problems = form.problems(wardCodes: wardCodes, language: req.language)
        if problems.isEmpty, let call = form.newCall(councilID: try await ReferenceQueries.defaultCouncilID(on: req.database)) {
            let actor = req.auditActor
            let logger = req.logger
            do {
                let id = try await req.database.transaction { connection in
                    try await ThemeCalls.publish(call, actor: actor, on: connection, logger: logger)
                }
                return req.redirect(to: "/theme-calls/\(id.uuidString.lowercased())", redirectType: .normal)
            } catch let error as AppError where error.status == .unprocessableEntity {
                problems.add(error)
            }
        }
        return try await renderList(req, user: user, form: form, errors: problems.messages, status: .unprocessableEntity)
    }

    static func row(_ call: ThemeCallDTO, wards: [WardDTO], req: Request, era: Bool = false) -> Row {
        Row(link: "/theme-calls/\(call.id.uuidString.lowercased())", title: call.title, genre: call.genre,
            wards: wardNames(call.wardCodes, wards: wards, req: req),
            domains: call.domains.map { req.text("domain_" + $0) }.joined(separator: " / "),
            deadline: DisplayDate.dateTime(call.deadline, req.language, era: era), status: req.text("theme_status_" + call.status), statusCode: call.status,
            matchesYou: call.matchesYou ?? false, applications: call.applicationCount)
    }

    static func wardNames(_ codes: [String], wards: [WardDTO], req: Request) -> String {
        codes.compactMap { code in wards.first { $0.code == code }.map(req.wardLabel) }
            .joined(separator: req.language == .ja ? "・" : ", ")
    }

    struct DetailModel: Encodable {
        struct Need: Encodable { var link: String; var title: String; var ward: String; var domain: String }
        struct Applicant: Encodable {
            var memberId: String; var name: String; var statement: String; var status: String; var statusCode: String
            var selectable: Bool
        }
        var layout: Layout
        var csrfToken: String
        var id: String
        var call: Row
        var description: String
        var needs: [Need]
        var accepting: Bool
        var isMember: Bool
        var isStaff: Bool
        var ownApplication: Applicant?
        var applicants: [Applicant]
        var canForm: Bool
    }

    static func show(req: Request) async throws -> View {
        let user = try req.requireUser()
        let call = try await ThemeCallsAPI.show(req: req)
        let wards = try await ReferenceQueries.wards(on: req.database)
        var needs: [DetailModel.Need] = []
        for id in call.needIds {
            if let need = try await NeedQueries.find(id, on: req.database) {
                needs.append(.init(link: "/needs/\(id.uuidString.lowercased())", title: need.title,
                                   ward: NeedPages.place(need, wards, req), domain: req.text("domain_" + need.domain)))
            }
        }
        let applications = try await ThemeCallQueries.applications(
            of: call.id, memberID: user.isStaff ? nil : (user.memberID ?? UUID()), page: PageRequest(perPage: 200),
            on: req.database).items
        let applicants = applications.map { application in
            DetailModel.Applicant(memberId: application.memberId.uuidString.lowercased(), name: application.memberName,
                                  statement: application.statement,
                                  status: req.text("theme_app_status_" + application.status), statusCode: application.status,
                                  selectable: application.status != "withdrawn")
        }
        let model = DetailModel(
            layout: req.layout(title: call.title), csrfToken: req.csrfToken ?? "", id: call.id.uuidString.lowercased(),
            call: row(call, wards: wards, req: req, era: true), description: call.description, needs: needs, accepting: call.accepting,
            isMember: user.memberID != nil, isStaff: user.isStaff,
            ownApplication: user.isStaff ? nil : applicants.first, applicants: user.isStaff ? applicants : [],
            canForm: user.isStaff && !call.accepting && ["closed", "formed"].contains(call.status))
        return try await req.view.render("theme-show", model)
    }

    struct ApplyForm: Content { var statement: String }

    static func apply(req: Request) async throws -> Response {
        let user = try req.requireUser()
        guard let memberID = user.memberID else { throw ThemeCallError.membersOnly }
        guard let callID = req.parameters.get("id", as: UUID.self) else { throw ThemeCallError.notFound }
        let form = try req.content.decode(ApplyForm.self)
        let actor = req.auditActor
        let logger = req.logger
        _ = try await req.database.transaction { connection in
            try await ThemeCalls.apply(to: callID, memberID: memberID, statement: form.statement, actor: actor,
                                       on: connection, logger: logger)
        }
        return req.redirect(to: "/theme-calls/\(callID.uuidString.lowercased())", redirectType: .normal)
    }

    struct FormGroupForm: Content {
        var member_ids: [UUID]?
        var lead_member_id: UUID?
        var title: String?
    }

    /// Selecting applicants and forming their working group is one step and one transaction.
    static func formGroup(req: Request) async throws -> Response {
        try req.requireUser(.staff, .admin)
        guard let callID = req.parameters.get("id", as: UUID.self) else { throw ThemeCallError.notFound }
        let form = try req.content.decode(FormGroupForm.self)
        let title = form.title?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty
        let draft = WorkingGroupDraft(origin: .themeCall(callID, selectedMemberIDs: form.member_ids ?? []), title: title,
                                      leadMemberID: form.lead_member_id)
        let actor = req.auditActor
        let logger = req.logger
        let id = try await req.database.transaction { connection in
            try await WorkingGroups.create(draft, actor: actor, on: connection, logger: logger)
        }
        return req.redirect(to: "/working-groups/\(id.uuidString.lowercased())", redirectType: .normal)
    }
}
