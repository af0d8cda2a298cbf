import Foundation

/// A month as weeks of seven days (Monday first, as Japanese calendars at work usually are), with
/// blank days before the 1st and after the last day. Pure: the page fills the days with events.
struct EventCalendar {
    struct Day: Sendable {
        var day: Int?
        /// YYYY-MM-DD, for matching events.
        var date: String?
    }

    let year: Int
    let month: Int

    init?(_ text: String?) {
        guard let text else {
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = JapanDate.timeZone
            let now = calendar.dateComponents([.year, .month], from: Date())
            year = now.year!
            month = now.month!
            return
        }
        guard text.wholeMatch(of: /\d{4}-\d{2}/) != nil else { return nil }
        let parts = text.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 2, (1...12).contains(parts[1]), (2000...2100).contains(parts[0]) else { return nil }
        year = parts[0]
        month = parts[1]
    }

    init(year: Int, month: Int) {
        self.year = year
        self.month = month
    }

    var label: String { String(format: "%04d-%02d", year, month) }
    var previous: EventCalendar { month == 1 ? .init(year: year - 1, month: 12) : .init(year: year, month: month - 1) }
    var next: EventCalendar { month == 12 ? .init(year: year + 1, month: 1) : .init(year: year, month: month + 1) }

    /// Midnight in Japan on the 1st, and on the 1st of the next month.
    var range: (Date, Date) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = JapanDate.timeZone
        let start = calendar.date(from: DateComponents(year: year, month: month, day: 1))!
        let end = calendar.date(from: DateComponents(year: next.year, month: next.month, day: 1))!
        return (start, end)
    }

    var weeks: [[Day]] {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = JapanDate.timeZone
        let (start, _) = range
        let days = calendar.range(of: .day, in: .month, for: start)!.count
        // Calendar weekday: 1 = Sunday … 7 = Saturday; Monday-first offset.
        let leading = (calendar.component(.weekday, from: start) + 5) % 7
        var cells = Array(repeating: Day(day: nil, date: nil), count: leading)
        for day in 1...days {
            cells.append(Day(day: day, date: String(format: "%04d-%02d-%02d", year, month, day)))
        }
        while cells.count % 7 != 0 { cells.append(Day(day: nil, date: nil)) }
        return stride(from: 0, to: cells.count, by: 7).map { Array(cells[$0..<$0 + 7]) }
    }
}
