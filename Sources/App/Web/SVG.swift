import Foundation

/// A small SVG writer for the charts drawn on the server. Every text goes through `escape`, so a
/// title typed by a user can never become markup. Colours are presentation attributes (allowed by
/// the Content-Security-Policy, unlike style attributes) and never carry meaning alone: every
/// chart writes its numbers and labels as text.
struct SVGCanvas {
    let width: Int
    let height: Int
    private(set) var parts: [String] = []

    init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }

    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }

    static func number(_ value: Double) -> String {
        value.rounded() == value ? String(Int(value)) : String(format: "%.1f", value)
    }

    mutating func rect(x: Double, y: Double, width: Double, height: Double, fill: String, stroke: String? = nil,
                       title: String? = nil, pattern: String? = nil) {
        var element = "<rect x=\"\(Self.number(x))\" y=\"\(Self.number(y))\" width=\"\(Self.number(max(0, width)))\" "
            + "height=\"\(Self.number(max(0, height)))\" fill=\"\(fill)\""
        if let stroke { element += " stroke=\"\(stroke)\"" }
        if let pattern { element += " class=\"\(pattern)\"" }
        if let title {
            element += "><title>\(Self.escape(title))</title></rect>"
        } else {
            element += "/>"
        }
        parts.append(element)
    }

    enum Anchor: String { case start, middle, end }

    mutating func text(_ content: String, x: Double, y: Double, anchor: Anchor = .start, size: Int = 13,
                       weight: String? = nil, fill: String = "#1a1a1a") {
        var element = "<text x=\"\(Self.number(x))\" y=\"\(Self.number(y))\" font-size=\"\(size)\" fill=\"\(fill)\""
        if anchor != .start { element += " text-anchor=\"\(anchor.rawValue)\"" }
        if let weight { element += " font-weight=\"\(weight)\"" }
        element += ">\(Self.escape(content))</text>"
        parts.append(element)
    }

    mutating func line(x1: Double, y1: Double, x2: Double, y2: Double, stroke: String = "#555", width: Double = 1,
                       dashed: Bool = false) {
        parts.append("<line x1=\"\(Self.number(x1))\" y1=\"\(Self.number(y1))\" x2=\"\(Self.number(x2))\" "
                     + "y2=\"\(Self.number(y2))\" stroke=\"\(stroke)\" stroke-width=\"\(Self.number(width))\""
                     + (dashed ? " stroke-dasharray=\"4 3\"" : "") + "/>")
    }

    mutating func circle(cx: Double, cy: Double, r: Double, fill: String, stroke: String = "#1a1a1a", title: String? = nil) {
        let head = "<circle cx=\"\(Self.number(cx))\" cy=\"\(Self.number(cy))\" r=\"\(Self.number(r))\" fill=\"\(fill)\" stroke=\"\(stroke)\""
        parts.append(title.map { head + "><title>\(Self.escape($0))</title></circle>" } ?? head + "/>")
    }

    mutating func polygon(_ points: [(Double, Double)], fill: String, stroke: String = "#1a1a1a", title: String? = nil) {
        let list = points.map { "\(Self.number($0.0)),\(Self.number($0.1))" }.joined(separator: " ")
        let head = "<polygon points=\"\(list)\" fill=\"\(fill)\" stroke=\"\(stroke)\""
        parts.append(title.map { head + "><title>\(Self.escape($0))</title></polygon>" } ?? head + "/>")
    }

    /// The finished `<svg>`: an image with a title (its accessible name) and a longer description.
    func render(id: String, title: String, description: String) -> String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" role=\"img\" viewBox=\"0 0 \(width) \(height)\" "
            + "width=\"\(width)\" height=\"\(height)\" aria-labelledby=\"\(id)-title \(id)-desc\">"
            + "<title id=\"\(id)-title\">\(Self.escape(title))</title>"
            + "<desc id=\"\(id)-desc\">\(Self.escape(description))</desc>"
            + parts.joined() + "</svg>"
    }
}
