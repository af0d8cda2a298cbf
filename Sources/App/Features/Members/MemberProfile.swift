import Vapor
import PostgresNIO

/// Editing an organisation's profile: its own users, or staff. `PATCH /api/v1/members/{id}`
/// and the portal's profile page share this.
enum MemberProfile {
    struct Input: Content, Sendable {
        var description: String?
        var domains: [String]?
        var wards: [String]?
        var tags: [String]?
        var capacity: Int?
        var contactName: String?
        var contactEmail: String?
        var contactPhone: String?

        func problems() -> [ProposalInput.FieldError] {
            var found: [ProposalInput.FieldError] = []
            func long(_ value: String?, _ field: String, _ label: String, _ max: Int) {
                if let value, value.count > max {
                    found.append(.init(field: field, ja: "\(label)は\(max)文字以内にしてください。",
                                       en: "\(field) must be at most \(max) characters."))
                }
            }
            long(description, "description", "説明", 4000)
            long(contactName, "contact_name", "担当者名", 200)
            long(contactEmail, "contact_email", "連絡先メールアドレス", 320)
            long(contactPhone, "contact_phone", "電話番号", 40)
            if let domains, domains.contains(where: { !DomainCode.codes.contains($0) }) {
                found.append(.init(field: "domains", ja: "重点連携領域に使えない値があります。",
                                   en: "domains has an unknown code."))
            }
            if let tags, tags.count > 30 || tags.contains(where: { $0.count > 50 }) {
                found.append(.init(field: "tags", ja: "タグは30個まで、1つ50文字までです。", en: "At most 30 tags of 50 characters."))
            }
            if let capacity, !(0...100).contains(capacity) {
                found.append(.init(field: "capacity", ja: "受入余力は0から100の整数にしてください。",
                                   en: "capacity must be a whole number from 0 to 100."))
            }
            if let contactEmail, !contactEmail.isEmpty, contactEmail.wholeMatch(of: /[^@\s]+@[^@\s]+/) == nil {
                found.append(.init(field: "contact_email", ja: "メールアドレスの形式が正しくありません。",
                                   en: "contact_email is not an e-mail address."))
            }
            return found
        }
    }

    /// Staff edit any member of their council; a member's users only their own (403 otherwise:
    /// member profiles are public, so their existence is no secret).
    static func authorise(_ user: SignedInUser, memberID: UUID) throws {
        if user.isStaff || user.memberID == memberID { return }
        throw AppError(.forbidden, code: "forbidden", ja: "自分の団体のプロフィールだけを編集できます。",
                       en: "You may edit only your own organisation's profile.")
    }

    static func update(_ memberID: UUID, _ input: Input, by user: SignedInUser, actor: AuditActor, db: Database,
                       logger: Logger) async throws {
        try authorise(user, memberID: memberID)
        if let problem = input.problems().first { throw problem.error }
        guard try await MemberQueries.find(memberID, on: db) != nil else { throw AppError.notFound("member") }
        let place = try await ProposalWrites.place(ProposalInput(wards: input.wards), on: db)
        try await db.transaction { connection in
            let council = try await connection.query("""
                UPDATE members SET
                  description = coalesce(\(input.description), description), domains = coalesce(\(input.domains), domains),
                  tags = coalesce(\(input.tags), tags), capacity = coalesce(\(input.capacity.map(Int32.init)), capacity),
                  contact_name = coalesce(\(input.contactName), contact_name),
                  contact_email = coalesce(\(input.contactEmail), contact_email),
                  contact_phone = coalesce(\(input.contactPhone), contact_phone),
                  city_wide = coalesce(\(place?.cityWide), city_wide)
                WHERE id = \(memberID) RETURNING council_id
                """, logger: logger).collect().first?.decode(UUID.self)
            if let place {
                try await connection.query("DELETE FROM member_wards WHERE member_id = \(memberID)", logger: logger)
                for code in place.wardCodes {
                    try await connection.query("INSERT INTO member_wards VALUES (\(memberID), \(code))", logger: logger)
                }
            }
            try await Audit.record(on: connection, councilID: council, actor: actor, action: "member.update",
                                   entity: "member", entityID: memberID.uuidString.lowercased(), logger: logger)
        }
    }

    /// `PATCH /api/v1/members/{id}`
    static func patch(req: Request) async throws -> MemberDTO {
        let user = try req.requireUser()
        guard let id = req.parameters.get("id", as: UUID.self) else { throw AppError.notFound("member") }
        let input = try req.decodeJSONBody(Input.self)
        try await update(id, input, by: user, actor: req.auditActor, db: req.database, logger: req.logger)
        guard let member = try await MemberQueries.find(id, on: req.database) else { throw AppError.notFound("member") }
        return member
    }
}
