import Vapor

/// The one route table.
func routes(_ app: Application) throws {
    // Operations
    app.get("health", use: HealthAPI.health)
    app.get("ready", use: HealthAPI.ready)
    app.get("metrics", use: AppMetrics.serve)
    app.get("openapi.json", use: OpenAPIDocument.serve)

    // Pages
    app.get(use: HomePage.show)
    app.get("members", use: MemberPages.list)
    app.get("members", ":id", use: MemberPages.show)
    app.get("needs", use: NeedPages.list)
    app.get("needs", ":id", use: NeedPages.show)
    app.post("language", use: LanguageSwitch.change)

    // Staff pages: matching rounds
    app.get("staff", "matching", use: RoundPages.index)
    app.post("staff", "matching", use: RoundPages.start)
    app.get("staff", "matching", ":id", use: RoundPages.show)
    app.post("staff", "matching", ":id", "decisions", use: RoundPages.decide)

    // API v1: reference data
    let api = app.grouped("api", "v1")
    api.get("councils", use: ReferenceAPI.councils)
    api.get("wards", use: ReferenceAPI.wards)
    api.get("districts", use: ReferenceAPI.districts)
    api.get("domains", use: ReferenceAPI.domains)
    api.get("support-menu", use: ReferenceAPI.supportMenu)

    // API v1: members and needs
    api.get("members", use: MembersAPI.list)
    api.get("members", ":id", use: MembersAPI.show)
    api.get("needs", use: NeedsAPI.list)
    api.get("needs", ":id", use: NeedsAPI.show)

    // API v1: matching rounds (staff)
    api.get("matching-rounds", use: RoundsAPI.list)
    api.post("matching-rounds", use: RoundsAPI.create)
    api.get("matching-rounds", ":id", use: RoundsAPI.show)
    api.get("matching-rounds", ":id", "pairs", use: RoundsAPI.pairs)
    api.post("matching-rounds", ":id", "decisions", use: RoundsAPI.decide)
    // MARK: Working groups, theme calls, events, board, coverage, dashboard (groups branch)
    // Pages (every signed-in user; forms check the role or participation themselves)
    app.get("board", use: BoardPage.show)
    app.get("working-groups", ":id", use: WorkingGroupPage.show)
    app.post("working-groups", ":id", "stage", use: WorkingGroupForms.changeStage)
    app.post("working-groups", ":id", "activities", use: WorkingGroupForms.addActivity)
    app.post("working-groups", ":id", "support", use: WorkingGroupForms.addSupport)
    app.post("working-groups", ":id", "support", ":support_id", "status", use: WorkingGroupForms.advanceSupport)
    app.get("theme-calls", use: ThemeCallPages.list)
    app.get("theme-calls", ":id", use: ThemeCallPages.show)
    app.post("theme-calls", ":id", "applications", use: ThemeCallPages.apply)
    app.post("theme-calls", ":id", "working-group", use: ThemeCallPages.formGroup)
    app.get("events", use: EventPages.list)
    app.get("events", "calendar", use: EventPages.calendar)
    app.get("events", ":id", use: EventPages.show)
    app.post("events", ":id", "registrations", use: EventPages.register)
    app.post("events", ":id", "outcomes", use: EventPages.recordOutcome)
    app.get("coverage", use: CoveragePage.show)
    app.get("dashboard", use: DashboardPage.show)

    // API v1: working groups
    api.get("working-groups", use: WorkingGroupsAPI.list)
    api.post("working-groups", use: WorkingGroupsAPI.create)
    api.get("working-groups", ":id", use: WorkingGroupsAPI.show)
    api.patch("working-groups", ":id", use: WorkingGroupsAPI.update)
    api.post("working-groups", ":id", "stage", use: WorkingGroupsAPI.changeStage)
    api.post("working-groups", ":id", "activities", use: WorkingGroupPartsAPI.addActivity)
    api.post("working-groups", ":id", "support", use: WorkingGroupPartsAPI.addSupport)
    api.post("working-groups", ":id", "support", ":support_id", "status", use: WorkingGroupPartsAPI.advanceSupport)
    api.post("working-groups", ":id", "participants", use: WorkingGroupPartsAPI.addParticipant)

    // API v1: theme calls
    api.get("theme-calls", use: ThemeCallsAPI.list)
    api.post("theme-calls", use: ThemeCallsAPI.create)
    api.get("theme-calls", ":id", use: ThemeCallsAPI.show)
    api.get("theme-calls", ":id", "applications", use: ThemeCallsAPI.applications)
    api.post("theme-calls", ":id", "applications", use: ThemeCallsAPI.apply)

    // API v1: events, coverage, dashboard
    api.get("events", use: EventsAPI.list)
    api.post("events", use: EventsAPI.create)
    api.get("events", ":id", use: EventsAPI.show)
    api.post("events", ":id", "registrations", use: EventsAPI.register)
    api.post("events", ":id", "outcomes", use: EventsAPI.recordOutcome)
    api.get("coverage", use: CoverageAPI.show)
    api.get("dashboard", use: DashboardAPI.show)
}
