import Vapor

/// The errors of working groups, each with a stable code and its real status.
enum WorkingGroupError {
    static let notFound = AppError.notFound("working group")

    /// 409 naming the stage the group is in, so the client knows why and what is possible.
    static func illegalStageChange(from current: WorkingGroupStage, to next: WorkingGroupStage) -> AppError {
        let allowedJa = current.allowedNext.map { "「\($0.labelJa)」" }.joined(separator: "、")
        let allowedEn = current.allowedNext.map(\.labelEn).joined(separator: ", ")
        return AppError(
            .conflict, code: "illegal_stage_transition", field: "to",
            ja: "このワーキンググループは現在「\(current.labelJa)」です。「\(next.labelJa)」には変更できません"
                + (current.isFinal ? "（この段階は最終です）。" : "（変更できる段階: \(allowedJa)）。"),
            en: "The working group is in stage '\(current.labelEn)'; it cannot move to '\(next.labelEn)'"
                + (current.isFinal ? " (that stage is final)." : " (possible: \(allowedEn))."))
    }

    static func illegalSupportChange(from current: SupportStatus, to next: SupportStatus) -> AppError {
        AppError(.conflict, code: "illegal_support_transition", field: "to",
                 ja: "この支援は現在「\(current.rawValue)」のため「\(next.rawValue)」にはできません（requested → in_progress → done の順です）。",
                 en: "This support item is '\(current.rawValue)'; it cannot become '\(next.rawValue)' (requested → in_progress → done).")
    }

    static func invalid(_ field: String, ja: String, en: String) -> AppError {
        AppError(.unprocessableEntity, code: "invalid_field", field: field, ja: "「\(field)」: \(ja)", en: "\(field): \(en)")
    }

    static func conflict(_ code: String, field: String? = nil, ja: String, en: String) -> AppError {
        AppError(.conflict, code: code, field: field, ja: ja, en: en)
    }

    static let notAllowed = AppError(.forbidden, code: "forbidden", ja: "この操作を行う権限がありません。",
                                     en: "You are not allowed to do this.")
}
