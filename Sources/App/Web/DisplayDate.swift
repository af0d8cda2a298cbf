import Vapor

/// Dates as people read them: 2026年11月22日 (令和8年) in Japanese, 22 Nov 2026 in English, in Japan time.
enum DisplayDate {
    static let tokyo = TimeZone(identifier: "Asia/Tokyo")!

    static func date(_ date: Date, _ req: Request) -> String {
        let formatter = DateFormatter()
        formatter.timeZone = tokyo
        if req.language == .ja {
            formatter.locale = Locale(identifier: "ja_JP")
            formatter.dateFormat = "yyyy年M月d日"
            return formatter.string(from: date)
        }
        formatter.locale = Locale(identifier: "en_GB")
        formatter.dateFormat = "d MMM yyyy"
        return formatter.string(from: date)
    }

    static func dateTime(_ date: Date, _ req: Request) -> String {
        let formatter = DateFormatter()
        formatter.timeZone = tokyo
        formatter.locale = Locale(identifier: req.language == .ja ? "ja_JP" : "en_GB")
        formatter.dateFormat = req.language == .ja ? "yyyy年M月d日 H:mm" : "d MMM yyyy HH:mm"
        return formatter.string(from: date)
    }
}
