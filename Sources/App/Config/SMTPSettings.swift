import Vapor

/// The SMTP server e-mail goes to. Plain SMTP without TLS: meant for a relay on the same host or
/// network (a local Postfix, a relay in the data centre); see README.
public struct SMTPSettings: Sendable, Equatable {
    public var host: String
    public var port: Int
    /// The envelope and header sender, e.g. tsunagu@city.example.jp.
    public var from: String
    /// AUTH PLAIN is used only when both are set.
    public var username: String?
    public var password: String?

    public init(host: String, port: Int = 25, from: String, username: String? = nil, password: String? = nil) {
        self.host = host
        self.port = port
        self.from = from
        self.username = username
        self.password = password
    }

    /// nil when SMTP_HOST is unset or empty; problems are added for anything malformed.
    static func fromEnvironment(problems: inout [String]) -> SMTPSettings? {
        func value(_ name: String) -> String? { Environment.get(name).flatMap { $0.isEmpty ? nil : $0 } }
        guard let host = value("SMTP_HOST") else { return nil }
        var port = 25
        if let raw = value("SMTP_PORT") {
            if let number = Int(raw), (1...65535).contains(number) { port = number } else {
                problems.append("SMTP_PORT must be a port number from 1 to 65535 (got \"\(raw)\")")
            }
        }
        let from = value("SMTP_FROM") ?? ""
        if from.isEmpty {
            problems.append("SMTP_FROM is not set (the sender address, e.g. tsunagu@city.example.jp); it is required with SMTP_HOST")
        } else if !MailMessage.isPlainAddress(from) {
            problems.append("SMTP_FROM must be a plain address like tsunagu@city.example.jp (got \"\(from)\")")
        }
        let username = value("SMTP_USERNAME"), password = value("SMTP_PASSWORD")
        if (username == nil) != (password == nil) {
            problems.append("SMTP_USERNAME and SMTP_PASSWORD go together: set both (AUTH PLAIN) or neither")
        }
        return SMTPSettings(host: host, port: port, from: from, username: username, password: password)
    }
}
