import Foundation

/// The commands that need only the engine: `assign`, `bench` and `bench-instance`. Both
/// executables run them, `tsunagu` and `tsunagu-engine`; the latter links the `Matching`
/// target alone, so `make bench` builds it in about a minute instead of building the whole
/// server (Vapor, PostgresKit, Leaf) in release mode, which took about 20.
public enum EngineCommands {
    /// Runs the command named by `arguments` (without the program name) and returns its exit
    /// status, or nil if it is not one of the engine's commands.
    public static func run(_ arguments: [String]) -> Int32? {
        guard let command = arguments.first else { return nil }
        let rest = Array(arguments.dropFirst())
        switch command {
        case "assign":
            return assign(rest)
        case "bench":
            // `bench` runs the three sizes of matching.md; `bench C N` one size.
            let size = rest.compactMap { Int($0) }
            print(size.count == 2 ? MatchingBenchmark.run(sizes: [(size[0], size[1])]) : MatchingBenchmark.run())
            return 0
        case "bench-instance":
            // That council's assignment instance, for `assign` and an independent solver
            // (scripts/bench_assignment.py).
            let size = rest.compactMap { Int($0) }
            guard size.count == 2, let json = try? MatchingBenchmark.assignmentInstance(candidates: size[0], needs: size[1]) else {
                FileHandle.standardError.write(Data("usage: \(program) bench-instance CANDIDATES NEEDS\n".utf8))
                return 2
            }
            FileHandle.standardOutput.write(json)
            return 0
        default:
            return nil
        }
    }

    /// `assign --input FILE`: the min-cost-flow assignment on a JSON instance; result JSON on stdout.
    static func assign(_ arguments: [String]) -> Int32 {
        guard arguments.count == 2, arguments[0] == "--input" else {
            FileHandle.standardError.write(Data("usage: \(program) assign --input FILE\n".utf8))
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

    private static var program: String {
        CommandLine.arguments.first.map { URL(fileURLWithPath: $0).lastPathComponent } ?? "tsunagu"
    }
}
