import Foundation

/// A group's life drawn left to right: one band per stage with its name written in the band (and
/// in the band's tooltip when it is too narrow), so the fill colour never carries meaning alone;
/// and a numbered marker per activity whose shape tells its kind (○ meeting, ◇ decision,
/// △ result, □ note); the numbers are those of the activity log below.
struct SVGTimeline {
    struct Stage: Sendable {
        var label: String
        var code: String
        var from: Date
        var to: Date
    }

    struct Activity: Sendable {
        var number: Int
        var on: Date
        var kind: String
        var title: String
    }

    var id: String
    var title: String
    var start: Date
    var end: Date
    var stages: [Stage]
    var activities: [Activity]
    var todayLabel: String
    var language: UILanguage = .ja

    static let fills = ["forming": "#e8eef5", "active": "#cfe3f2", "piloting": "#bfe3c9", "reviewing": "#f7e2b5",
                        "completed": "#d9d9d9", "dissolved": "#f2d0d0"]

    func render() -> String {
        let left = 20.0
        let width = 880.0
        var canvas = SVGCanvas(width: Int(left * 2 + width), height: 170)
        let span = max(end.timeIntervalSince(start), 24 * 3600)
        func x(_ date: Date) -> Double { left + width * min(max(date.timeIntervalSince(start) / span, 0), 1) }

        for stage in stages {
            let x1 = x(stage.from)
            let x2 = max(x(stage.to), x1 + 2)
            canvas.rect(x: x1, y: 20, width: x2 - x1, height: 44, fill: Self.fills[stage.code] ?? "#eeeeee", stroke: "#444",
                        title: "\(stage.label): \(day(stage.from)) – \(day(stage.to))")
            if x2 - x1 > 46 {
                canvas.text(stage.label, x: (x1 + x2) / 2, y: 47, anchor: .middle, size: 12, weight: "bold")
            }
        }
        canvas.line(x1: left, y1: 90, x2: left + width, y2: 90)
        canvas.text(day(start), x: left, y: 160, size: 11)
        canvas.text(day(end) + " (" + todayLabel + ")", x: left + width, y: 160, anchor: .end, size: 11)
        for activity in activities {
            let cx = x(activity.on)
            let label = "\(activity.number). \(day(activity.on)) \(activity.title)"
            switch activity.kind {
            case "decision":
                canvas.polygon([(cx, 80), (cx + 10, 90), (cx, 100), (cx - 10, 90)], fill: "#ffffff", title: label)
            case "result":
                canvas.polygon([(cx, 79), (cx + 10, 99), (cx - 10, 99)], fill: "#ffffff", title: label)
            case "meeting":
                canvas.circle(cx: cx, cy: 90, r: 9, fill: "#ffffff", title: label)
            default:
                canvas.rect(x: cx - 8, y: 82, width: 16, height: 16, fill: "#ffffff", stroke: "#1a1a1a", title: label)
            }
            canvas.text(String(activity.number), x: cx, y: 122 + Double(activity.number % 2) * 14, anchor: .middle, size: 11,
                        weight: "bold")
        }
        let description = stages.map { "\($0.label) \(day($0.from))–\(day($0.to))" }.joined(separator: "、")
            + "。" + activities.map { "\($0.number). \(day($0.on)) \($0.title)" }.joined(separator: "、")
        return canvas.render(id: id, title: title, description: description)
    }

    func day(_ date: Date) -> String { DisplayDate.date(date, language) }
}

/// Dates as the council reads them: calendar days in Japan.
enum JapanDate {
    static let timeZone = TimeZone(identifier: "Asia/Tokyo")!

    static func day(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.calendar = Calendar(identifier: .gregorian)
        formatter.timeZone = timeZone
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter.string(from: date)
    }

    static func minute(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.calendar = Calendar(identifier: .gregorian)
        formatter.timeZone = timeZone
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        return formatter.string(from: date)
    }

    /// "2026-11-23" → noon in Japan that day (so the day is the same in UTC).
    static func parse(_ day: String) -> Date? {
        let parts = day.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3 else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2], hour: 12))
    }
}
