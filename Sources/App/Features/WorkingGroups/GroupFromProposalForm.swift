import Vapor

/// The staff form on the review page of an accepted proposal that forms its open-type working
/// group (オープン型). Domains, wards, districts, the lead and the support asked for come from the
/// proposal (`WorkingGroupOrigins.proposal`); staff choose the name, the start day, local bodies
/// taking part (one per line) and a note for the stage history.
struct GroupFromProposalForm: Content {
    var title: String?
    var startedOn: String?
    var localParticipants: String?
    var note: String?

    enum CodingKeys: String, CodingKey {
        case title, note
        case startedOn = "started_on", localParticipants = "local_participants"
    }

    /// The proposal's title, starting today (Japan).
    init(_ proposal: ProposalDTO) {
        title = proposal.title
        startedOn = JapanDate.day(Date())
    }

    var locals: [String] {
        (localParticipants ?? "").split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// Every problem at once; `WorkingGroups.create` checks again inside its transaction.
    func problems(language: UILanguage) -> FieldProblems {
        var problems = FieldProblems(language)
        problems.text(title, "title", label: "ワーキンググループ名", labelEn: "The name", max: 200, required: true)
        let day = (startedOn ?? "").trimmingCharacters(in: .whitespaces)
        if day.isEmpty {
            problems.add("started_on", ja: "開始日を入力してください。", en: "Enter the start day.")
        } else if day.wholeMatch(of: /\d{4}-\d{2}-\d{2}/) == nil || !WorkingGroupValidation.isRealDay(day) {
            problems.add("started_on", ja: "開始日を 年-月-日 の形で正しく入力してください。", en: "Write the start day as YYYY-MM-DD.")
        }
        if locals.count > 20 {
            problems.add("local_participants", ja: "地域の参加者は20件までです。", en: "At most 20 local participants.")
        } else if let long = locals.first(where: { $0.count > 200 }) {
            problems.add("local_participants", ja: "地域の参加者の名前は200文字以内にしてください（「\(long.prefix(20))…」）。",
                         en: "Each local participant's name is at most 200 characters.")
        }
        problems.text(note, "note", label: "メモ", labelEn: "The note", max: 4000, required: false)
        return problems
    }

    func draft(proposalID: UUID) -> WorkingGroupDraft {
        WorkingGroupDraft(origin: .proposal(proposalID), title: title?.trimmingCharacters(in: .whitespacesAndNewlines),
                          startedOn: startedOn?.trimmingCharacters(in: .whitespaces), localParticipants: locals,
                          note: (note ?? "").trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
