import Vapor
import PostgresNIO

/// Creating, editing and moving proposals. Each write is one transaction holding the row,
/// its wards and districts, the status history and the audit record.
enum ProposalWrites {
    /// Where a proposal is aimed, resolved against the reference tables.
    struct Place: Sendable {
        var cityWide: Bool
        var wardCodes: [String]
        var districtIDs: [UUID]
    }

    /// Checks `input` completely; throws the first problem as a 422 naming its field.
    static func checked(_ input: ProposalInput, creating: Bool, on db: Database) async throws -> Place? {
        if let problem = input.problems(creating: creating).first { throw problem.error }
        return try await place(input, on: db)
    }

    static func place(_ input: ProposalInput, on db: Database) async throws -> Place? {
        guard input.wards != nil || input.districtIds != nil else { return nil }
        let wards = input.wards ?? []
        var codes: [String] = []
        if wards != ["*"] {
            for ward in wards {
                // Only "no such ward" is the client's mistake; a database failure stays a 503.
                let code: String?
                do { code = try await ReferenceQueries.wardCode(ward, parameter: "wards", on: db) } catch is AppError { code = nil }
                guard let code else {
                    throw AppError(.unprocessableEntity, code: "invalid_field", field: "wards",
                                   ja: "対象区「\(ward)」はありません。", en: "No ward '\(ward)'.")
                }
                if !codes.contains(code) { codes.append(code) }
            }
        }
        let districts = Array(Set(input.districtIds ?? []))
        if !districts.isEmpty {
            let known = try await db.client.query(
                "SELECT count(*)::int FROM districts WHERE id = ANY (\(districts))").collect().first?.decode(Int.self) ?? 0
            guard known == districts.count else {
                throw AppError(.unprocessableEntity, code: "invalid_field", field: "district_ids",
                               ja: "存在しない地区が指定されています。", en: "district_ids names an unknown district.")
            }
        }
        return Place(cityWide: wards == ["*"], wardCodes: codes, districtIDs: districts)
    }

    static func create(_ input: ProposalInput, by user: SignedInUser, actor: AuditActor, db: Database,
                       logger: Logger) async throws -> UUID {
        guard user.role == .member, let memberID = user.memberID else {
            throw AppError(.forbidden, code: "forbidden", ja: "提案を作成できるのは参画企業・団体のユーザーです。",
                           en: "Only users of a member organisation create proposals.")
        }
        let place = try await checked(input, creating: true, on: db) ?? Place(cityWide: false, wardCodes: [], districtIDs: [])
        let id = UUID()
        try await db.transaction { connection in
            let council = try await connection.query("SELECT council_id FROM members WHERE id = \(memberID)", logger: logger)
                .collect().first?.decode(UUID.self) ?? user.councilID
            try await connection.query("""
                INSERT INTO proposals (id, council_id, member_id, title, summary, body, domains, city_wide, tags,
                                       support_menu, resources_offered, track, created_by)
                VALUES (\(id), \(council), \(memberID), \(input.title ?? ""), \(input.summary ?? ""), \(input.body ?? ""),
                        \(input.domains ?? []), \(place.cityWide), \(input.tags ?? []), \(input.supportMenu ?? []),
                        \(input.resourcesOffered ?? []), \(input.track ?? ProposalTrack.regional.rawValue), \(user.id))
                """, logger: logger)
            try await replacePlace(id, place, on: connection, logger: logger)
            try await connection.query("""
                INSERT INTO proposal_status_history (id, council_id, proposal_id, from_status, to_status, actor_user_id)
                VALUES (\(UUID()), \(council), \(id), NULL, 'draft', \(user.id))
                """, logger: logger)
            try await Audit.record(on: connection, councilID: council, actor: actor, action: "proposal.create",
                                   entity: "proposal", entityID: id.uuidString.lowercased(), logger: logger)
        }
        return id
    }

    /// Changes the given fields; only the owner, only while draft or returned.
    static func update(_ id: UUID, _ input: ProposalInput, by user: SignedInUser, actor: AuditActor, db: Database,
                       logger: Logger) async throws {
        let place = try await checked(input, creating: false, on: db)
        try await db.transaction { connection in
            let (status, council) = try await lockOwned(id, by: user, on: connection, logger: logger)
            guard ProposalWorkflow.isEditable(status) else {
                throw AppError(.conflict, code: "not_editable", field: "status",
                               ja: "現在の状況（\(status.rawValue)）では編集できません。下書きか差戻しのときだけ編集できます。",
                               en: "The proposal is \(status.rawValue): it can be edited only while draft or returned.")
            }
            try await connection.query("""
                UPDATE proposals SET
                  title = coalesce(\(input.title), title), summary = coalesce(\(input.summary), summary),
                  body = coalesce(\(input.body), body), domains = coalesce(\(input.domains), domains),
                  tags = coalesce(\(input.tags), tags), support_menu = coalesce(\(input.supportMenu), support_menu),
                  resources_offered = coalesce(\(input.resourcesOffered), resources_offered),
                  track = coalesce(\(input.track), track),
                  city_wide = coalesce(\(place?.cityWide), city_wide)
                WHERE id = \(id)
                """, logger: logger)
            if let place { try await replacePlace(id, place, on: connection, logger: logger) }
            try await Audit.record(on: connection, councilID: council, actor: actor, action: "proposal.update",
                                   entity: "proposal", entityID: id.uuidString.lowercased(), logger: logger)
        }
    }

    /// Moves a proposal along the workflow: 404 when the user may not see it, 403 when the
    /// move is not theirs to make, 409 (naming the current status) when it is not a legal move.
    static func transition(_ id: UUID, to target: ProposalStatus, comment: String, by user: SignedInUser,
                           actor: AuditActor, db: Database, logger: Logger) async throws -> ProposalStatus {
        guard comment.count <= 4000 else {
            throw AppError(.unprocessableEntity, code: "too_long", field: "comment",
                           ja: "コメントは4000文字以内にしてください。", en: "comment must be at most 4000 characters.")
        }
        if target == .returned, comment.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw AppError(.unprocessableEntity, code: "missing_field", field: "comment",
                           ja: "差戻しの理由をコメントに書いてください。", en: "A return needs a comment saying why.")
        }
        return try await db.transaction { connection in
            let rows = try await connection.query("""
                SELECT status, member_id, council_id, submitted_at, title FROM proposals WHERE id = \(id) FOR UPDATE
                """, logger: logger).collect().map { $0.makeRandomAccess() }
            guard let row = rows.first, let status = ProposalStatus(rawValue: try row.get("status")) else {
                throw AppError.notFound("proposal")
            }
            let memberID: UUID = try row.get("member_id")
            let council: UUID = try row.get("council_id")
            let submittedAt: Date? = try row.get("submitted_at")
            let isOwner = user.role == .member && user.memberID == memberID
            let staffSees = user.isStaff && submittedAt != nil && council == user.councilID
            guard isOwner || staffSees else { throw AppError.notFound("proposal") }
            switch ProposalWorkflow.actor(for: target) {
            case .owner where isOwner, .staff where user.isStaff: break
            default:
                throw AppError(.forbidden, code: "forbidden", field: "to",
                               ja: "この状況への変更（\(target.rawValue)）を行う権限がありません。",
                               en: "You may not move a proposal to \(target.rawValue).")
            }
            guard ProposalWorkflow.isAllowed(from: status, to: target) else {
                throw AppError(.conflict, code: "illegal_transition", field: "to",
                               ja: "現在の状況は「\(status.rawValue)」のため、「\(target.rawValue)」にはできません。",
                               en: "The proposal is \(status.rawValue); it cannot move to \(target.rawValue).")
            }
            let decided = target == .accepted || target == .declined
            try await connection.query("""
                UPDATE proposals SET status = \(target.rawValue),
                  submitted_at = CASE WHEN \(target == .submitted) THEN now() ELSE submitted_at END,
                  decided_at = CASE WHEN \(decided) THEN now() ELSE decided_at END
                WHERE id = \(id)
                """, logger: logger)
            try await connection.query("""
                INSERT INTO proposal_status_history (id, council_id, proposal_id, from_status, to_status, comment, actor_user_id)
                VALUES (\(UUID()), \(council), \(id), \(status.rawValue), \(target.rawValue), \(comment), \(user.id))
                """, logger: logger)
            try await Audit.record(on: connection, councilID: council, actor: actor, action: "proposal.transition",
                                   entity: "proposal", entityID: id.uuidString.lowercased(),
                                   details: ["from": status.rawValue, "to": target.rawValue], logger: logger)
            try await Notify.proposalStatusChanged(proposal: id, member: memberID, council: council, title: try row.get("title"),
                                                   from: status, to: target, actor: actor, on: connection, logger: logger)
            return target
        }
    }

    /// Locks a proposal of the user's own organisation; another's is "not found".
    private static func lockOwned(_ id: UUID, by user: SignedInUser, on connection: PostgresConnection,
                                  logger: Logger) async throws -> (ProposalStatus, UUID) {
        let rows = try await connection.query(
            "SELECT status, member_id, council_id FROM proposals WHERE id = \(id) FOR UPDATE", logger: logger
        ).collect().map { $0.makeRandomAccess() }
        guard let row = rows.first, user.role == .member, try row.get("member_id", as: UUID.self) == user.memberID,
              let status = ProposalStatus(rawValue: try row.get("status")) else {
            throw AppError.notFound("proposal")
        }
        return (status, try row.get("council_id"))
    }

    private static func replacePlace(_ id: UUID, _ place: Place, on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query("DELETE FROM proposal_wards WHERE proposal_id = \(id)", logger: logger)
        try await connection.query("DELETE FROM proposal_districts WHERE proposal_id = \(id)", logger: logger)
        for code in place.wardCodes {
            try await connection.query("INSERT INTO proposal_wards VALUES (\(id), \(code))", logger: logger)
        }
        for district in place.districtIDs {
            try await connection.query("INSERT INTO proposal_districts VALUES (\(id), \(district))", logger: logger)
        }
    }
}
