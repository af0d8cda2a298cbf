import Foundation
import Matching

// `tsunagu-engine assign | bench | bench-instance`: the engine's commands without the server
// (see `EngineCommands`).
guard let status = EngineCommands.run(Array(CommandLine.arguments.dropFirst())) else {
    FileHandle.standardError.write(Data("usage: tsunagu-engine assign --input FILE | bench [C N] | bench-instance C N\n".utf8))
    exit(2)
}
exit(status)
