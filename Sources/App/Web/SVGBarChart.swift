import Foundation

/// Horizontal bars with the label on the left and the number written at the end of each bar.
struct SVGBarChart {
    struct Bar: Sendable {
        var label: String
        var value: Double
    }

    var id: String
    var title: String
    var bars: [Bar]
    var unit: String = ""
    var colour: String = "#2f6f9f"

    func render() -> String {
        let labelWidth = 230.0
        let barArea = 330.0
        let rowHeight = 30.0
        let height = Int(rowHeight * Double(max(bars.count, 1)) + 16)
        var canvas = SVGCanvas(width: Int(labelWidth + barArea + 80), height: height)
        let maximum = max(bars.map(\.value).max() ?? 0, 1)
        for (index, bar) in bars.enumerated() {
            let y = 8 + Double(index) * rowHeight
            canvas.text(bar.label, x: labelWidth - 8, y: y + 19, anchor: .end)
            let length = barArea * bar.value / maximum
            canvas.rect(x: labelWidth, y: y + 4, width: length, height: rowHeight - 10, fill: colour,
                        title: "\(bar.label): \(SVGCanvas.number(bar.value))\(unit)")
            canvas.text(SVGCanvas.number(bar.value) + unit, x: labelWidth + length + 6, y: y + 19, weight: "bold")
        }
        canvas.line(x1: labelWidth, y1: 4, x2: labelWidth, y2: Double(height) - 4)
        let description = bars.map { "\($0.label) \(SVGCanvas.number($0.value))\(unit)" }.joined(separator: "、")
        return canvas.render(id: id, title: title, description: description)
    }
}
