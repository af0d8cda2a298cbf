import Foundation
import PostgresNIO
import Logging

/// Changes to a group other than its stage: its facts (PATCH), activities, support, participants.
/// Each writes its audit record on the same connection.
enum WorkingGroupEdits {
    struct Patch: Sendable {
        var title: String?
        var summary: String?
        var domains: [String]?
        var wardCodes: [String]?
        var cityWide: Bool?
        var outcomeNotes: String?
        var startedOn: String?
    }

    static func update(_ id: UUID, _ patch: Patch, actor: AuditActor, on connection: PostgresConnection,
                       logger: Logger) async throws {
        let council = try await lockedCouncil(of: id, on: connection, logger: logger)
        var changed: [String] = []
        if let title = patch.title?.trimmingCharacters(in: .whitespacesAndNewlines) {
            try WorkingGroupValidation.title(title)
            try await connection.query("UPDATE working_groups SET title = \(title) WHERE id = \(id)", logger: logger)
            changed.append("title")
        }
        if let summary = patch.summary {
            try WorkingGroupValidation.summary(summary)
            try await connection.query("UPDATE working_groups SET summary = \(summary) WHERE id = \(id)", logger: logger)
            changed.append("summary")
        }
        if let domains = patch.domains {
            try WorkingGroupValidation.domains(domains)
            try await connection.query("UPDATE working_groups SET domains = \(domains) WHERE id = \(id)", logger: logger)
            changed.append("domains")
        }
        if let notes = patch.outcomeNotes {
            guard notes.count <= 8000 else {
                throw WorkingGroupError.invalid("outcome_notes", ja: "8000文字以内にしてください。", en: "at most 8000 characters.")
            }
            try await connection.query("UPDATE working_groups SET outcome_notes = \(notes) WHERE id = \(id)", logger: logger)
            changed.append("outcome_notes")
        }
        if let day = patch.startedOn {
            try WorkingGroupValidation.day(day, field: "started_on")
            try await connection.query("UPDATE working_groups SET started_on = \(day)::date WHERE id = \(id)", logger: logger)
            changed.append("started_on")
        }
        if let wards = patch.wardCodes {
            try await connection.query("DELETE FROM working_group_wards WHERE working_group_id = \(id)", logger: logger)
            for ward in Set(wards).sorted() {
                try await connection.query("INSERT INTO working_group_wards VALUES (\(id), \(ward))", logger: logger)
            }
            try await connection.query("UPDATE working_groups SET city_wide = \(patch.cityWide ?? false) WHERE id = \(id)",
                                       logger: logger)
            changed.append("wards")
        }
        try await Audit.record(on: connection, councilID: council, actor: actor, action: "working_group.update",
                               entity: "working_group", entityID: id.uuidString.lowercased(),
                               details: ["fields": changed.joined(separator: ",")], logger: logger)
    }

    struct NewActivity: Sendable {
        var kind: ActivityKind
        var occurredOn: String
        var title: String
        var body: String
        /// Attachments are links (to minutes, photos, reports) rather than uploaded files.
        var links: [String]
    }

    static func addActivity(to group: UUID, _ activity: NewActivity, actor: AuditActor,
                            on connection: PostgresConnection, logger: Logger) async throws -> UUID {
        let council = try await lockedCouncil(of: group, on: connection, logger: logger)
        try WorkingGroupValidation.day(activity.occurredOn, field: "occurred_on")
        let title = activity.title.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...200).contains(title.count) else {
            throw WorkingGroupError.invalid("title", ja: "1〜200文字で入力してください。", en: "1 to 200 characters.")
        }
        guard activity.body.count <= 8000 else {
            throw WorkingGroupError.invalid("body", ja: "8000文字以内にしてください。", en: "at most 8000 characters.")
        }
        let links = activity.links.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard links.count <= 20, links.allSatisfy(isWebLink) else {
            throw WorkingGroupError.invalid("links", ja: "http(s):// で始まるリンクを20件まで指定してください。",
                                            en: "up to 20 links starting with http:// or https://.")
        }
        let id = UUID()
        try await connection.query("""
            INSERT INTO working_group_activities (id, council_id, working_group_id, kind, occurred_on, title, body, links, created_by)
            VALUES (\(id), \(council), \(group), \(activity.kind.rawValue), \(activity.occurredOn)::date, \(title),
                    \(activity.body), \(links), \(actor.userID))
            """, logger: logger)
        try await Audit.record(on: connection, councilID: council, actor: actor, action: "working_group.activity",
                               entity: "working_group", entityID: group.uuidString.lowercased(),
                               details: ["activity_id": id.uuidString.lowercased(), "kind": activity.kind.rawValue],
                               logger: logger)
        return id
    }

    /// Only http(s) links: a `javascript:` link in an activity would run in every reader's browser.
    static func isWebLink(_ text: String) -> Bool {
        guard text.count <= 2000, let url = URL(string: text), let scheme = url.scheme?.lowercased() else { return false }
        return (scheme == "https" || scheme == "http") && url.host != nil
    }

    static func addSupport(to group: UUID, item: SupportMenuCode, department: String, note: String, actor: AuditActor,
                           on connection: PostgresConnection, logger: Logger) async throws -> UUID {
        let council = try await lockedCouncil(of: group, on: connection, logger: logger)
        let department = department.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...200).contains(department.count) else {
            throw WorkingGroupError.invalid("owner_department", ja: "担当部署を1〜200文字で入力してください。",
                                            en: "the owner department, 1 to 200 characters.")
        }
        guard note.count <= 4000 else {
            throw WorkingGroupError.invalid("note", ja: "4000文字以内にしてください。", en: "at most 4000 characters.")
        }
        let id = UUID()
        try await connection.query("""
            INSERT INTO support_provided (id, council_id, working_group_id, item, owner_department, status, note)
            VALUES (\(id), \(council), \(group), \(item.rawValue), \(department), 'requested', \(note))
            """, logger: logger)
        try await Audit.record(on: connection, councilID: council, actor: actor, action: "support.create",
                               entity: "support_provided", entityID: id.uuidString.lowercased(),
                               details: ["working_group_id": group.uuidString.lowercased(), "item": item.rawValue],
                               logger: logger)
        return id
    }

    static func advanceSupport(_ id: UUID, of group: UUID, to next: SupportStatus, actor: AuditActor,
                               on connection: PostgresConnection, logger: Logger) async throws {
        let rows = try await connection.query("""
            SELECT council_id, status FROM support_provided WHERE id = \(id) AND working_group_id = \(group) FOR UPDATE
            """, logger: logger).rows()
        guard let row = rows.first else { throw AppError.notFound("support item") }
        guard let current = SupportStatus(rawValue: try row.get("status")) else { throw AppError.internalError }
        guard current.allowedNext.contains(next) else { throw WorkingGroupError.illegalSupportChange(from: current, to: next) }
        try await connection.query("UPDATE support_provided SET status = \(next.rawValue) WHERE id = \(id)", logger: logger)
        try await Audit.record(on: connection, councilID: try row.get("council_id"), actor: actor, action: "support.status",
                               entity: "support_provided", entityID: id.uuidString.lowercased(),
                               details: ["from": current.rawValue, "to": next.rawValue], logger: logger)
    }

    static func addParticipant(to group: UUID, role: ParticipantRole, memberID: UUID?, userID: UUID?, name: String?,
                               actor: AuditActor, on connection: PostgresConnection, logger: Logger) async throws -> UUID {
        let council = try await lockedCouncil(of: group, on: connection, logger: logger)
        let name = name?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty
        guard memberID != nil || userID != nil || name != nil else {
            throw WorkingGroupError.invalid("member_id", ja: "参画企業・団体、ユーザー、または名前を指定してください。",
                                            en: "give a member_id, a user_id or a display_name.")
        }
        if role == .lead {
            throw WorkingGroupError.conflict("lead_exists", field: "role", ja: "主担当は組成時に決まり、1グループに1者です。",
                                             en: "A group has exactly one lead, set when it is formed.")
        }
        if let memberID {
            let taken = try await !connection.query("""
                SELECT 1 FROM working_group_participants WHERE working_group_id = \(group) AND member_id = \(memberID)
                """, logger: logger).collect().isEmpty
            if taken {
                throw WorkingGroupError.conflict("already_participant", field: "member_id",
                                                 ja: "この参画企業・団体は既に参加しています。", en: "That member already takes part.")
            }
            let known = try await !connection.query("SELECT 1 FROM members WHERE id = \(memberID)", logger: logger)
                .collect().isEmpty
            guard known else { throw WorkingGroupError.invalid("member_id", ja: "その参画企業・団体はありません。", en: "no such member.") }
        }
        if let userID {
            let known = try await !connection.query("SELECT 1 FROM users WHERE id = \(userID)", logger: logger)
                .collect().isEmpty
            guard known else { throw WorkingGroupError.invalid("user_id", ja: "そのユーザーはいません。", en: "no such user.") }
        }
        if let name, name.count > 200 {
            throw WorkingGroupError.invalid("display_name", ja: "200文字以内にしてください。", en: "at most 200 characters.")
        }
        let id = UUID()
        try await connection.query("""
            INSERT INTO working_group_participants (id, council_id, working_group_id, role, member_id, user_id, display_name, joined_on)
            VALUES (\(id), \(council), \(group), \(role.rawValue), \(memberID), \(userID), \(name),
                    (now() AT TIME ZONE 'Asia/Tokyo')::date)
            """, logger: logger)
        try await Audit.record(on: connection, councilID: council, actor: actor, action: "working_group.participant",
                               entity: "working_group", entityID: group.uuidString.lowercased(),
                               details: ["participant_id": id.uuidString.lowercased(), "role": role.rawValue], logger: logger)
        return id
    }

    /// The group's council, locking its row so edits to one group are serialised; 404 when unknown.
    static func lockedCouncil(of id: UUID, on connection: PostgresConnection, logger: Logger) async throws -> UUID {
        let rows = try await connection.query("SELECT council_id FROM working_groups WHERE id = \(id) FOR UPDATE",
                                              logger: logger).rows()
        guard let row = rows.first else { throw WorkingGroupError.notFound }
        return try row.get("council_id")
    }
}

extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
