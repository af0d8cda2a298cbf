import Vapor

/// `tsunagu users create --email E --password P --role member|staff|admin [--member-id ID] [--council-id ID]`
struct UsersCommand: AsyncCommandGroup {
    var commands: [String: any AnyAsyncCommand] { ["create": CreateUserCommand()] }
    var help: String { "Manages sign-in accounts." }
}

struct CreateUserCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "email", help: "E-mail address used to sign in") var email: String?
        @Option(name: "password", help: "At least 10 characters, at most 72 bytes") var password: String?
        @Option(name: "role", help: "member, staff or admin") var role: String?
        @Option(name: "member-id", help: "The member organisation of a member user") var memberID: String?
        @Option(name: "council-id", help: "The council (default: the city-wide council)") var councilID: String?
    }
    var help: String { "Creates a login and prints its id." }

    func run(using context: CommandContext, signature: Signature) async throws {
        guard let email = signature.email else { throw usage("--email is required") }
        guard let password = signature.password else { throw usage("--password is required") }
        guard let role = signature.role.flatMap(UserRole.init(rawValue:)) else {
            throw usage("--role must be member, staff or admin")
        }
        let memberID = try signature.memberID.map { raw in
            guard let id = UUID(uuidString: raw) else { throw usage("--member-id must be a UUID") }
            return id
        }
        let councilID = try signature.councilID.map { raw in
            guard let id = UUID(uuidString: raw) else { throw usage("--council-id must be a UUID") }
            return id
        }
        let app = context.application
        let new = UserAccounts.NewUser(email: email, password: password, role: role, memberID: memberID, councilID: councilID)
        let id = try await app.database.transaction { connection in
            try await UserAccounts.create(new, actor: .system, on: connection, logger: app.logger)
        }
        context.console.print(id.uuidString.lowercased())
    }

    private func usage(_ message: String) -> AppError {
        AppError(.badRequest, code: "usage", ja: message, en: message)
    }
}
