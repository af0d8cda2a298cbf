import Vapor

/// The proposal form as the browser posts it and as the page shows it again: what was typed
/// stays, and each field carries its own message.
struct ProposalForm: Content {
    var title: String?
    var summary: String?
    var body: String?
    var domains: [String]?
    var wards: [String]?
    var tags: String?
    var supportMenu: [String]?
    var resourcesOffered: [String]?
    var track: String?

    enum CodingKeys: String, CodingKey {
        case title, summary, body, domains, wards, tags, track
        case supportMenu = "support_menu", resourcesOffered = "resources_offered"
    }

    /// Tags are typed as one line, separated by commas (、 or ,).
    var input: ProposalInput {
        ProposalInput(title: title ?? "", summary: summary ?? "", body: body ?? "", domains: domains ?? [],
                      wards: wards ?? [], districtIds: [],
                      tags: (tags ?? "").split(whereSeparator: { $0 == "," || $0 == "、" })
                        .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty },
                      supportMenu: supportMenu ?? [], resourcesOffered: resourcesOffered ?? [],
                      track: track ?? ProposalTrack.regional.rawValue)
    }

    init(_ p: ProposalDTO) {
        title = p.title; summary = p.summary; body = p.body; domains = p.domains; wards = p.wards
        tags = p.tags.joined(separator: ", "); supportMenu = p.supportMenu; resourcesOffered = p.resourcesOffered
        track = p.track
    }

    init() { track = ProposalTrack.regional.rawValue }
}

/// One checkbox or radio choice.
struct Choice: Encodable, Sendable {
    var value: String
    var label: String
    var checked: Bool
    var id: String
}

extension Request {
    func choices(_ codes: [String], prefix: String, field: String, checked: [String]) -> [Choice] {
        codes.map { Choice(value: $0, label: text(prefix + $0), checked: checked.contains($0), id: "\(field)-\($0)") }
    }

    /// Every ward plus city-wide, for a form.
    func wardChoices(_ wards: [WardDTO], checked: [String]) -> [Choice] {
        [Choice(value: "*", label: text("city_wide"), checked: checked == ["*"], id: "wards-all")]
            + wards.map { Choice(value: $0.nameJa, label: wardLabel($0), checked: checked.contains($0.nameJa),
                                 id: "wards-\($0.code)") }
    }
}
