import Vapor

/// `/dashboard` (staff): the numbers of `DashboardNumbers` drawn as simple SVG bar charts, each
/// followed by nothing but its own written numbers (the bars only repeat them).
enum DashboardPage {
    struct Chart: Encodable {
        var heading: String
        var svg: String
    }

    struct SupportRow: Encodable { var item: String; var requested: Int; var inProgress: Int; var done: Int; var total: Int }

    struct Model: Encodable {
        var layout: Layout
        var charts: [Chart]
        var median: String
        var groupsFromProposals: Int
        var support: [SupportRow]
    }

    static func show(req: Request) async throws -> View {
        try req.requireUser(.staff, .admin)
        _ = try QueryParameters(req, allowed: [])
        let council = try await ReferenceQueries.defaultCouncilID(on: req.database)
        let numbers = try await DashboardNumbers.load(councilID: council, on: req.database)
        func chart(_ id: String, _ key: String, _ counts: [DashboardNumbers.Count], prefix: String, colour: String) -> Chart {
            let heading = req.text(key)
            return Chart(heading: heading, svg: SVGBarChart(
                id: id, title: heading,
                bars: counts.map { .init(label: req.text(prefix + $0.code), value: Double($0.count)) },
                colour: colour).render())
        }
        let charts = [
            chart("proposals-status", "dashboard_proposals_by_status", numbers.proposalsByStatus, prefix: "dashboard_proposal_", colour: "#2f6f9f"),
            chart("proposals-domain", "dashboard_proposals_by_domain", numbers.proposalsByDomain, prefix: "domain_", colour: "#4f8a3c"),
            chart("groups-stage", "dashboard_groups_by_stage", numbers.groupsByStage, prefix: "stage_", colour: "#8a5a2f"),
            chart("groups-type", "dashboard_groups_by_type", numbers.groupsByType, prefix: "wg_type_", colour: "#6a4c93"),
            Chart(heading: req.text("dashboard_support_by_kind"), svg: SVGBarChart(
                id: "support-kind", title: req.text("dashboard_support_by_kind"),
                bars: numbers.supportByItem.map { .init(label: req.text("wg_support_" + $0.item), value: Double($0.total)) },
                colour: "#b35c1e").render()),
        ]
        let model = Model(
            layout: req.layout(titleKey: "dashboard_title"), charts: charts,
            median: numbers.medianDaysProposalToGroup.map { SVGCanvas.number(($0 * 10).rounded() / 10) } ?? req.text("dashboard_no_data"),
            groupsFromProposals: numbers.groupsFromProposals,
            support: numbers.supportByItem.map {
                SupportRow(item: req.text("wg_support_" + $0.item), requested: $0.requested, inProgress: $0.inProgress,
                           done: $0.done, total: $0.total)
            })
        return try await req.view.render("dashboard", model)
    }
}
