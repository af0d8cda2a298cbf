import Vapor

/// The staff form on `/theme-calls` that publishes a call from one or more open needs, as the
/// browser posts it and as the page shows it again (what was typed stays).
struct ThemeCallForm: Content {
    var title: String?
    var genre: String?
    var description: String?
    var needIds: [String]?
    var wards: [String]?
    var domains: [String]?
    /// YYYY-MM-DD and HH:MM, Japan time.
    var deadlineDate: String?
    var deadlineTime: String?

    enum CodingKeys: String, CodingKey {
        case title, genre, description, wards, domains
        case needIds = "need_ids", deadlineDate = "deadline_date", deadlineTime = "deadline_time"
    }

    /// An empty form, with the deadline suggested two weeks ahead at 17:00.
    init(now: Date = Date()) {
        deadlineDate = JapanDate.day(now.addingTimeInterval(14 * 24 * 3600))
        deadlineTime = "17:00"
    }

    var deadline: Date? { JapanDate.parse(day: deadlineDate ?? "", time: deadlineTime ?? "") }

    /// Every problem at once; `ThemeCalls.publish` checks again inside its transaction.
    func problems(wardCodes: [String], language: UILanguage, now: Date = Date()) -> FieldProblems {
        var problems = FieldProblems(language)
        problems.text(title, "title", label: "募集名", labelEn: "The title", max: 200, required: true)
        problems.text(genre, "genre", label: "募集するジャンル", labelEn: "The genre", max: 200, required: true)
        problems.text(description, "description", label: "説明", labelEn: "The description", max: 4000, required: false)
        let needs = needIds ?? []
        if needs.isEmpty {
            problems.add("need_ids", ja: "対象の地域ニーズを1件以上選んでください。", en: "Choose at least one need.")
        } else if needs.count > 50 {
            problems.add("need_ids", ja: "地域ニーズは50件まで選べます。", en: "At most 50 needs.")
        } else if needs.contains(where: { UUID(uuidString: $0) == nil }) {
            problems.add("need_ids", ja: "地域ニーズの指定が正しくありません。", en: "A need is not valid.")
        }
        if let bad = (wards ?? []).first(where: { !wardCodes.contains($0) }) {
            problems.add("wards", ja: "対象区に使えない値「\(bad)」があります。", en: "Unknown ward '\(bad)'.")
        }
        if let bad = (domains ?? []).first(where: { !DomainCode.codes.contains($0) }) {
            problems.add("domains", ja: "重点連携領域に使えない値「\(bad)」があります。", en: "Unknown domain '\(bad)'.")
        }
        if (deadlineDate ?? "").isEmpty || (deadlineTime ?? "").isEmpty {
            problems.add("deadline", ja: "締切の日付と時刻を入力してください。", en: "Enter the deadline's date and time.")
        } else if let deadline {
            if deadline <= now {
                problems.add("deadline", ja: "締切は今より後の日時にしてください。", en: "The deadline must be in the future.")
            }
        } else {
            problems.add("deadline", ja: "締切の日付（年-月-日）と時刻（時:分）が正しくありません。",
                         en: "The deadline's date (YYYY-MM-DD) or time (HH:MM) is not valid.")
        }
        return problems
    }

    /// What `ThemeCalls.publish` takes; nil wards or domains are taken from the needs.
    func newCall(councilID: UUID) -> ThemeCalls.NewCall? {
        guard let deadline else { return nil }
        let wards = (wards ?? []).isEmpty ? nil : wards
        let domains = (domains ?? []).isEmpty ? nil : domains
        return ThemeCalls.NewCall(councilID: councilID, title: title ?? "", genre: genre ?? "",
                                  description: (description ?? "").trimmingCharacters(in: .whitespacesAndNewlines),
                                  needIDs: (needIds ?? []).compactMap { UUID(uuidString: $0) },
                                  wardCodes: wards, domains: domains, deadline: deadline)
    }
}
