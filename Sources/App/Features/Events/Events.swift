import Foundation
import PostgresNIO
import Logging

/// Creating events, registering for them and recording what an exchange meeting created; audited.
enum Events {
    struct NewEvent: Sendable {
        var councilID: UUID
        var kind: EventKind
        var title: String
        var description: String
        var startsAt: Date
        var endsAt: Date?
        var place: String
        var workingGroupID: UUID?
        var capacity: Int?
    }

    static let maximumCapacity = 100_000

    static func create(_ event: NewEvent, actor: AuditActor, on connection: PostgresConnection, logger: Logger) async throws -> UUID {
        let title = event.title.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...200).contains(title.count) else { throw EventError.invalid("title", ja: "1〜200文字で入力してください。", en: "1 to 200 characters.") }
        guard event.description.count <= 4000 else { throw EventError.invalid("description", ja: "4000文字以内です。", en: "at most 4000 characters.") }
        guard event.place.count <= 200 else { throw EventError.invalid("place", ja: "200文字以内です。", en: "at most 200 characters.") }
        if let ends = event.endsAt, ends < event.startsAt {
            throw EventError.invalid("ends_at", ja: "終了は開始より後にしてください。", en: "must not be before starts_at.")
        }
        if event.kind == .wgMeeting, event.workingGroupID == nil {
            throw EventError.invalid("working_group_id", ja: "WG会議にはワーキンググループが必要です。", en: "a working-group meeting needs its group.")
        }
        // The upper bound keeps the value in the column's 32-bit integer (a bigger one crashed the server).
        if let capacity = event.capacity, !(1...maximumCapacity).contains(capacity) {
            throw EventError.invalid("capacity", ja: "1から\(maximumCapacity)までにしてください。",
                                     en: "from 1 to \(maximumCapacity).")
        }
        if let group = event.workingGroupID, try await connection.query("""
            SELECT 1 FROM working_groups WHERE id = \(group) AND council_id = \(event.councilID)
            """, logger: logger).collect().isEmpty {
            throw EventError.invalid("working_group_id", ja: "そのワーキンググループはありません。", en: "no such working group.")
        }
        let id = UUID()
        try await connection.query("""
            INSERT INTO events (id, council_id, kind, title, description, starts_at, ends_at, place, working_group_id, capacity, created_by)
            VALUES (\(id), \(event.councilID), \(event.kind.rawValue), \(title), \(event.description), \(event.startsAt),
                    \(event.endsAt), \(event.place), \(event.workingGroupID), \(event.capacity.map { Int32($0) }), \(actor.userID))
            """, logger: logger)
        try await Audit.record(on: connection, councilID: event.councilID, actor: actor, action: "event.create", entity: "event",
                               entityID: id.uuidString.lowercased(), details: ["kind": event.kind.rawValue], logger: logger)
        return id
    }

    /// One registration per member organisation; past events and full events refuse.
    static func register(event: UUID, member: UUID, actor: AuditActor, on connection: PostgresConnection, logger: Logger) async throws {
        let rows = try await connection.query("""
            SELECT council_id, capacity, starts_at < now() AS past,
                   (SELECT count(*)::int FROM event_registrations r WHERE r.event_id = e.id) AS taken
            FROM events e WHERE id = \(event) FOR UPDATE
            """, logger: logger).rows()
        guard let row = rows.first else { throw EventError.notFound }
        guard try !row.get("past", as: Bool.self) else { throw EventError.past }
        if let capacity = try row.get("capacity", as: Int32?.self), try row.get("taken", as: Int.self) >= Int(capacity) {
            throw EventError.full
        }
        let added = try await connection.query("""
            INSERT INTO event_registrations (event_id, member_id, user_id) VALUES (\(event), \(member), \(actor.userID))
            ON CONFLICT DO NOTHING RETURNING 1
            """, logger: logger).collect().count
        guard added == 1 else { throw EventError.alreadyRegistered }
        try await Audit.record(on: connection, councilID: try row.get("council_id"), actor: actor, action: "event.register",
                               entity: "event", entityID: event.uuidString.lowercased(),
                               details: ["member_id": member.uuidString.lowercased()], logger: logger)
    }

    /// Decision: only exchange meetings record new cases — that is what they are held for (domain.md).
    static func recordOutcome(event: UUID, note: String, proposalID: UUID?, workingGroupID: UUID?, actor: AuditActor,
                              on connection: PostgresConnection, logger: Logger) async throws -> UUID {
        let rows = try await connection.query("SELECT council_id, kind FROM events WHERE id = \(event) FOR UPDATE",
                                              logger: logger).rows()
        guard let row = rows.first else { throw EventError.notFound }
        guard try row.get("kind", as: String.self) == EventKind.exchangeMeeting.rawValue else { throw EventError.notExchangeMeeting }
        let text = note.trimmingCharacters(in: .whitespacesAndNewlines)
        guard text.count <= 4000, !text.isEmpty || proposalID != nil || workingGroupID != nil else {
            throw EventError.invalid("note", ja: "新しい取組の内容を4000文字以内で書いてください。", en: "describe the new case (at most 4000 characters).")
        }
        if let group = workingGroupID,
           try await connection.query("SELECT 1 FROM working_groups WHERE id = \(group)", logger: logger).collect().isEmpty {
            throw EventError.invalid("working_group_id", ja: "そのワーキンググループはありません。", en: "no such working group.")
        }
        if let proposal = proposalID,
           try await connection.query("SELECT 1 FROM proposals WHERE id = \(proposal)", logger: logger).collect().isEmpty {
            throw EventError.invalid("proposal_id", ja: "その提案はありません。", en: "no such proposal.")
        }
        let council: UUID = try row.get("council_id")
        let id = UUID()
        try await connection.query("""
            INSERT INTO event_outcomes (id, council_id, event_id, proposal_id, working_group_id, note)
            VALUES (\(id), \(council), \(event), \(proposalID), \(workingGroupID), \(text))
            """, logger: logger)
        try await Audit.record(on: connection, councilID: council, actor: actor, action: "event.outcome", entity: "event",
                               entityID: event.uuidString.lowercased(), details: ["outcome_id": id.uuidString.lowercased()],
                               logger: logger)
        return id
    }
}

enum EventError {
    static let notFound = AppError.notFound("event")
    static let past = AppError(.conflict, code: "event_past", ja: "終了したイベントには登録できません。",
                               en: "The event has already taken place.")
    static let full = AppError(.conflict, code: "event_full", ja: "定員に達しています。", en: "The event is full.")
    static let alreadyRegistered = AppError(.conflict, code: "already_registered", ja: "既に参加登録しています。",
                                            en: "Your organisation is already registered.")
    static let notExchangeMeeting = AppError(.conflict, code: "not_exchange_meeting",
                                             ja: "新しい取組を記録できるのは交流会だけです。",
                                             en: "Only exchange meetings record the new cases they created.")
    static let membersOnly = AppError(.forbidden, code: "members_only", ja: "参加登録は参画企業・団体のユーザーが行えます。",
                                      en: "Member organisations' users register for events.")

    static func invalid(_ field: String, ja: String, en: String) -> AppError {
        AppError(.unprocessableEntity, code: "invalid_field", field: field, ja: "「\(field)」: \(ja)", en: "\(field): \(en)")
    }
}
