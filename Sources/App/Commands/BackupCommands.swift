import Vapor
import Foundation

/// `tsunagu backup --output FILE` and `tsunagu restore --input FILE`, over pg_dump / pg_restore
/// (custom format: compressed, restorable table by table). Both read DATABASE_URL.
struct BackupCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "output", help: "The dump file to write") var output: String?
    }
    var help: String { "Writes a pg_dump (custom format) of the database." }

    func run(using context: CommandContext, signature: Signature) async throws {
        guard let output = signature.output else { throw PostgresTool.usage("--output FILE is required") }
        try PostgresTool.run("pg_dump", ["--format=custom", "--no-owner", "--file=\(output)",
                                         "--dbname=\(context.application.config.databaseURL)"])
        context.console.print("Backup written to \(output)")
    }
}

struct RestoreCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "input", help: "A dump written by tsunagu backup") var input: String?
    }
    var help: String { "Restores a tsunagu backup into the database (its tables are replaced)." }

    func run(using context: CommandContext, signature: Signature) async throws {
        guard let input = signature.input else { throw PostgresTool.usage("--input FILE is required") }
        guard FileManager.default.fileExists(atPath: input) else { throw PostgresTool.usage("\(input) does not exist") }
        // One transaction: a failed restore leaves the database as it was.
        try PostgresTool.run("pg_restore", ["--clean", "--if-exists", "--no-owner", "--single-transaction",
                                            "--exit-on-error", "--dbname=\(context.application.config.databaseURL)", input])
        context.console.print("Restored \(input)")
    }
}

enum PostgresTool {
    static func usage(_ message: String) -> AppError { AppError(.badRequest, code: "usage", ja: message, en: message) }

    /// Runs a PostgreSQL client program found on PATH or in Debian's versioned folder.
    static func run(_ program: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try locate(program))
        process.arguments = arguments
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            throw AppError(.internalServerError, code: "\(program)_failed", ja: "\(program) が失敗しました: \(message)",
                           en: "\(program) failed: \(message)")
        }
    }

    static func locate(_ program: String) throws -> String {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        var candidates = path.split(separator: ":").map { "\($0)/\(program)" }
        if let versions = try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql") {
            candidates += versions.sorted(by: >).map { "/usr/lib/postgresql/\($0)/bin/\(program)" }
        }
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw usage("\(program) not found: install Debian's postgresql-client")
        }
        return found
    }
}
