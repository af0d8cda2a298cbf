import PostgresKit

/// Turns a `postgres://` URL into the configurations of PostgresNIO's client and connection.
enum DatabaseURL {
    static func connectionConfiguration(_ url: String) throws -> PostgresConnection.Configuration {
        guard let sql = try? SQLPostgresConfiguration(url: url) else {
            throw ConfigurationError(problems: ["DATABASE_URL is not a valid postgres:// URL"])
        }
        return sql.coreConfiguration
    }

    /// The role the server's pool acts as (Migrations/V0007__app_role.sql): it may not
    /// UPDATE or DELETE audit rows. Asked for in the start-up packet, so every pooled
    /// connection has it from its first query; migrations and the CLI connect without it.
    static let applicationRole = "tsunagu_app"

    static func clientConfiguration(_ url: String, poolSize: Int) throws -> PostgresClient.Configuration {
        let core = try connectionConfiguration(url)
        let tls: PostgresClient.Configuration.TLS =
            switch (core.tls.isEnforced, core.tls.isAllowed) {
            case (true, _): .require(core.tls.sslContext!.configuration)
            case (_, true): .prefer(core.tls.sslContext!.configuration)
            default: .disable
            }
        var configuration: PostgresClient.Configuration
        if let host = core.host, let port = core.port {
            configuration = .init(host: host, port: port, username: core.username,
                                  password: core.password, database: core.database, tls: tls)
        } else if let socket = core.unixSocketPath {
            configuration = .init(unixSocketPath: socket, username: core.username,
                                  password: core.password, database: core.database)
        } else {
            throw ConfigurationError(problems: ["DATABASE_URL names neither a host nor a socket"])
        }
        configuration.options.additionalStartupParameters = [("role", applicationRole)]
        configuration.options.maximumConnections = poolSize
        configuration.options.minimumConnections = 0
        return configuration
    }
}
