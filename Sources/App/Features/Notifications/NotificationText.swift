import Foundation

/// Renders a notification in one language. Texts are localisation keys with `{name}` slots,
/// filled from the stored parameters; codes (statuses, stages) are themselves localised.
enum NotificationText {
    static func text(_ item: NotificationItem, in language: UILanguage, localizer: Localizer) -> String {
        var values = item.params
        switch item.kind {
        case .proposalStatus:
            for slot in ["from", "to"] {
                if let code = values[slot] { values[slot] = localizer.text("proposal_status_" + code, language) }
            }
        case .workingGroupStage:
            for slot in ["from", "to"] {
                if let code = values[slot] { values[slot] = localizer.text("stage_" + code, language) }
            }
        case .themeCallSelected, .themeCallPublished:
            break
        }
        return fill(localizer.text("notify_text_" + item.kind.rawValue, language), values)
    }

    /// The short line used as an e-mail subject.
    static func subject(_ item: NotificationItem, in language: UILanguage, localizer: Localizer) -> String {
        fill(localizer.text("notify_subject_" + item.kind.rawValue, language), item.params)
    }

    /// Where the notification leads, as a path of this site.
    static func link(_ item: NotificationItem) -> String {
        switch item.kind {
        case .proposalStatus: "/portal/proposals/" + (item.params["proposal_id"] ?? "")
        case .themeCallSelected: "/working-groups/" + (item.params["working_group_id"] ?? "")
        case .workingGroupStage: "/working-groups/" + (item.params["working_group_id"] ?? "")
        case .themeCallPublished: "/theme-calls/" + (item.params["theme_call_id"] ?? "")
        }
    }

    /// One pass over the template, so a value that itself contains `{to}` is never filled again.
    static func fill(_ template: String, _ values: [String: String]) -> String {
        var result = ""
        var rest = template[...]
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            result += rest[..<open]
            let name = String(rest[rest.index(after: open)..<close])
            result += values[name] ?? String(rest[open...close])
            rest = rest[rest.index(after: close)...]
        }
        return result + rest
    }
}
