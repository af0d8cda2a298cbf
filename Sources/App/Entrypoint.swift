import Vapor
import Logging
import Matching


/// What `tsunagu` does with its arguments. Kept in the library so tests can drive it too.
public enum Entrypoint {
    public static func main() async -> Int32 {
        let arguments = CommandLine.arguments
        // The assignment alone needs no database and no configuration.
        if arguments.dropFirst().first == "assign" {
            return AssignCLI.run(Array(arguments.dropFirst(2)))
        }
        // So does the engine benchmark: it generates its own synthetic councils.
        if arguments.dropFirst().first == "bench" {
            // `tsunagu bench` runs the three sizes of matching.md; `tsunagu bench C N` one size.
            let size = arguments.dropFirst(2).compactMap { Int($0) }
            print(size.count == 2 ? MatchingBenchmark.run(sizes: [(size[0], size[1])]) : MatchingBenchmark.run())
            return 0
        }
        // `tsunagu bench-instance C N`: that council's assignment instance, for `tsunagu assign`
        // and an independent solver (scripts/bench_assignment.py).
        if arguments.dropFirst().first == "bench-instance" {
            let size = arguments.dropFirst(2).compactMap { Int($0) }
            guard size.count == 2, let json = try? MatchingBenchmark.assignmentInstance(candidates: size[0], needs: size[1]) else {
                FileHandle.standardError.write(Data("usage: tsunagu bench-instance CANDIDATES NEEDS\n".utf8))
                return 2
            }
            FileHandle.standardOutput.write(json)
            return 0
        }
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

/// `tsunagu assign --input FILE`: the min-cost-flow assignment on a JSON instance; result JSON on stdout.
enum AssignCLI {
    static func run(_ arguments: [String]) -> Int32 {
        guard arguments.count == 2, arguments[0] == "--input" else {
            FileHandle.standardError.write(Data("usage: tsunagu assign --input FILE\n".utf8))
            return 2
        }
        guard let data = FileManager.default.contents(atPath: arguments[1]) else {
            FileHandle.standardError.write(Data("error: cannot read \(arguments[1])\n".utf8))
            return 1
        }
        do {
            let output = try AssignCommand.run(input: data)
            FileHandle.standardOutput.write(output)
            FileHandle.standardOutput.write(Data("\n".utf8))
            return 0
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            return 1
        }
    }
}
