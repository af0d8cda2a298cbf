import PostgresKit

/// Turns a `postgres://` URL into the configurations of PostgresNIO's client and connection.
enum DatabaseURL {
    static func connectionConfiguration(_ url: String) throws -> PostgresConnection.Configuration {
        guard let sql = try? SQLPostgresConfiguration(url: url) else {
            throw ConfigurationError(problems: ["DATABASE_URL is not a valid postgres:// URL"])
        }
        return sql.coreConfiguration
    }

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
        configuration.options.maximumConnections = poolSize
        configuration.options.minimumConnections = 0
        return configuration
    }
}
