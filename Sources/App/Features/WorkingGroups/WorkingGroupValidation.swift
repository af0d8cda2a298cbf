import Foundation

/// Field checks shared by forming and editing, with messages that name the field.
enum WorkingGroupValidation {
    static func title(_ title: String) throws {
        guard (1...200).contains(title.count) else {
            throw WorkingGroupError.invalid("title", ja: "1〜200文字で入力してください。", en: "1 to 200 characters.")
        }
    }

    static func summary(_ summary: String) throws {
        guard summary.count <= 2000 else {
            throw WorkingGroupError.invalid("summary", ja: "2000文字以内にしてください。", en: "at most 2000 characters.")
        }
    }

    static func domains(_ domains: [String]) throws {
        guard !domains.isEmpty, domains.allSatisfy(DomainCode.codes.contains) else {
            throw WorkingGroupError.invalid("domains", ja: "重点連携領域を1つ以上（\(DomainCode.codes.joined(separator: ", "))）指定してください。",
                                            en: "one or more of \(DomainCode.codes.joined(separator: ", ")).")
        }
    }

    /// A calendar day written YYYY-MM-DD.
    static func day(_ day: String, field: String) throws {
        guard day.wholeMatch(of: /\d{4}-\d{2}-\d{2}/) != nil, isRealDay(day) else {
            throw WorkingGroupError.invalid(field, ja: "日付を YYYY-MM-DD で指定してください。", en: "a date written YYYY-MM-DD.")
        }
    }

    static func isRealDay(_ day: String) -> Bool {
        let parts = day.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3 else { return false }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Tokyo")!
        let components = DateComponents(year: parts[0], month: parts[1], day: parts[2])
        guard let date = calendar.date(from: components) else { return false }
        let back = calendar.dateComponents([.year, .month, .day], from: date)
        return back.year == parts[0] && back.month == parts[1] && back.day == parts[2]
    }
}
