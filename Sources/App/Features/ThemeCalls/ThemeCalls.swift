import Foundation
import PostgresNIO
import Logging

/// Publishing a theme call and applying to one; each audited on the same connection.
enum ThemeCalls {
    struct NewCall: Sendable {
        var councilID: UUID
        var title: String
        var genre: String
        var description: String
        var needIDs: [UUID]
        /// nil: the wards of the needs.
        var wardCodes: [String]?
        /// nil: the domains of the needs.
        var domains: [String]?
        var deadline: Date
    }

    static func publish(_ call: NewCall, actor: AuditActor, on connection: PostgresConnection, logger: Logger) async throws -> UUID {
        let title = call.title.trimmingCharacters(in: .whitespacesAndNewlines)
        let genre = call.genre.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...200).contains(title.count) else { throw ThemeCallError.invalid("title", ja: "1〜200文字で入力してください。", en: "1 to 200 characters.") }
        guard (1...200).contains(genre.count) else { throw ThemeCallError.invalid("genre", ja: "1〜200文字で入力してください。", en: "1 to 200 characters.") }
        guard call.description.count <= 4000 else {
            throw ThemeCallError.invalid("description", ja: "4000文字以内にしてください。", en: "at most 4000 characters.")
        }
        let needIDs = Array(Set(call.needIDs)).sorted { $0.uuidString < $1.uuidString }
        guard !needIDs.isEmpty, needIDs.count <= 50 else {
            throw ThemeCallError.invalid("need_ids", ja: "地域ニーズを1〜50件指定してください。", en: "1 to 50 needs.")
        }
        let needs = try await connection.query("""
            SELECT id, ward_code, domain, status FROM needs WHERE id = ANY(\(needIDs)) AND council_id = \(call.councilID) FOR UPDATE
            """, logger: logger).rows()
        guard needs.count == needIDs.count else {
            throw ThemeCallError.invalid("need_ids", ja: "この協議会にない地域ニーズが含まれています。", en: "a need is unknown in this council.")
        }
        let statuses = try needs.map { try $0.get("status", as: String.self) }
        if statuses.contains(where: { ["met", "closed"].contains($0) }) {
            throw ThemeCallError.invalid("need_ids", ja: "充足・終了したニーズでは募集できません。", en: "a need is already met or closed.")
        }
        let wards = try call.wardCodes ?? Array(Set(needs.compactMap { try $0.get("ward_code", as: String?.self) })).sorted()
        let domains = try call.domains ?? Array(Set(needs.map { try $0.get("domain", as: String.self) })).sorted()
        guard domains.allSatisfy(DomainCode.codes.contains) else {
            throw ThemeCallError.invalid("domains", ja: "重点連携領域のコードで指定してください。", en: "domain codes only.")
        }
        let future = try await connection.query("SELECT \(call.deadline) > now()", logger: logger).collect().first?.decode(Bool.self) ?? false
        guard future else {
            throw ThemeCallError.invalid("deadline", ja: "締切は未来の日時にしてください。", en: "the deadline must be in the future.")
        }
        let id = UUID()
        try await connection.query("""
            INSERT INTO theme_calls (id, council_id, title, genre, description, domains, deadline, status, created_by)
            VALUES (\(id), \(call.councilID), \(title), \(genre), \(call.description), \(domains), \(call.deadline), 'open', \(actor.userID))
            """, logger: logger)
        for need in needIDs {
            try await connection.query("INSERT INTO theme_call_needs VALUES (\(id), \(need))", logger: logger)
        }
        for ward in wards {
            try await connection.query("INSERT INTO theme_call_wards VALUES (\(id), \(ward))", logger: logger)
        }
        // A need with a published call is being matched (マッチング中).
        try await connection.query("UPDATE needs SET status = 'matching' WHERE id = ANY(\(needIDs)) AND status = 'open'",
                                   logger: logger)
        try await Audit.record(on: connection, councilID: call.councilID, actor: actor, action: "theme_call.publish",
                               entity: "theme_call", entityID: id.uuidString.lowercased(),
                               details: ["needs": String(needIDs.count)], logger: logger)
        try await Notify.themeCallPublished(call: id, title: title, genre: genre, domains: domains, deadline: call.deadline,
                                            council: call.councilID, actor: actor, on: connection, logger: logger)
        return id
    }

    /// The deadline is checked against the database clock inside the transaction, with the call row
    /// locked, so an application cannot slip in while staff are closing the call.
    static func apply(to callID: UUID, memberID: UUID, statement: String, actor: AuditActor,
                      on connection: PostgresConnection, logger: Logger) async throws -> UUID {
        let rows = try await connection.query("""
            SELECT council_id, status, deadline, deadline > now() AS before_deadline,
                   to_char(deadline AT TIME ZONE 'Asia/Tokyo', 'YYYY-MM-DD HH24:MI') AS deadline_jst
            FROM theme_calls WHERE id = \(callID) FOR UPDATE
            """, logger: logger).rows()
        guard let row = rows.first else { throw ThemeCallError.notFound }
        let deadline: String = try row.get("deadline_jst")
        guard try row.get("status", as: String.self) == "open" else { throw ThemeCallError.notOpen }
        guard try row.get("before_deadline", as: Bool.self) else { throw ThemeCallError.deadlinePassed(deadlineJST: deadline) }
        let text = statement.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...4000).contains(text.count) else {
            throw ThemeCallError.invalid("statement", ja: "応募の内容を1〜4000文字で書いてください。", en: "1 to 4000 characters.")
        }
        let exists = try await !connection.query("""
            SELECT 1 FROM theme_call_applications WHERE theme_call_id = \(callID) AND member_id = \(memberID)
            """, logger: logger).collect().isEmpty
        if exists { throw ThemeCallError.alreadyApplied }
        let council: UUID = try row.get("council_id")
        let id = UUID()
        try await connection.query("""
            INSERT INTO theme_call_applications (id, council_id, theme_call_id, member_id, statement, created_by)
            VALUES (\(id), \(council), \(callID), \(memberID), \(text), \(actor.userID))
            """, logger: logger)
        try await Audit.record(on: connection, councilID: council, actor: actor, action: "theme_call.apply",
                               entity: "theme_call_application", entityID: id.uuidString.lowercased(),
                               details: ["theme_call_id": callID.uuidString.lowercased()], logger: logger)
        return id
    }
}

enum ThemeCallError {
    static let notFound = AppError.notFound("theme call")

    static let notOpen = AppError(.conflict, code: "theme_call_not_open",
                                  ja: "この募集は受け付けていません。", en: "This theme call is not accepting applications.")

    static func deadlinePassed(deadlineJST: String) -> AppError {
        AppError(.conflict, code: "deadline_passed",
                 ja: "応募の締切（\(deadlineJST)）を過ぎたため、応募できません。",
                 en: "The deadline (\(deadlineJST) JST) has passed; applications are closed.")
    }

    static let alreadyApplied = AppError(.conflict, code: "already_applied",
                                         ja: "この募集には既に応募しています。", en: "Your organisation has already applied to this call.")

    static let membersOnly = AppError(.forbidden, code: "members_only",
                                      ja: "応募できるのは参画企業・団体のユーザーです。", en: "Only member organisations apply to theme calls.")

    static func invalid(_ field: String, ja: String, en: String) -> AppError {
        AppError(.unprocessableEntity, code: "invalid_field", field: field, ja: "「\(field)」: \(ja)", en: "\(field): \(en)")
    }
}
