import Vapor
import Leaf

/// Builds the whole application from an explicit configuration, so tests run exactly what production runs.
public func configure(_ app: Application, config: AppConfig) async throws {
    app.storage[AppConfigKey.self] = config

    _ = installJSONCoders
    _ = AppMetrics.bootstrap

    try app.startDatabase(url: config.databaseURL, poolSize: config.databasePoolSize)
    app.migrationFiles = try MigrationFile.load(from: config.migrationsDirectory)
    app.localizer = try Localizer.load(from: app.directory.resourcesDirectory + "Localization/")

    app.views.use(.leaf)
    // Parsed templates are always cached (see TemplateCache: setting Leaf's own cache to enabled is
    // undone by Leaf in the development environment). A template edit needs a restart, which
    // `make run` does anyway since it rebuilds.
    app.leaf.cache = TemplateCache()
    app.routes.defaultMaxBodySize = "1mb"

    // Errors are caught innermost-out: the error middleware sits right after the file server.
    app.middleware = Middlewares()
    // One line per request (method and path, never the query or body), carrying the request id.
    app.middleware.use(RouteLoggingMiddleware(logLevel: .info))
    app.middleware.use(SecurityHeadersMiddleware(servesTLS: config.servesTLS))
    app.middleware.use(AppErrorMiddleware())
    app.middleware.use(FileMiddleware(publicDirectory: app.directory.publicDirectory))
    // Before anything that reads the database (sessions first): 503 at once while it is down.
    app.middleware.use(DatabaseGateMiddleware(gate: app.databaseGate))
    app.middleware.use(SessionAuthenticator())
    app.middleware.use(BearerAuthenticator())
    app.middleware.use(CSRFMiddleware())
    app.middleware.use(UnreadNotificationsMiddleware())

    try routes(app)
    registerCommands(app)
}

/// JSON is snake_case with RFC 3339 dates. `ContentConfiguration.global` is process-wide,
/// so it is set exactly once even when tests configure many applications at the same time.
private let installJSONCoders: Void = {
    let encoder = JSONEncoder()
    encoder.keyEncodingStrategy = .convertToSnakeCase
    encoder.dateEncodingStrategy = .iso8601
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    let decoder = JSONDecoder()
    decoder.keyDecodingStrategy = .convertFromSnakeCase
    decoder.dateDecodingStrategy = .iso8601
    ContentConfiguration.global.use(encoder: encoder, for: .json)
    ContentConfiguration.global.use(decoder: decoder, for: .json)
}()

struct AppConfigKey: StorageKey { typealias Value = AppConfig }

extension Application {
    public var config: AppConfig {
        guard let config = storage[AppConfigKey.self] else { fatalError("configure() was not called") }
        return config
    }
}
