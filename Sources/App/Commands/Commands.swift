import Vapor

func registerCommands(_ app: Application) {
    if let serve = app.asyncCommands.commands["serve"] as? ServeCommand {
        app.asyncCommands.use(GuardedServeCommand(inner: serve), as: "serve", isDefault: true)
    }
    app.asyncCommands.use(MigrateCommand(), as: "migrate")
    app.asyncCommands.use(SeedCommand(), as: "seed")
    app.asyncCommands.use(UsersCommand(), as: "users")
    app.asyncCommands.use(MatchCommand(), as: "match")
    app.asyncCommands.use(BackupCommand(), as: "backup")
    app.asyncCommands.use(RestoreCommand(), as: "restore")
    app.asyncCommands.use(NotificationsCommand(), as: "notifications")
}
