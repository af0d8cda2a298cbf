import Vapor

/// The staff form on `/events` that creates an event, as the browser posts it and as the page
/// shows it again. Times are typed in Japan time; the end is optional (the start's day when
/// only its time is given).
struct EventForm: Content {
    var kind: String?
    var title: String?
    var description: String?
    var startsDate: String?
    var startsTime: String?
    var endsDate: String?
    var endsTime: String?
    var place: String?
    var workingGroupId: String?

    enum CodingKeys: String, CodingKey {
        case kind, title, description, place
        case startsDate = "starts_date", startsTime = "starts_time", endsDate = "ends_date", endsTime = "ends_time"
        case workingGroupId = "working_group_id"
    }

    init() { kind = EventKind.studySession.rawValue }

    var startsAt: Date? { JapanDate.parse(day: startsDate ?? "", time: startsTime ?? "") }

    /// nil when no end was typed.
    var endsAt: Date? {
        guard let time = endsTime?.nilIfBlank else { return nil }
        return JapanDate.parse(day: endsDate?.nilIfBlank ?? startsDate ?? "", time: time)
    }

    var groupID: UUID? { workingGroupId?.nilIfBlank.flatMap { UUID(uuidString: $0) } }

    /// Every problem at once; `Events.create` checks again inside its transaction.
    func problems(groupIDs: Set<UUID>, language: UILanguage) -> FieldProblems {
        var problems = FieldProblems(language)
        let eventKind = kind.flatMap(EventKind.init(rawValue:))
        if eventKind == nil {
            problems.add("kind", ja: "種類を選んでください。", en: "Choose a kind.")
        }
        problems.text(title, "title", label: "名称", labelEn: "The title", max: 200, required: true)
        problems.text(description, "description", label: "説明", labelEn: "The description", max: 4000, required: false)
        problems.text(place, "place", label: "場所", labelEn: "The place", max: 200, required: false)
        if (startsDate ?? "").isBlank || (startsTime ?? "").isBlank {
            problems.add("starts_at", ja: "開始の日付と時刻を入力してください。", en: "Enter the start's date and time.")
        } else if startsAt == nil {
            problems.add("starts_at", ja: "開始の日付（年-月-日）と時刻（時:分）が正しくありません。",
                         en: "The start's date (YYYY-MM-DD) or time (HH:MM) is not valid.")
        }
        if endsTime?.nilIfBlank == nil {
            if endsDate?.nilIfBlank != nil {
                problems.add("ends_at", ja: "終了の時刻を入力してください。", en: "Enter the end's time.")
            }
        } else if let ends = endsAt {
            if let starts = startsAt, ends < starts {
                problems.add("ends_at", ja: "終了は開始より後の日時にしてください。", en: "The end must not be before the start.")
            }
        } else if endsDate?.nilIfBlank != nil || startsAt != nil {
            problems.add("ends_at", ja: "終了の日付（年-月-日）と時刻（時:分）が正しくありません。",
                         en: "The end's date (YYYY-MM-DD) or time (HH:MM) is not valid.")
        }
        if let raw = workingGroupId?.nilIfBlank, UUID(uuidString: raw).map({ groupIDs.contains($0) }) != true {
            problems.add("working_group_id", ja: "ワーキンググループを一覧から選んでください。", en: "Choose a working group from the list.")
        } else if eventKind == .wgMeeting, groupID == nil {
            problems.add("working_group_id", ja: "WG会議にはワーキンググループを選んでください。",
                         en: "A working-group meeting needs its group.")
        }
        return problems
    }

    /// What `Events.create` takes.
    func newEvent(councilID: UUID) -> Events.NewEvent? {
        guard let kind = kind.flatMap(EventKind.init(rawValue:)), let startsAt else { return nil }
        return Events.NewEvent(councilID: councilID, kind: kind, title: title ?? "",
                               description: (description ?? "").trimmingCharacters(in: .whitespacesAndNewlines),
                               startsAt: startsAt, endsAt: endsAt,
                               place: (place ?? "").trimmingCharacters(in: .whitespacesAndNewlines),
                               workingGroupID: groupID, capacity: nil)
    }
}

extension String {
    var isBlank: Bool { trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }
    var nilIfBlank: String? { isBlank ? nil : self }
}
