import Vapor

/// `/events` (list), `/events/calendar?month=YYYY-MM` (month grid), `/events/{id}` (register; an
/// exchange meeting's new cases).
enum EventPages {
    struct Row: Encodable {
        var link: String
        var title: String
        var kind: String
        var kindCode: String
        var when: String
        var place: String
        var registrations: Int
    }

    struct ListModel: Encodable {
        var layout: Layout
        var kinds: [SelectOption]
        var events: [Row]
        var pager: Pager
        var calendarLink: String
        /// Staff only: the form that creates an event.
        var newEvent: NewEventModel?
    }

    struct NewEventModel: Encodable {
        var form: EventForm
        var errors: [String: String]
        var kinds: [SelectOption]
        var groups: [SelectOption]
    }

    static func list(req: Request) async throws -> Response {
        let user = try req.requireUser()
        return try await renderList(req, user: user, form: EventForm(), errors: [:], status: .ok)
    }

    /// The list, and for staff the event form (empty, or as typed with its problems).
    static func renderList(_ req: Request, user: SignedInUser, form: EventForm, errors: [String: String],
                           status: HTTPStatus) async throws -> Response {
        let query = try QueryParameters(req, allowed: ["page", "per_page", "kind"])
        let page = try PageRequest(query)
        let kind = try query.code("kind", in: EventKind.codes)
        let council = try await ReferenceQueries.defaultCouncilID(on: req.database)
        let filter = EventFilter(councilID: council, kind: kind)
        let result = try await EventQueries.list(filter, page: page, on: req.database)
        var newEvent: NewEventModel?
        if user.isStaff {
            let groups = try await groupOptions(council: council, selected: form.workingGroupId, on: req.database)
            newEvent = NewEventModel(form: form, errors: errors,
                                     kinds: req.options(EventKind.codes, prefix: "event_kind_", selected: form.kind),
                                     groups: groups)
        }
        let model = ListModel(
            layout: req.layout(titleKey: "event_title"),
            kinds: req.options(EventKind.codes, prefix: "event_kind_", selected: kind),
            events: result.items.map { row($0, req: req) },
            pager: Pager(path: "/events", filters: [("kind", kind)], page: page, total: result.total),
            calendarLink: "/events/calendar",
            newEvent: newEvent)
        return try await req.render("event-list", model, status: status)
    }

    static func groupOptions(council: UUID, selected: String?, on db: Database) async throws -> [SelectOption] {
        try await WorkingGroupQueries.list(WorkingGroupFilter(councilID: council), page: PageRequest(perPage: 500), on: db).items
            .map { group in
                let id = group.id.uuidString.lowercased()
                return SelectOption(value: id, label: group.title, selected: id == selected?.lowercased())
            }
    }

    /// Staff create an event from the list page: the same `Events.create` as the API, in one
    /// transaction with its audit record; problems show the form again (422) with what was typed.
    static func create(req: Request) async throws -> Response {
        let user = try req.requireUser(.staff, .admin)
        let form = try req.content.decode(EventForm.self)
        let council = try await ReferenceQueries.defaultCouncilID(on: req.database)
        let groups = try await WorkingGroupQueries.list(WorkingGroupFilter(councilID: council), page: PageRequest(perPage: 500),
                                                        on: req.database).items.map(\.id)
        var problems = form.problems(groupIDs: Set(groups), language: req.language)
        if problems.isEmpty, let event = form.newEvent(councilID: council) {
            let actor = req.auditActor
            let logger = req.logger
            do {
                let id = try await req.database.transaction { connection in
                    try await Events.create(event, actor: actor, on: connection, logger: logger)
                }
                return req.redirect(to: "/events/\(id.uuidString.lowercased())", redirectType: .normal)
            } catch let error as AppError where error.status == .unprocessableEntity {
                problems.add(error)
            }
        }
        return try await renderList(req, user: user, form: form, errors: problems.messages, status: .unprocessableEntity)
    }

    static func row(_ event: EventDTO, req: Request, era: Bool = false) -> Row {
        Row(link: "/events/\(event.id.uuidString.lowercased())", title: event.title, kind: req.text("event_kind_" + event.kind),
            kindCode: event.kind, when: DisplayDate.span(event.startsAt, event.endsAt, req.language, era: era), place: event.place, registrations: event.registrationCount)
    }

    struct CalendarModel: Encodable {
        struct Entry: Encodable { var link: String; var title: String; var kind: String; var kindCode: String; var time: String }
        struct Day: Encodable { var day: Int?; var entries: [Entry]; var isToday: Bool }
        var layout: Layout
        var month: String
        var weekdays: [String]
        var weeks: [[Day]]
        var previousLink: String
        var nextLink: String
    }

    static func calendar(req: Request) async throws -> View {
        try req.requireUser()
        let query = try QueryParameters(req, allowed: ["month"])
        guard let month = EventCalendar(try query.string("month", maxLength: 7)) else {
            throw AppError.invalidParameter("month", ja: "YYYY-MM で指定してください", en: "must be written YYYY-MM")
        }
        let (start, end) = month.range
        let events = try await EventQueries.list(
            EventFilter(councilID: try await ReferenceQueries.defaultCouncilID(on: req.database), from: start, until: end),
            page: PageRequest(perPage: 500), on: req.database).items
        let today = JapanDate.day(Date())
        let weeks = month.weeks.map { week in
            week.map { day in
                CalendarModel.Day(day: day.day, entries: events.filter { JapanDate.day($0.startsAt) == day.date }.map { event in
                    CalendarModel.Entry(link: "/events/\(event.id.uuidString.lowercased())", title: event.title,
                                        kind: req.text("event_kind_" + event.kind), kindCode: event.kind,
                                        time: String(JapanDate.minute(event.startsAt).suffix(5)))
                }, isToday: day.date == today)
            }
        }
        let model = CalendarModel(
            layout: req.layout(title: req.text("event_calendar_title") + " " + DisplayDate.month(year: month.year, month: month.month, req.language)),
            month: DisplayDate.month(year: month.year, month: month.month, req.language),
            weekdays: ["mon", "tue", "wed", "thu", "fri", "sat", "sun"].map { req.text("event_weekday_" + $0) },
            weeks: weeks, previousLink: "/events/calendar?month=\(month.previous.label)",
            nextLink: "/events/calendar?month=\(month.next.label)")
        return try await req.view.render("event-calendar", model)
    }

    struct DetailModel: Encodable {
        struct Outcome: Encodable { var note: String; var groupTitle: String?; var groupLink: String? }
        var layout: Layout
        var csrfToken: String
        var id: String
        var event: Row
        var description: String
        var groupLink: String?
        var isMember: Bool
        var isStaff: Bool
        var registered: Bool
        var upcoming: Bool
        var registeredMembers: [String]
        var isExchangeMeeting: Bool
        var outcomes: [Outcome]
        var groups: [SelectOption]
    }

    static func show(req: Request) async throws -> View {
        let user = try req.requireUser()
        let event = try await EventsAPI.show(req: req)
        let registered = try await user.memberID.asyncMap { try await EventQueries.isRegistered(event: event.id, member: $0, on: req.database) } ?? false
        let isExchange = event.kind == EventKind.exchangeMeeting.rawValue
        var groups: [SelectOption] = []
        if isExchange && user.isStaff {
            let filter = WorkingGroupFilter(councilID: event.councilId)
            groups = try await WorkingGroupQueries.list(filter, page: PageRequest(perPage: 500), on: req.database).items
                .map { SelectOption(value: $0.id.uuidString.lowercased(), label: $0.title, selected: false) }
        }
        let model = DetailModel(
            layout: req.layout(title: event.title), csrfToken: req.csrfToken ?? "", id: event.id.uuidString.lowercased(),
            event: row(event, req: req, era: true), description: event.description,
            groupLink: event.workingGroupId.map { "/working-groups/\($0.uuidString.lowercased())" },
            isMember: user.memberID != nil, isStaff: user.isStaff, registered: registered,
            upcoming: event.startsAt > Date(),
            // Who comes is shown to staff; members see the count.
            registeredMembers: user.isStaff ? (event.registeredMembers ?? []) : [],
            isExchangeMeeting: isExchange,
            outcomes: (event.outcomes ?? []).map { outcome in
                DetailModel.Outcome(note: outcome.note, groupTitle: outcome.workingGroupTitle,
                                    groupLink: outcome.workingGroupId.map { "/working-groups/\($0.uuidString.lowercased())" })
            },
            groups: groups)
        return try await req.view.render("event-show", model)
    }

    static func register(req: Request) async throws -> Response {
        let user = try req.requireUser()
        guard let member = user.memberID else { throw EventError.membersOnly }
        guard let id = req.parameters.get("id", as: UUID.self) else { throw EventError.notFound }
        let actor = req.auditActor
        let logger = req.logger
        try await req.database.transaction { connection in
            try await Events.register(event: id, member: member, actor: actor, on: connection, logger: logger)
        }
        return req.redirect(to: "/events/\(id.uuidString.lowercased())", redirectType: .normal)
    }

    struct OutcomeForm: Content {
        var note: String?
        var working_group_id: String?
    }

    static func recordOutcome(req: Request) async throws -> Response {
        try req.requireUser(.staff, .admin)
        guard let id = req.parameters.get("id", as: UUID.self) else { throw EventError.notFound }
        let form = try req.content.decode(OutcomeForm.self)
        let group = form.working_group_id.flatMap { UUID(uuidString: $0) }
        let actor = req.auditActor
        let logger = req.logger
        _ = try await req.database.transaction { connection in
            try await Events.recordOutcome(event: id, note: form.note ?? "", proposalID: nil, workingGroupID: group,
                                           actor: actor, on: connection, logger: logger)
        }
        return req.redirect(to: "/events/\(id.uuidString.lowercased())", redirectType: .normal)
    }
}

extension Optional {
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}
