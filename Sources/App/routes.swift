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
}
