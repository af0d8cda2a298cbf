import Foundation
import Testing
import Yams
@testable import App

/// No Docker engine runs here, so the compose file and Dockerfile are checked as files.
@Suite("Deployment files")
struct DeploymentFilesTests {
    func compose() throws -> [String: Any] {
        let text = try String(contentsOfFile: TestPaths.root + "docker-compose.yml", encoding: .utf8)
        return try #require(try Yams.load(yaml: text) as? [String: Any])
    }

    @Test func composeHasTheDatabaseAOneShotMigrateAndTheApp() throws {
        let services = try #require(try compose()["services"] as? [String: Any])
        #expect(Set(services.keys) == ["db", "migrate", "app"])
        let db = try #require(services["db"] as? [String: Any])
        #expect((db["image"] as? String)?.hasPrefix("postgres:") == true)
        #expect(db["healthcheck"] != nil)
        #expect((db["volumes"] as? [String])?.isEmpty == false)
        let migrate = try #require(services["migrate"] as? [String: Any])
        #expect((migrate["entrypoint"] as? [String])?.joined(separator: " ").contains("tsunagu migrate") == true)
        #expect(migrate["restart"] as? String == "no")
        let app = try #require(services["app"] as? [String: Any])
        let dependsOn = try #require(app["depends_on"] as? [String: [String: String]])
        #expect(dependsOn["db"]?["condition"] == "service_healthy")
        #expect(dependsOn["migrate"]?["condition"] == "service_completed_successfully")
        #expect((app["ports"] as? [String])?.contains("8080:8080") == true)
    }

    @Test func composeEnvironmentNamesAreExactlyWhatTheAppReads() throws {
        let services = try #require(try compose()["services"] as? [String: Any])
        for name in ["migrate", "app"] {
            let service = try #require(services[name] as? [String: Any])
            let environment = try #require(service["environment"] as? [String: Any])
            #expect(Set(environment.keys).isSubset(of: Set(AppConfig.environmentNames)), "\(name): \(environment.keys.sorted())")
            #expect(environment["DATABASE_URL"] as? String == "postgres://tsunagu:tsunagu@db:5432/tsunagu")
        }
        // The database the URL names is the one the db service creates.
        let db = try #require(services["db"] as? [String: Any])
        let dbEnvironment = try #require(db["environment"] as? [String: String])
        #expect(dbEnvironment["POSTGRES_USER"] == "tsunagu")
        #expect(dbEnvironment["POSTGRES_DB"] == "tsunagu")
    }

    @Test func dockerfileBuildsInOneStageAndRunsInAnother() throws {
        let text = try String(contentsOfFile: TestPaths.root + "Dockerfile", encoding: .utf8)
        let stages = text.split(separator: "\n").filter { $0.hasPrefix("FROM ") }
        #expect(stages.count == 2)
        #expect(text.contains("COPY --from=build"))
        // Everything the binary reads at run time is copied next to it.
        for folder in ["Migrations", "Resources", "Public"] { #expect(text.contains("COPY \(folder) ")) }
        #expect(text.contains("USER tsunagu"))
    }
}
