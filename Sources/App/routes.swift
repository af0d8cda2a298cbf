import Vapor

/// The one route table.
func routes(_ app: Application) throws {
    // Operations
    app.get("health", use: HealthAPI.health)
    app.get("ready", use: HealthAPI.ready)
    app.get("openapi.json", use: OpenAPIDocument.serve)

    // Pages
    app.get(use: HomePage.show)
    app.get("members", use: MemberPages.list)
    app.get("members", ":id", use: MemberPages.show)
    app.get("needs", use: NeedPages.list)
    app.get("needs", ":id", use: NeedPages.show)
    app.post("language", use: LanguageSwitch.change)

    // Pages: signing in and out (accounts)
    app.get("login", use: LoginPages.show)
    app.post("login", use: LoginPages.signIn)
    app.post("logout", use: LoginPages.signOut)

    // Pages: the member's portal — proposals and the organisation's profile (accounts)
    app.get("portal", use: PortalPages.home)
    app.get("portal", "profile", use: ProfilePages.edit)
    app.post("portal", "profile", use: ProfilePages.save)
    app.get("portal", "proposals", "new", use: ProposalPages.new)
    app.post("portal", "proposals", use: ProposalPages.create)
    app.get("portal", "proposals", ":id", use: ProposalPages.show)
    app.get("portal", "proposals", ":id", "edit", use: ProposalPages.edit)
    app.post("portal", "proposals", ":id", use: ProposalPages.save)
    app.post("portal", "proposals", ":id", "transitions", use: ProposalPages.transition)

    // Pages: staff review of proposals (accounts)
    app.get("review", use: ReviewPages.queue)
    app.get("review", ":id", use: ReviewPages.show)
    app.post("review", ":id", "transitions", use: ReviewPages.transition)

    // Pages: administration — users and the audit log (accounts)
    app.get("admin", "users", use: AdminUserPages.list)
    app.post("admin", "users", use: AdminUserPages.create)
    app.post("admin", "users", ":id", "deactivate", use: AdminUserPages.deactivate)
    app.post("admin", "users", ":id", "password", use: AdminUserPages.resetPassword)
    app.get("admin", "audit", use: AuditLogPage.show)

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
    api.patch("members", ":id", use: MemberProfile.patch)
    api.get("needs", use: NeedsAPI.list)
    api.get("needs", ":id", use: NeedsAPI.show)

    // API v1: sign-in tokens (accounts)
    api.post("auth", "token", use: TokenAPI.create)
    api.get("auth", "tokens", use: TokenAPI.list)
    api.delete("auth", "tokens", ":id", use: TokenAPI.revoke)

    // API v1: proposals and their workflow (accounts)
    api.get("proposals", use: ProposalsAPI.list)
    api.post("proposals", use: ProposalsAPI.create)
    api.get("proposals", ":id", use: ProposalsAPI.show)
    api.patch("proposals", ":id", use: ProposalsAPI.update)
    api.post("proposals", ":id", "transitions", use: ProposalsAPI.transition)

    // API v1: users and the audit log (accounts; admin only)
    api.get("users", use: AdminAPI.users)
    api.post("users", use: AdminAPI.createUser)
    api.post("users", ":id", "deactivate", use: AdminAPI.deactivate)
    api.get("audit-records", use: AdminAPI.auditRecords)
}
