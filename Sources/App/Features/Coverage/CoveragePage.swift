import Vapor

/// `/coverage`: the coverage report as an SVG heat map with its numbers, and the same numbers as a table.
enum CoveragePage {
    struct Model: Encodable {
        struct Row: Encodable { var label: String; var indented: Bool; var cells: [CoverageReport.Cell] }
        var layout: Layout
        var heatMap: String
        var domains: [String]
        var rows: [Row]
        var totals: [CoverageReport.Cell]
    }

    static func show(req: Request) async throws -> View {
        try req.requireUser()
        _ = try QueryParameters(req, allowed: [])
        let council = try await ReferenceQueries.defaultCouncilID(on: req.database)
        let report = try await Coverage.report(councilID: council, on: req.database)
        let wards = try await ReferenceQueries.wards(on: req.database)
        let domains = report.domains.map { req.text("domain_" + $0) }
        let rows = report.rows.map { row in
            Model.Row(label: label(row, wards: wards, req: req), indented: row.districtId != nil, cells: row.cells)
        }
        let open = req.text("coverage_open"), covered = req.text("coverage_covered"), gap = req.text("coverage_gap")
        let map = SVGHeatMap(
            id: "coverage", title: req.text("coverage_title"), columns: domains,
            rows: rows.map { row in
                SVGHeatMap.Row(label: row.label, indented: row.indented, cells: row.cells.enumerated().map { index, cell in
                    SVGHeatMap.Cell(value: cell.gap, headline: "\(gap) \(cell.gap)",
                                    detail: "\(open) \(cell.open) / \(covered) \(cell.covered)",
                                    title: "\(row.label) \(domains[index]): \(open) \(cell.open)、\(covered) \(cell.covered)、\(gap) \(cell.gap)")
                })
            })
        let model = Model(layout: req.layout(titleKey: "coverage_title"), heatMap: map.render(), domains: domains,
                          rows: rows, totals: report.totals)
        return try await req.view.render("coverage", model)
    }

    static func label(_ row: CoverageReport.Row, wards: [WardDTO], req: Request) -> String {
        if let district = row.district { return district }
        return wards.first { $0.code == row.wardCode }.map(req.wardLabel) ?? row.ward
    }
}
