import Vapor

/// Dates as people read them, in Japan time (where the council works).
///
/// Japanese: 2026年11月22日 17:00 in lists and tables; where the city itself writes the era year —
/// deadlines of calls, event dates, calendar months, the day a working group started — the era comes
/// first with the Western year in brackets, as Kawasaki's own notices do: 令和8（2026）年11月22日.
/// English: 22 Nov 2026 17:00.
///
/// Built from calendar components rather than DateFormatter: the output must not depend on the
/// machine's ICU data, and the formatter is neither cheap to make nor Sendable to share.
enum DisplayDate {
    static let tokyo = TimeZone(identifier: "Asia/Tokyo")!
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    struct Parts: Equatable {
        var year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int
    }

    static func parts(_ date: Date) -> Parts {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = tokyo
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return Parts(year: c.year ?? 0, month: c.month ?? 0, day: c.day ?? 0, hour: c.hour ?? 0, minute: c.minute ?? 0,
                     second: c.second ?? 0)
    }

    /// 令和8 for a day in 2026; 令和元 for 2019 from 1 May; 平成31 before it. Nil before 平成.
    static func eraYear(_ p: Parts) -> String? {
        let ymd = p.year * 10_000 + p.month * 100 + p.day
        let (name, first): (String, Int)
        if ymd >= 2019_05_01 { (name, first) = ("令和", 2019) } else if ymd >= 1989_01_08 { (name, first) = ("平成", 1989) } else { return nil }
        let n = p.year - first + 1
        return name + (n == 1 ? "元" : String(n))
    }

    static func date(_ date: Date, _ language: UILanguage, era: Bool = false) -> String {
        let p = parts(date)
        switch language {
        case .ja:
            if era, let eraYear = eraYear(p) { return "\(eraYear)（\(p.year)）年\(p.month)月\(p.day)日" }
            return "\(p.year)年\(p.month)月\(p.day)日"
        case .en:
            return "\(p.day) \(months[p.month - 1]) \(p.year)"
        }
    }

    static func dateTime(_ date: Date, _ language: UILanguage, era: Bool = false, seconds: Bool = false) -> String {
        self.date(date, language, era: era) + " " + time(date, seconds: seconds)
    }

    /// 17:05 (24-hour in both languages, as Japanese and British readers expect).
    static func time(_ date: Date, seconds: Bool = false) -> String {
        let p = parts(date)
        let hm = String(format: "%d:%02d", p.hour, p.minute)
        return seconds ? hm + String(format: ":%02d", p.second) : hm
    }

    /// A span such as an event's: the end's date is left out when it is the same day.
    static func span(_ start: Date, _ end: Date?, _ language: UILanguage, era: Bool = false) -> String {
        let from = dateTime(start, language, era: era)
        guard let end else { return from }
        let a = parts(start), b = parts(end)
        let sameDay = a.year == b.year && a.month == b.month && a.day == b.day
        return from + "–" + (sameDay ? time(end) : dateTime(end, language, era: era))
    }

    /// A month heading for calendars: 令和8（2026）年11月 / November 2026.
    static func month(year: Int, month: Int, _ language: UILanguage) -> String {
        switch language {
        case .ja:
            let p = Parts(year: year, month: month, day: 28, hour: 0, minute: 0, second: 0)
            return eraYear(p).map { "\($0)（\(year)）年\(month)月" } ?? "\(year)年\(month)月"
        case .en:
            let names = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
                         "October", "November", "December"]
            return "\(names[month - 1]) \(year)"
        }
    }

    /// A calendar day stored as text ("2026-11-22", as PostgreSQL's date columns come back); "—" when absent.
    static func day(_ stored: String?, _ req: Request, era: Bool = false) -> String {
        guard let stored else { return "—" }
        return JapanDate.parse(stored).map { date($0, req.language, era: era) } ?? stored
    }

    // Request-language conveniences for page code.
    static func date(_ date: Date, _ req: Request, era: Bool = false) -> String { self.date(date, req.language, era: era) }
    static func dateTime(_ date: Date, _ req: Request, era: Bool = false) -> String {
        dateTime(date, req.language, era: era)
    }
}
