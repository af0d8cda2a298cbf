import Vapor

/// `tsunagu seed [--demo]`: reference data (idempotent); `--demo` adds the demo council data.
struct SeedCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Flag(name: "demo", help: "Also load the demo organisations, needs, proposals and working groups.")
        var demo: Bool
    }
    var help: String { "Loads the reference data (wards, districts, domains, support menu, council); --demo adds demo data." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        let seedDirectory = app.directory.resourcesDirectory + "Seed/"
        let report = try await SingleConnection.with(app.config.databaseURL, logger: app.logger) { connection in
            try await Migrator(files: app.migrationFiles).requireUpToDate(on: connection, logger: app.logger)
            var report = try await ReferenceSeed.load(from: seedDirectory, on: connection, logger: app.logger)
            if signature.demo {
                report += try await DemoSeed.load(from: seedDirectory + "demo/", on: connection, logger: app.logger)
            }
            return report
        }
        context.console.print(report.summary)
    }
}
