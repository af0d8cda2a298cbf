import Vapor

/// `/working-groups/{id}`: facts, participants, support, the SVG timeline, the activity log, the
/// origin proposal (its body for participants and staff only) and the forms the reader may use.
enum WorkingGroupPage {
    struct Model: Encodable {
        struct Participant: Encodable { var role: String; var roleCode: String; var name: String; var joinedOn: String }
        struct Support: Encodable {
            var item: String; var department: String; var status: String; var statusCode: String; var note: String
            var advanceURL: String; var next: String?; var nextLabel: String?
        }
        struct Change: Encodable { var from: String; var to: String; var at: String; var by: String; var note: String }
        struct Activity: Encodable {
            var number: Int; var kind: String; var kindCode: String; var on: String; var onLabel: String; var title: String; var body: String
            var links: [String]
        }
        struct Origin: Encodable { var kind: String; var title: String; var link: String? }
        struct Proposal: Encodable { var title: String; var summary: String; var memberName: String; var body: String? }

        var layout: Layout
        var csrfToken: String
        var id: String
        var title: String
        var summary: String
        var typeCode: String
        var typeLabel: String
        var stageCode: String
        var stageLabel: String
        var daysInStage: Int
        var domains: [String]
        var wards: String
        var lead: String
        var startedOn: String
        var outcomeNotes: String
        var origin: Origin?
        var proposal: Proposal?
        var confidentialVisible: Bool
        var participants: [Participant]
        var support: [Support]
        var history: [Change]
        var activities: [Activity]
        var timeline: String
        var nextStages: [SelectOption]
        var canChangeStage: Bool
        var canLogActivity: Bool
        var isStaff: Bool
        var activityKinds: [SelectOption]
        var supportItems: [SelectOption]
        var today: String
    }

    static func show(req: Request) async throws -> View {
        let user = try req.requireUser()
        let group = try await WorkingGroupsAPI.show(req: req)
        let db = req.database
        let wards = try await ReferenceQueries.wards(on: db)
        let stage = WorkingGroupStage(rawValue: group.stage) ?? .forming
        let canChange = try await WorkingGroupAccess.mayChangeStage(user, group: group.id, on: db)
        let canLog = try await WorkingGroupAccess.mayLogActivity(user, group: group.id, on: db)
        let id = group.id.uuidString.lowercased()
        let activities = (group.activities ?? []).reversed().enumerated().map { index, activity in
            Model.Activity(number: index + 1, kind: req.text("wg_activity_" + activity.kind), kindCode: activity.kind,
                           on: activity.occurredOn,
                           onLabel: DisplayDate.day(activity.occurredOn, req), title: activity.title, body: activity.body, links: activity.links)
        }
        let model = Model(
            layout: req.layout(title: group.title), csrfToken: req.csrfToken ?? "", id: id, title: group.title,
            summary: group.summary, typeCode: group.type, typeLabel: req.text("wg_type_" + group.type),
            stageCode: group.stage, stageLabel: req.text("stage_" + group.stage), daysInStage: group.daysInStage,
            domains: group.domains.map { req.text("domain_" + $0) },
            wards: BoardPage.wardNames(group, wards: wards, req: req), lead: group.leadOrganisation ?? "—",
            startedOn: DisplayDate.day(group.startedOn, req, era: true), outcomeNotes: group.outcomeNotes ?? "",
            origin: try await origin(group, req: req),
            proposal: group.originProposal.map {
                Model.Proposal(title: $0.title, summary: $0.summary, memberName: $0.memberName, body: $0.body)
            },
            confidentialVisible: group.confidentialVisible ?? false,
            participants: (group.participants ?? []).map {
                Model.Participant(role: req.text("role_" + $0.role), roleCode: $0.role, name: $0.name, joinedOn: DisplayDate.day($0.joinedOn, req))
            },
            support: (group.support ?? []).map { item in
                let next = SupportStatus(rawValue: item.status)?.allowedNext.first?.rawValue
                return Model.Support(item: req.text("wg_support_" + item.item), department: item.ownerDepartment,
                                     status: req.text("wg_support_status_" + item.status), statusCode: item.status,
                                     note: item.note, advanceURL: "/working-groups/\(id)/support/\(item.id.uuidString.lowercased())/status",
                                     next: next, nextLabel: next.map { req.text("wg_support_status_" + $0) })
            },
            history: (group.stageHistory ?? []).map { change in
                Model.Change(from: change.fromStage.map { req.text("stage_" + $0) } ?? "—",
                             to: req.text("stage_" + change.toStage), at: DisplayDate.dateTime(change.at, req),
                             by: change.actor ?? "—", note: change.note)
            },
            activities: Array(activities.reversed()),
            timeline: timeline(group, activities: activities, req: req),
            nextStages: stage.allowedNext.map { SelectOption(value: $0.rawValue, label: req.text("stage_" + $0.rawValue), selected: false) },
            canChangeStage: canChange, canLogActivity: canLog, isStaff: user.isStaff,
            activityKinds: req.options(ActivityKind.codes, prefix: "wg_activity_", selected: "meeting"),
            supportItems: req.options(SupportMenuCode.codes, prefix: "wg_support_", selected: nil),
            today: JapanDate.day(Date()))
        return try await req.view.render("wg-show", model)
    }

    static func origin(_ group: WorkingGroupDTO, req: Request) async throws -> Model.Origin? {
        if let proposal = group.originProposal {
            return Model.Origin(kind: req.text("wg_origin_proposal"), title: proposal.title, link: nil)
        }
        if let call = group.originThemeCallId {
            let title = try await req.database.client.query("SELECT title FROM theme_calls WHERE id = \(call)")
                .collect().first?.decode(String.self) ?? ""
            return Model.Origin(kind: req.text("wg_origin_theme_call"), title: title,
                                link: "/theme-calls/\(call.uuidString.lowercased())")
        }
        if group.originRoundId != nil {
            return Model.Origin(kind: req.text("wg_origin_round"), title: group.title, link: nil)
        }
        return nil
    }

    static func timeline(_ group: WorkingGroupDTO, activities: [Model.Activity], req: Request) -> String {
        let history = group.stageHistory ?? []
        let now = Date()
        let start = [history.first?.at, group.startedOn.flatMap(JapanDate.parse),
                     activities.first.flatMap { JapanDate.parse($0.on) }].compactMap { $0 }.min() ?? now
        var stages: [SVGTimeline.Stage] = []
        for (index, change) in history.enumerated() {
            let until = index + 1 < history.count ? history[index + 1].at : now
            stages.append(SVGTimeline.Stage(label: req.text("stage_" + change.toStage), code: change.toStage,
                                            from: change.at, to: until))
        }
        let marks = activities.compactMap { activity in
            JapanDate.parse(activity.on).map { SVGTimeline.Activity(number: activity.number, on: $0, kind: activity.kindCode,
                                                                     title: activity.title) }
        }
        let end = max(now, marks.map(\.on).max() ?? now)
        return SVGTimeline(id: "timeline", title: req.text("wg_timeline"), start: start, end: end, stages: stages,
                           activities: marks, todayLabel: req.text("wg_timeline_today"), language: req.language).render()
    }
}
