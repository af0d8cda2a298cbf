import Vapor

/// `/portal/profile`: a member's users edit their own organisation's profile.
enum ProfilePages {
    struct Form: Content {
        var description: String?
        var domains: [String]?
        var wards: [String]?
        var tags: String?
        var capacity: String?
        var contactName: String?
        var contactEmail: String?
        var contactPhone: String?

        enum CodingKeys: String, CodingKey {
            case description, domains, wards, tags, capacity
            case contactName = "contact_name", contactEmail = "contact_email", contactPhone = "contact_phone"
        }
    }

    struct Model: Encodable {
        var layout: Layout
        var memberName: String
        var form: Form
        var errors: [String: String]
        var domains: [Choice]
        var wards: [Choice]
        var saved: Bool
    }

    static func edit(req: Request) async throws -> Response {
        let (memberID, _) = try ownMember(req)
        guard let member = try await MemberQueries.find(memberID, on: req.database) else { throw AppError.notFound("member") }
        let contact = try await req.database.client.query(
            "SELECT contact_name, contact_email, contact_phone FROM members WHERE id = \(memberID)").rows().first
        let form = Form(description: member.description, domains: member.domains, wards: member.wards,
                        tags: member.tags.joined(separator: ", "), capacity: String(member.capacity),
                        contactName: try contact?.get("contact_name"), contactEmail: try contact?.get("contact_email"),
                        contactPhone: try contact?.get("contact_phone"))
        let saved = (try? req.query.get(String.self, at: "saved")) == "1"
        return try await render(req, member.nameJa, form, errors: [:], saved: saved, status: .ok)
    }

    static func save(req: Request) async throws -> Response {
        let (memberID, user) = try ownMember(req)
        let form = try req.content.decode(Form.self)
        var input = MemberProfile.Input(
            description: form.description ?? "", domains: form.domains ?? [], wards: form.wards ?? [],
            tags: (form.tags ?? "").split(whereSeparator: { $0 == "," || $0 == "、" })
                .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty },
            capacity: nil, contactName: form.contactName ?? "", contactEmail: form.contactEmail ?? "",
            contactPhone: form.contactPhone ?? "")
        var errors: [String: String] = [:]
        if let raw = form.capacity, !raw.isEmpty {
            if let value = Int(raw) { input.capacity = value } else { input.capacity = -1 }
        }
        for problem in input.problems() where errors[problem.field] == nil {
            errors[problem.field] = req.language == .ja ? problem.ja : problem.en
        }
        if errors.isEmpty {
            do {
                try await MemberProfile.update(memberID, input, by: user, actor: req.auditActor, db: req.database,
                                               logger: req.logger)
                return req.redirect(to: "/portal/profile?saved=1", redirectType: .normal)
            } catch let error as AppError where error.status == .unprocessableEntity {
                errors[error.field ?? "description"] = error.message(in: req.language)
            }
        }
        let name = try await MemberQueries.find(memberID, on: req.database)?.nameJa ?? ""
        return try await render(req, name, form, errors: errors, saved: false, status: .unprocessableEntity)
    }

    private static func ownMember(_ req: Request) throws -> (UUID, SignedInUser) {
        let user = try req.requireUser(.member)
        guard let memberID = user.memberID else { throw AppError.notFound("member") }
        return (memberID, user)
    }

    private static func render(_ req: Request, _ name: String, _ form: Form, errors: [String: String], saved: Bool,
                               status: HTTPStatus) async throws -> Response {
        let wards = try await ReferenceQueries.wards(on: req.database)
        let model = Model(layout: req.layout(titleKey: "profile_title"), memberName: name, form: form, errors: errors,
                          domains: req.choices(DomainCode.codes, prefix: "domain_", field: "domains",
                                               checked: form.domains ?? []),
                          wards: req.wardChoices(wards, checked: form.wards ?? []), saved: saved)
        let response = try await req.view.render("portal-profile", model).encodeResponse(for: req)
        response.status = status
        return response
    }
}
