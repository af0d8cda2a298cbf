import Vapor

/// The fields a member writes, from JSON or the form. Every field is optional so the same
/// shape serves create (title required) and PATCH (only what is given changes).
struct ProposalInput: Content, Sendable {
    var title: String?
    var summary: String?
    var body: String?
    var domains: [String]?
    var wards: [String]?
    var districtIds: [UUID]?
    var tags: [String]?
    var supportMenu: [String]?
    var resourcesOffered: [String]?
    var track: String?

    /// One problem with one field, in both languages.
    struct FieldError: Sendable, Encodable {
        var field: String
        var ja: String
        var en: String
        var error: AppError {
            AppError(.unprocessableEntity, code: "invalid_field", field: field, ja: ja, en: en)
        }
    }

    /// Every problem, so a form can show them all at once; nothing is written unless empty.
    func problems(creating: Bool) -> [FieldError] {
        var found: [FieldError] = []
        func text(_ value: String?, _ field: String, _ label: String, max: Int, required: Bool = false) {
            let trimmed = value?.trimmingCharacters(in: .whitespacesAndNewlines)
            if required && (trimmed ?? "").isEmpty && (creating || value != nil) {
                found.append(.init(field: field, ja: "\(label)を入力してください。", en: "\(field) is required."))
            } else if let value, value.count > max {
                found.append(.init(field: field, ja: "\(label)は\(max)文字以内にしてください（現在\(value.count)文字）。",
                                   en: "\(field) must be at most \(max) characters (it has \(value.count))."))
            }
        }
        func codes(_ values: [String]?, _ field: String, _ label: String, allowed: [String]) {
            guard let values else { return }
            if let bad = values.first(where: { !allowed.contains($0) }) {
                found.append(.init(field: field, ja: "\(label)に使えない値「\(bad)」があります。",
                                   en: "\(field) has an unknown code '\(bad)' (allowed: \(allowed.joined(separator: ", ")))."))
            }
        }
        text(title, "title", "件名", max: 200, required: true)
        text(summary, "summary", "概要", max: 1000)
        text(body, "body", "本文", max: 20000)
        codes(domains, "domains", "重点連携領域", allowed: DomainCode.codes)
        if creating || domains != nil, (domains ?? []).isEmpty {
            found.append(.init(field: "domains", ja: "重点連携領域を1つ以上選んでください。",
                               en: "Choose at least one domain."))
        }
        codes(supportMenu, "support_menu", "希望する支援メニュー", allowed: SupportMenuCode.codes)
        codes(resourcesOffered, "resources_offered", "提供できる資源", allowed: ResourceCode.codes)
        if let track, !ProposalTrack.codes.contains(track) {
            found.append(.init(field: "track", ja: "区分は regional か service_creation を選んでください。",
                               en: "track must be regional or service_creation."))
        }
        if let tags {
            if tags.count > 30 {
                found.append(.init(field: "tags", ja: "タグは30個までです。", en: "At most 30 tags."))
            } else if tags.contains(where: { $0.count > 50 || $0.trimmingCharacters(in: .whitespaces).isEmpty }) {
                found.append(.init(field: "tags", ja: "タグは1〜50文字にしてください。", en: "Each tag must be 1–50 characters."))
            }
        }
        if let wards, wards.count > 7 {
            found.append(.init(field: "wards", ja: "対象区が多すぎます。", en: "Too many wards."))
        }
        if let districtIds, districtIds.count > 50 {
            found.append(.init(field: "district_ids", ja: "対象地区が多すぎます。", en: "Too many districts."))
        }
        return found
    }
}
