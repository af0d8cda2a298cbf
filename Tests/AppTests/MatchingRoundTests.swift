import Foundation
import Testing
import Vapor
import VaporTesting
import Matching
@testable import App

struct RoundBody: Decodable {
    struct Assigned: Decodable { var candidateId: UUID; var needId: UUID; var score: Double; var fixed: Bool; var contributions: [String: Double] }
    struct Summary: Decodable { var objective: Int; var coveredNeeds: Int; var totalScore: Double }
    var id: UUID
    var status: String
    var engineVersion: String
    var snapshotHash: String
    var solution: Int
    var candidateCount: Int
    var needCount: Int
    var optimal: Summary
    var greedy: Summary
    var assignment: [Assigned]
}

struct PairBody: Decodable {
    var needId: UUID
    var candidateId: UUID
    var rank: Int
    var score: Double
    var contributions: [String: Double]
    var explanations: [String: String]
    var decision: String?
}

extension Application {
    func sendRaw(_ method: HTTPMethod, _ path: String, json: [String: any Sendable], headers: HTTPHeaders) async throws -> (HTTPStatus, Data) {
        var result: (HTTPStatus, Data)?
        let body = try JSONSerialization.data(withJSONObject: json)
        try await testing().test(method, path, headers: headers, beforeRequest: { request in
            request.headers.contentType = .json
            request.body = ByteBuffer(data: body)
        }, afterResponse: { response async in
            result = (response.status, Data(buffer: response.body))
        })
        return result!
    }

    func runRound(_ json: [String: any Sendable] = ["candidates": "members"], as email: String = "staff@demo.tsunagu.example") async throws -> RoundBody {
        let (status, data) = try await sendRaw(.POST, "/api/v1/matching-rounds", json: json, headers: try await signedIn(as: email))
        #expect(status == .created, "\(String(decoding: data, as: UTF8.self))")
        return try snakeDecoder.decode(RoundBody.self, from: data)
    }
}

let snakeDecoder: JSONDecoder = {
    let decoder = JSONDecoder()
    decoder.keyDecodingStrategy = .convertFromSnakeCase
    decoder.dateDecodingStrategy = .iso8601
    return decoder
}()

@Suite("Matching rounds")
struct MatchingRoundTests {
    @Test func aRoundStoresEverythingItPromised() async throws {
        try await withTestApp { app in
            let round = try await app.runRound()
            #expect(round.status == "completed")
            #expect(round.engineVersion == MatchingEngine.version)
            #expect(round.candidateCount == 131)
            let openNeeds = try await app.count("SELECT count(*)::int FROM needs WHERE status IN ('open', 'matching')")
            #expect(round.needCount == openNeeds)
            #expect(round.solution == 0)
            #expect(round.optimal.objective >= round.greedy.objective)
            #expect(round.optimal.coveredNeeds >= round.greedy.coveredNeeds)
            let row = try #require(try await app.rows("""
                SELECT weight_set_name, weight_set_version, top_l, timings::text, snapshot::text, snapshot_hash
                FROM matching_rounds WHERE id = \(round.id)
                """).first)
            #expect(try row.get("weight_set_name", as: String.self) == "standard")
            #expect(try row.get("weight_set_version", as: String.self) == WeightSet.standard.version)
            #expect(try row.get("top_l", as: Int32.self) == 50)
            let timings = try JSONDecoder().decode(RoundTimings.self, from: Data(try row.get("timings", as: String.self).utf8))
            #expect(timings.scoringMs >= 0 && timings.assignmentMs >= 0)
            // Writing the explanations is timed as a phase of its own.
            #expect(timings.explanationMs > 0)
            // The stored hash is the hash of the stored snapshot.
            let snapshot = try JSONDecoder().decode(RoundSnapshot.self, from: Data(try row.get("snapshot", as: String.self).utf8))
            #expect(try snapshot.hash() == round.snapshotHash)
            // Every kept pair has its breakdown, and contributions add up to the score.
            let pairs = try await app.rows("SELECT score, contributions::text FROM matching_pairs WHERE round_id = \(round.id)")
            #expect(pairs.count > 0)
            for pair in pairs.prefix(50) {
                let contributions = try JSONDecoder().decode([String: Double].self, from: Data(try pair.get("contributions", as: String.self).utf8))
                #expect(Set(contributions.keys) == Set(Feature.allCases.map(\.rawValue)))
                #expect(abs(contributions.values.reduce(0, +) - (try pair.get("score", as: Double.self))) < 1e-9)
            }
            // Runner-up reasons are stored for the first solution.
            #expect(try await app.count("SELECT count(*)::int FROM matching_runner_ups WHERE round_id = \(round.id) AND solution = 0") > 0)
            #expect(try await app.count("SELECT count(*)::int FROM audit_records WHERE action = 'matching_round.run' AND entity_id = \(round.id.uuidString.lowercased())") == 1)
        }
    }

    @Test func runningTheEngineOnTheStoredSnapshotGivesTheIdenticalResult() async throws {
        try await withTestApp { app in
            let round = try await app.runRound()
            let text = try await app.rows("SELECT snapshot::text FROM matching_rounds WHERE id = \(round.id)").first!.get("snapshot", as: String.self)
            let snapshot = try JSONDecoder().decode(RoundSnapshot.self, from: Data(text.utf8))
            let again = try MatchingEngine.run(candidates: snapshot.candidates, needs: snapshot.needs, parameters: snapshot.parameters)
            let stored = try await app.rows("""
                SELECT need_id, candidate_id, rank, score FROM matching_pairs WHERE round_id = \(round.id) ORDER BY need_id, rank
                """)
            #expect(stored.count == again.pairs.count)
            let rerun = again.pairs.sorted { ($0.needId, $0.rank) < ($1.needId, $1.rank) }
            for (row, pair) in zip(stored, rerun) {
                #expect(try row.get("need_id", as: UUID.self) == UUID(uuidString: pair.needId))
                #expect(try row.get("candidate_id", as: UUID.self) == UUID(uuidString: pair.candidateId))
                #expect(try row.get("score", as: Double.self) == pair.score)
            }
            #expect(again.optimal.objective == round.optimal.objective)
            let assigned = Set(round.assignment.map { "\($0.needId.uuidString.lowercased())/\($0.candidateId.uuidString.lowercased())" })
            #expect(assigned == Set(again.optimal.pairs.map { "\($0.needId)/\($0.candidateId)" }))
        }
    }

    @Test func theFourRealStoriesRankTheRightOrganisationFirst() async throws {
        try await withTestApp { app in
            let round = try await app.runRound()
            let stories = try DemoData.load([DemoData.Story].self, TestPaths.seed + "demo/stories.json")
            #expect(stories.count == 4)
            for story in stories {
                let need = DemoData.id(story.need)
                let (_, pairs) = try await app.getJSON("/api/v1/matching-rounds/\(round.id)/pairs?need_id=\(need)&per_page=3",
                                                       as: ListBody<PairBody>.self,
                                                       headers: try await app.signedIn(as: "staff@demo.tsunagu.example"))
                let first = try #require(pairs.items.first, "\(story.story)")
                #expect(first.rank == 1)
                #expect(first.candidateId == DemoData.id(story.member), "\(story.story): \(first.explanations)")
                #expect(!first.explanations["text", default: ""].isEmpty)
            }
        }
    }

    @Test func acceptingAPairMakesAnIntroductionAndFixesItInTheNextSolution() async throws {
        try await withTestApp { app in
            let staff = try await app.signedIn(as: "staff@demo.tsunagu.example")
            let round = try await app.runRound()
            // Accept the runner-up of some need: it must be forced into the re-solved assignment.
            let (_, pairs) = try await app.getJSON("/api/v1/matching-rounds/\(round.id)/pairs?per_page=200", as: ListBody<PairBody>.self, headers: staff)
            let assigned = Set(round.assignment.map { "\($0.needId)/\($0.candidateId)" })
            let pick = try #require(pairs.items.first { $0.rank == 2 && !assigned.contains("\($0.needId)/\($0.candidateId)") })
            let (status, data) = try await app.sendRaw(.POST, "/api/v1/matching-rounds/\(round.id)/decisions",
                                                    json: ["candidate_id": pick.candidateId.uuidString, "need_id": pick.needId.uuidString,
                                                           "decision": "accepted"], headers: staff)
            #expect(status == .created, "\(String(decoding: data, as: UTF8.self))")
            struct Decided: Decodable { var introductionId: UUID?; var round: RoundBody }
            let decided = try snakeDecoder.decode(Decided.self, from: data)
            #expect(decided.round.solution == 1)
            #expect(decided.round.assignment.contains { $0.needId == pick.needId && $0.candidateId == pick.candidateId && $0.fixed })
            let introduction = try #require(decided.introductionId)
            #expect(try await app.count("SELECT count(*)::int FROM introductions WHERE id = \(introduction) AND member_id = \(pick.candidateId) AND need_id = \(pick.needId)") == 1)
            #expect(try await app.count("SELECT count(*)::int FROM support_provided WHERE introduction_id = \(introduction) AND item = 'partner_matching'") == 1)
            #expect(try await app.count("SELECT count(*)::int FROM needs WHERE id = \(pick.needId) AND status IN ('matching', 'in_progress', 'met')") == 1)
            #expect(try await app.count("SELECT count(*)::int FROM audit_records WHERE action = 'matching_round.decide'") == 1)

            // Accepting it again is a conflict and changes nothing.
            let (again, _) = try await app.sendRaw(.POST, "/api/v1/matching-rounds/\(round.id)/decisions",
                                                json: ["candidate_id": pick.candidateId.uuidString, "need_id": pick.needId.uuidString,
                                                       "decision": "accepted"], headers: staff)
            #expect(again == .conflict)
            #expect(try await app.count("SELECT count(*)::int FROM introductions") == 1)
        }
    }

    @Test func rejectingAnAssignedPairRemovesItFromTheNextSolution() async throws {
        try await withTestApp { app in
            let staff = try await app.signedIn(as: "staff@demo.tsunagu.example")
            let round = try await app.runRound()
            let victim = try #require(round.assignment.first)
            let (status, data) = try await app.sendRaw(.POST, "/api/v1/matching-rounds/\(round.id)/decisions",
                                                    json: ["candidate_id": victim.candidateId.uuidString, "need_id": victim.needId.uuidString,
                                                           "decision": "rejected", "note": "既に別事業で連携中"], headers: staff)
            #expect(status == .created)
            struct Decided: Decodable { var round: RoundBody }
            let next = try snakeDecoder.decode(Decided.self, from: data).round
            #expect(next.solution == 1)
            #expect(!next.assignment.contains { $0.needId == victim.needId && $0.candidateId == victim.candidateId })
            #expect(try await app.count("SELECT count(*)::int FROM introductions") == 0)
            // Holding a pair records the decision and changes no constraint.
            let other = try #require(round.assignment.dropFirst().first)
            let (held, _) = try await app.sendRaw(.POST, "/api/v1/matching-rounds/\(round.id)/decisions",
                                               json: ["candidate_id": other.candidateId.uuidString, "need_id": other.needId.uuidString,
                                                      "decision": "held"], headers: staff)
            #expect(held == .created)
            #expect(try await app.count("SELECT count(*)::int FROM matching_solutions WHERE round_id = \(round.id)") == 3)
        }
    }

    @Test func decisionsOnPairsTheRoundNeverScoredAreRefused() async throws {
        try await withTestApp { app in
            let staff = try await app.signedIn(as: "staff@demo.tsunagu.example")
            let round = try await app.runRound()
            let (status, data) = try await app.sendRaw(.POST, "/api/v1/matching-rounds/\(round.id)/decisions",
                                                    json: ["candidate_id": UUID().uuidString, "need_id": UUID().uuidString, "decision": "accepted"],
                                                    headers: staff)
            #expect(status == .unprocessableEntity)
            #expect(try snakeDecoder.decode(ErrorBody.self, from: data).error.field == "candidate_id")
            let (bad, badData) = try await app.sendRaw(.POST, "/api/v1/matching-rounds/\(round.id)/decisions",
                                                    json: ["candidate_id": UUID().uuidString, "need_id": UUID().uuidString, "decision": "maybe"],
                                                    headers: staff)
            #expect(bad == .unprocessableEntity)
            #expect(try snakeDecoder.decode(ErrorBody.self, from: badData).error.field == "decision")
            #expect(try await app.count("SELECT count(*)::int FROM matching_decisions") == 0)
        }
    }

    @Test func proposalsCanBeTheCandidates() async throws {
        try await withTestApp { app in
            let round = try await app.runRound(["candidates": "proposals", "top_l": 10, "filters": ["domain_must_match": true]])
            let proposals = try await app.count("SELECT count(*)::int FROM proposals WHERE status IN ('submitted', 'in_review', 'accepted')")
            #expect(round.candidateCount == proposals)
            let (_, pairs) = try await app.getJSON("/api/v1/matching-rounds/\(round.id)/pairs?per_page=200", as: ListBody<PairBody>.self,
                                                   headers: try await app.signedIn(as: "staff@demo.tsunagu.example"))
            #expect(pairs.items.allSatisfy { $0.rank <= 10 && $0.contributions["domain", default: 0] > 0 })
        }
    }

    @Test(arguments: [
        (["candidates": "everyone"] as [String: any Sendable], "candidates"),
        (["candidates": "members", "top_l": 0] as [String: any Sendable], "top_l"),
        (["candidates": "members", "weights": ["charm": 1.0]] as [String: any Sendable], "weights.charm"),
        (["candidates": "members", "weights": ["text": -1.0]] as [String: any Sendable], "weights.text"),
        (["candidates": "members", "filters": ["domain": "health"]] as [String: any Sendable], "filters.domain"),
    ])
    func badRoundRequestsAre422sNamingTheField(body: [String: any Sendable], field: String) async throws {
        try await withTestApp() { app in
            let (status, data) = try await app.sendRaw(.POST, "/api/v1/matching-rounds", json: body,
                                                    headers: try await app.signedIn(as: "staff@demo.tsunagu.example"))
            #expect(status == .unprocessableEntity)
            #expect(try snakeDecoder.decode(ErrorBody.self, from: data).error.field == field)
            #expect(try await app.count("SELECT count(*)::int FROM matching_rounds") == 0)
        }
    }

    @Test func onlyStaffRunAndReadRounds() async throws {
        try await withTestApp { app in
            let (anonymous, _) = try await app.sendRaw(.POST, "/api/v1/matching-rounds", json: ["candidates": "members"], headers: [:])
            #expect(anonymous == .unauthorized)
            let (member, _) = try await app.sendRaw(.POST, "/api/v1/matching-rounds", json: ["candidates": "members"],
                                                 headers: try await app.signedIn(as: "member@demo.tsunagu.example"))
            #expect(member == .forbidden)
            let round = try await app.runRound()
            let (status, _, _) = try await app.get("/api/v1/matching-rounds/\(round.id)",
                                                   headers: try await app.signedIn(as: "member@demo.tsunagu.example"))
            #expect(status == .forbidden)
            #expect(try await app.count("SELECT count(*)::int FROM matching_rounds") == 1)
        }
    }
}

@Suite("Matching rounds in the background")
struct RoundQueueTests {
    @Test func aBackgroundRoundAnswersAtOnceShowsProgressAndThenItsResult() async throws {
        try await withTestApp { app in
            let staff = try await app.signedIn(as: "staff@demo.tsunagu.example")
            let (status, data) = try await app.sendRaw(.POST, "/api/v1/matching-rounds",
                                                    json: ["candidates": "members", "mode": "background"], headers: staff)
            #expect(status == .accepted)
            struct Queued: Decodable { var id: UUID; var status: String; var progress: Double }
            let queued = try snakeDecoder.decode(Queued.self, from: data)
            #expect(queued.status == "queued")

            // While it waits, the page shows its progress and refreshes itself.
            let (pageStatus, _, page) = try await app.get("/staff/matching/\(queued.id.uuidString.lowercased())", headers: staff)
            #expect(pageStatus == .ok)
            _ = try XHTML(page)
            #expect(page.contains("<progress max=\"100\" value=\"0\">"))
            #expect(page.contains("http-equiv=\"refresh\""))

            // The worker claims it, runs it, and stores the same result an inline round would.
            #expect(try await RoundQueue.runNext(on: app.database))
            #expect(try await RoundQueue.runNext(on: app.database) == false)
            let (_, done) = try await app.getJSON("/api/v1/matching-rounds/\(queued.id)", as: RoundBody.self, headers: staff)
            #expect(done.status == "completed")
            let inline = try await app.runRound()
            #expect(done.snapshotHash == inline.snapshotHash)
            #expect(done.optimal.objective == inline.optimal.objective)
            #expect(Set(done.assignment.map { "\($0.needId)\($0.candidateId)" }) == Set(inline.assignment.map { "\($0.needId)\($0.candidateId)" }))
        }
    }
}

@Suite("Accepted pairs as working groups")
struct AcceptedPairGroupTests {
    @Test func staffMayTurnAnAcceptedPairIntoAWorkingGroupInsteadOfAnIntroduction() async throws {
        try await withTestApp { app in
            let staff = try await app.signedIn(as: "staff@demo.tsunagu.example")
            let round = try await app.runRound()
            let pair = try #require(round.assignment.first)
            let (status, data) = try await app.sendRaw(.POST, "/api/v1/matching-rounds/\(round.id)/decisions",
                                                       json: ["candidate_id": pair.candidateId.uuidString, "need_id": pair.needId.uuidString,
                                                              "decision": "accepted", "outcome": "working_group"], headers: staff)
            #expect(status == .created, "\(String(decoding: data, as: UTF8.self))")
            struct Decided: Decodable { var introductionId: UUID?; var workingGroupId: UUID? }
            let decided = try snakeDecoder.decode(Decided.self, from: data)
            #expect(decided.introductionId == nil)
            let group = try #require(decided.workingGroupId)
            // A member answering a region's need: a theme-type group on that need, led by the member.
            #expect(try await app.count("""
                SELECT count(*)::int FROM working_groups w JOIN working_group_needs n ON n.working_group_id = w.id
                JOIN working_group_participants p ON p.working_group_id = w.id AND p.role = 'lead'
                WHERE w.id = \(group) AND w.type = 'theme' AND n.need_id = \(pair.needId) AND p.member_id = \(pair.candidateId)
                """) == 1)
            #expect(try await app.count("SELECT count(*)::int FROM matching_decisions WHERE working_group_id = \(group)") == 1)
            #expect(try await app.count("SELECT count(*)::int FROM introductions") == 0)
            #expect(try await app.count("SELECT count(*)::int FROM audit_records WHERE action = 'working_group.create' AND entity_id = \(group.uuidString.lowercased())") == 1)
        }
    }
}
