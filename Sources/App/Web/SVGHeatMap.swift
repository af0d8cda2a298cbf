import Foundation

/// A grid of cells, each with its numbers written inside; the fill only repeats what the numbers
/// say (darker = larger gap), so the map reads the same in greyscale or to a screen reader.
struct SVGHeatMap {
    struct Cell: Sendable {
        /// The number that drives the shade and is written large.
        var value: Int
        var headline: String
        var detail: String
        var title: String
    }

    struct Row: Sendable {
        var label: String
        var indented: Bool
        var cells: [Cell]
    }

    var id: String
    var title: String
    var columns: [String]
    var rows: [Row]

    /// Six steps from white to deep orange; the top step is reached at `maximum`.
    static let shades = ["#ffffff", "#fde9d9", "#fbc9a4", "#f59e64", "#e4742f", "#b34a12"]

    func render() -> String {
        let labelWidth = 170.0
        let cellWidth = 200.0
        let headerHeight = 40.0
        let rowHeight = 50.0
        let width = Int(labelWidth + cellWidth * Double(columns.count) + 4)
        let height = Int(headerHeight + rowHeight * Double(rows.count) + 4)
        var canvas = SVGCanvas(width: width, height: height)
        for (index, column) in columns.enumerated() {
            canvas.text(column, x: labelWidth + cellWidth * (Double(index) + 0.5), y: 26, anchor: .middle, size: 13, weight: "bold")
        }
        let maximum = max(rows.flatMap { $0.cells.map(\.value) }.max() ?? 0, 1)
        for (rowIndex, row) in rows.enumerated() {
            let y = headerHeight + Double(rowIndex) * rowHeight
            canvas.text(row.indented ? "└ " + row.label : row.label, x: row.indented ? 18 : 6, y: y + 30,
                        size: row.indented ? 12 : 14, weight: row.indented ? nil : "bold")
            for (columnIndex, cell) in row.cells.enumerated() {
                let x = labelWidth + Double(columnIndex) * cellWidth
                let step = cell.value == 0 ? 0 : 1 + min(4, (cell.value - 1) * 5 / maximum)
                let fill = Self.shades[step]
                canvas.rect(x: x + 1, y: y + 1, width: cellWidth - 2, height: rowHeight - 2, fill: fill, stroke: "#888",
                            title: cell.title)
                // White only on the darkest shade, where it keeps AA contrast; dark ink elsewhere.
                let ink = step >= 5 ? "#ffffff" : "#1a1a1a"
                canvas.text(cell.headline, x: x + cellWidth / 2, y: y + 22, anchor: .middle, size: 15, weight: "bold", fill: ink)
                canvas.text(cell.detail, x: x + cellWidth / 2, y: y + 40, anchor: .middle, size: 11, fill: ink)
            }
        }
        let description = rows.map { row in
            row.label + ": " + row.cells.map(\.title).joined(separator: "、")
        }.joined(separator: "。")
        return canvas.render(id: id, title: title, description: description)
    }
}
