import Vapor

/// Everything the app reads from its environment, read once at start-up.
/// Missing or malformed settings are all reported together, then the process exits:
/// a silent default database password is worse than not starting.
public struct AppConfig: Sendable {
    public var databaseURL: String
    /// Connections the app keeps to PostgreSQL. Requests hold a connection only for the
    /// duration of their queries, so a small pool (about 2 × cores) keeps PostgreSQL's own
    /// CPU from being oversubscribed on a small machine while never queueing for long.
    public var databasePoolSize: Int
    /// Served over TLS (directly or behind a TLS-terminating proxy): enables Secure cookies and HSTS.
    public var servesTLS: Bool
    /// Where the SQL migration files live.
    public var migrationsDirectory: String
    /// Where e-mail is sent; nil keeps every message in the outbox for staff to see (/staff/outbox).
    public var smtp: SMTPSettings?
    /// The Asia/Tokyo hour (0–23) at which the server composes the daily digests.
    public var digestHour: Int
    /// The site's public address for links in e-mails (e.g. https://tsunagu.example.jp); nil: paths only.
    public var publicURL: String?

    /// The names of every setting the app reads (LOG_LEVEL through Vapor's logging bootstrap;
    /// LOG_FORMAT=json for JSON lines).
    /// The docker-compose test checks the compose file against these.
    public static let environmentNames = ["DATABASE_URL", "DATABASE_POOL_SIZE", "TSUNAGU_TLS", "TSUNAGU_MIGRATIONS_DIR", "LOG_LEVEL",
                                                "LOG_FORMAT", "SMTP_HOST", "SMTP_PORT", "SMTP_FROM", "SMTP_USERNAME",
                                                "SMTP_PASSWORD", "NOTIFICATIONS_DIGEST_HOUR", "TSUNAGU_PUBLIC_URL"]

    public init(databaseURL: String, databasePoolSize: Int = 8, servesTLS: Bool = false, migrationsDirectory: String,
                smtp: SMTPSettings? = nil, digestHour: Int = 8, publicURL: String? = nil) {
        self.databaseURL = databaseURL
        self.databasePoolSize = databasePoolSize
        self.servesTLS = servesTLS
        self.migrationsDirectory = migrationsDirectory
        self.smtp = smtp
        self.digestHour = digestHour
        self.publicURL = publicURL
    }

    public static func fromEnvironment(workingDirectory: String) throws -> AppConfig {
        var problems: [String] = []
        let url = Environment.get("DATABASE_URL") ?? ""
        if url.isEmpty {
            problems.append("DATABASE_URL is not set (a postgres:// URL, e.g. postgres://postgres@127.0.0.1:5432/tsunagu)")
        } else if !(url.hasPrefix("postgres://") || url.hasPrefix("postgresql://")) {
            problems.append("DATABASE_URL must start with postgres:// or postgresql://")
        }
        var pool = 8
        if let raw = Environment.get("DATABASE_POOL_SIZE") {
            if let value = Int(raw), (1...200).contains(value) { pool = value } else {
                problems.append("DATABASE_POOL_SIZE must be a whole number between 1 and 200 (got \"\(raw)\")")
            }
        }
        var tls = false
        if let raw = Environment.get("TSUNAGU_TLS") {
            switch raw.lowercased() {
            case "1", "true", "yes": tls = true
            case "0", "false", "no", "": tls = false
            default: problems.append("TSUNAGU_TLS must be true or false (got \"\(raw)\")")
            }
        }
        let migrations = Environment.get("TSUNAGU_MIGRATIONS_DIR") ?? workingDirectory + "Migrations"
        let smtp = SMTPSettings.fromEnvironment(problems: &problems)
        var digestHour = 8
        if let raw = Environment.get("NOTIFICATIONS_DIGEST_HOUR"), !raw.isEmpty {
            if let value = Int(raw), (0...23).contains(value) { digestHour = value } else {
                problems.append("NOTIFICATIONS_DIGEST_HOUR must be an hour from 0 to 23 (Asia/Tokyo) (got \"\(raw)\")")
            }
        }
        var publicURL = Environment.get("TSUNAGU_PUBLIC_URL").flatMap { $0.isEmpty ? nil : $0 }
        if let given = publicURL {
            if given.hasPrefix("http://") || given.hasPrefix("https://") {
                publicURL = given.hasSuffix("/") ? String(given.dropLast()) : given
            } else {
                problems.append("TSUNAGU_PUBLIC_URL must start with http:// or https:// (got \"\(given)\")")
            }
        }
        if !problems.isEmpty { throw ConfigurationError(problems: problems) }
        return AppConfig(databaseURL: url, databasePoolSize: pool, servesTLS: tls, migrationsDirectory: migrations,
                         smtp: smtp, digestHour: digestHour, publicURL: publicURL)
    }
}

public struct ConfigurationError: Error, CustomStringConvertible {
    public var problems: [String]
    public var description: String {
        "Tsunagu cannot start; fix these settings:\n" + problems.map { "  - \($0)" }.joined(separator: "\n")
    }
}
