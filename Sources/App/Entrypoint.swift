import Vapor
import Logging
import Matching


/// What `tsunagu` does with its arguments. Kept in the library so tests can drive it too.
public enum Entrypoint {
    public static func main() async -> Int32 {
        let arguments = CommandLine.arguments
        // The engine's commands (assign, bench, bench-instance) need no database and no
        // configuration.
        if let status = EngineCommands.run(Array(arguments.dropFirst())) { return status }
        do {
            var environment = try Environment.detect()
            if Environment.get("LOG_FORMAT") == "json" {
                // Containers and log collectors: JSON lines with the request id (see JSONLogHandler).
                let level = Environment.get("LOG_LEVEL").flatMap(Logger.Level.init(rawValue:)) ?? .info
                LoggingSystem.bootstrap { label in
                    var handler = JSONLogHandler(label: label)
                    handler.logLevel = level
                    return handler
                }
            } else {
                try LoggingSystem.bootstrap(from: &environment)
            }
            let app = try await Application.make(environment)
            do {
                let config = try AppConfig.fromEnvironment(workingDirectory: app.directory.workingDirectory)
                try await configure(app, config: config)
            } catch {
                report(error)
                try? await app.asyncShutdown()
                return 1
            }
            do {
                // Vapor's console already printed a failing command's error.
                try await app.execute()
            } catch {
                try? await app.asyncShutdown()
                return 1
            }
            try await app.asyncShutdown()
            return 0
        } catch {
            report(error)
            return 1
        }
    }

    static func report(_ error: any Error) {
        FileHandle.standardError.write(Data("error: \(String(describing: error))\n".utf8))
    }
}
