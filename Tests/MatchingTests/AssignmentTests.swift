import Foundation
import Testing
@testable import Matching

@Suite("Assignment: min-cost flow, greedy, re-solve, runner-ups")
struct AssignmentTests {
    @Test func minCostFlowEqualsBruteForceOnSmallInstances() {
        var rng = SplitMix64(seed: 42)
        for k in 0..<400 {
            let p = RandomInstance.make(&rng)
            let optimal = p.evaluate(assigned: MinCostFlow.solve(p))
            #expect(optimal.objective == RandomInstance.bruteForce(p), "instance \(k)")
            #expect(p.evaluate(assigned: Greedy.solve(p)).objective <= optimal.objective, "instance \(k)")
        }
    }

    @Test func assignmentRespectsCapacityWantedAndSinglePairs() {
        var rng = SplitMix64(seed: 7)
        for _ in 0..<100 {
            let p = RandomInstance.make(&rng, maxSide: 8)
            let flags = MinCostFlow.solve(p)
            var load = [Int](repeating: 0, count: p.candidateIds.count)
            var filled = [Int](repeating: 0, count: p.needIds.count)
            for (e, edge) in p.edges.enumerated() where flags[e] {
                load[edge.candidate] += 1
                filled[edge.need] += 1
            }
            #expect(zip(load, p.capacities).allSatisfy { $0 <= $1 })
            #expect(zip(filled, p.wanted).allSatisfy { $0 <= $1 })
        }
    }

    @Test func fixedPairsAreForcedInAndStillOptimalAroundThem() {
        var rng = SplitMix64(seed: 99)
        var checked = 0
        for _ in 0..<300 {
            var p = RandomInstance.make(&rng)
            // Fix one feasible pair that the free optimum did not choose, if any.
            let free = MinCostFlow.solve(p)
            guard let e = p.edges.indices.first(where: { !free[$0] && p.capacities[p.edges[$0].candidate] > 0 }) else { continue }
            p.fixedEdges = [e]
            let flags = MinCostFlow.solve(p)
            #expect(flags[e])
            #expect(p.evaluate(assigned: flags).objective == RandomInstance.bruteForce(p))
            #expect(p.evaluate(assigned: flags).pairs.contains { $0.fixed })
            checked += 1
        }
        #expect(checked > 50)
    }

    @Test func greedyCanLoseCoverageThatTheOptimumKeeps() {
        // c1 is best for both needs, c2 only fits n1: greedy gives c1 to n1 and leaves n2 empty.
        let p = AssignmentProblem(candidateIds: ["c1", "c2"], capacities: [1, 1], needIds: ["n1", "n2"],
                                  wanted: [1, 1], priorities: [1, 1],
                                  edges: [.init(candidate: 0, need: 0, score: 9000), .init(candidate: 0, need: 1, score: 8000),
                                          .init(candidate: 1, need: 0, score: 5000)],
                                  coverageBonus: 1_000_000)
        let greedy = p.evaluate(assigned: Greedy.solve(p))
        let optimal = p.evaluate(assigned: MinCostFlow.solve(p))
        #expect(greedy.coveredNeeds == 1)
        #expect(optimal.coveredNeeds == 2)
        #expect(optimal.objective == 2_000_000 + 8000 + 5000)
        #expect(optimal.pairs.map { "\($0.candidateId)-\($0.needId)" } == ["c2-n1", "c1-n2"])
    }

    @Test func runnerUpReasonsAreCapacityOrScoreGap() throws {
        let p = AssignmentProblem(candidateIds: ["c1", "c2", "c3"], capacities: [1, 1, 1], needIds: ["n1", "n2"],
                                  wanted: [1, 1], priorities: [1, 1],
                                  edges: [.init(candidate: 0, need: 0, score: 9000), .init(candidate: 1, need: 0, score: 8500),
                                          .init(candidate: 1, need: 1, score: 7000), .init(candidate: 2, need: 1, score: 6000)],
                                  coverageBonus: 1_000_000)
        let flags = MinCostFlow.solve(p)
        let runners = RunnerUps.explain(p, assigned: flags, names: ["団体1", "団体2", "団体3"])
        let n1 = try #require(runners.first { $0.needId == "n1" })
        #expect(n1.candidateId == "c2")
        #expect(n1.reason == .capacityUsedElsewhere)
        #expect(n1.assignedElsewhere == 1)
        #expect(n1.sentence == "次点の団体2（スコア 0.8500）は、受入余力 1 件をすべて他のニーズ（1件）に割り当てたため選ばれませんでした。")
        let n2 = try #require(runners.first { $0.needId == "n2" })
        #expect(n2.candidateId == "c3")
        #expect(n2.reason == .scoreGap)
        #expect(n2.scoreGapUnits == 1000)
        #expect(n2.sentence == "次点の団体3（スコア 0.6000）は、採用した候補（最低スコア 0.7000）よりスコアが 0.1000 低いため選ばれませんでした。")
    }

    @Test func resolveDropsRejectedPairsAndKeepsAcceptedOnes() throws {
        let candidates = [Fixture.candidate("a", tags: ["見守り"], capacity: 2), Fixture.candidate("b", tags: ["見守り"]),
                          Fixture.candidate("c", wards: ["麻生区"])]
        let needs = [Fixture.need("n1", tags: ["見守り"]), Fixture.need("n2", tags: ["見守り"])]
        let params = RoundParameters(topL: 1)
        let first = try MatchingEngine.run(candidates: candidates, needs: needs, parameters: params)
        #expect(first.optimal.pairs.map(\.candidateId) == ["a", "a"])
        // Staff reject a–n1 and accept c–n2 (outside the top L).
        let again = try MatchingEngine.resolve(candidates: candidates, needs: needs, parameters: params,
                                               fixed: [PairKey(candidateId: "c", needId: "n2")],
                                               removed: [PairKey(candidateId: "a", needId: "n1")])
        #expect(Fixture.pair(again, "a", "n1") == nil)
        #expect(Fixture.pair(again, "b", "n1")?.rank == 1)
        #expect(again.optimal.pairs.contains { $0.candidateId == "c" && $0.needId == "n2" && $0.fixed })
        #expect(again.optimal.pairs.contains { $0.candidateId == "b" && $0.needId == "n1" })
        #expect(throws: MatchingError.self) {
            try MatchingEngine.resolve(candidates: candidates, needs: needs, parameters: params,
                                       fixed: [PairKey(candidateId: "a", needId: "n1")],
                                       removed: [PairKey(candidateId: "a", needId: "n1")])
        }
    }

    @Test func roundReportsOptimalAndGreedyAndRunnerUps() throws {
        let data = SyntheticData.council(candidates: 60, needs: 80, seed: 21)
        let r = try MatchingEngine.run(candidates: data.candidates, needs: data.needs, parameters: RoundParameters(topL: 10))
        #expect(r.greedy.objective <= r.optimal.objective)
        #expect(r.optimal.coveredNeeds >= r.greedy.coveredNeeds)
        #expect(!r.runnerUps.isEmpty)
        #expect(r.runnerUps.allSatisfy { $0.sentence.hasPrefix("次点の") })
        #expect(r.engineVersion == MatchingEngine.version)
        #expect(r.weightSetName == "standard" && r.weightSetVersion == "1")
    }

    @Test func assignCommandReadsTheDocumentedInstance() throws {
        let input = #"{"coverage_bonus": 1000000, "candidates": [{"id": "c1", "capacity": 2}], "needs": [{"id": "n1", "wanted": 1, "priority": 1}], "pairs": [{"candidate": "c1", "need": "n1", "score": 7342}]}"#
        let output = try AssignCommand.run(input: Data(input.utf8))
        let json = try #require(try JSONSerialization.jsonObject(with: output) as? [String: Any])
        #expect(json["objective"] as? Int == 1_007_342)
        #expect(json["covered_needs"] as? Int == 1)
        let assignment = try #require(json["assignment"] as? [[String: String]])
        #expect(assignment == [["candidate": "c1", "need": "n1"]])
    }

    @Test(arguments: [
        (#"{"coverage_bonus": 1, "candidates": [{"id": "c1", "capacity": 1}], "needs": [{"id": "n1", "wanted": 1, "priority": 1}], "pairs": [{"candidate": "zz", "need": "n1", "score": 1}]}"#, "unknown_candidate", "pairs[0].candidate"),
        (#"{"coverage_bonus": 1, "candidates": [{"id": "c1", "capacity": -1}], "needs": [], "pairs": []}"#, "negative_capacity", "candidates[0].capacity"),
        (#"{"coverage_bonus": 1, "candidates": [], "needs": [{"id": "n1", "wanted": 0, "priority": 1}], "pairs": []}"#, "invalid_wanted", "needs[0].wanted"),
        (#"{"coverage_bonus": 1, "candidates": [{"id": "c1", "capacity": 1}], "needs": [{"id": "n1", "wanted": 1, "priority": 1}], "pairs": [{"candidate": "c1", "need": "n1", "score": 1}, {"candidate": "c1", "need": "n1", "score": 2}]}"#, "duplicate_pair", "pairs[1]"),
        (#"{"coverage_bonus": 1, "candidates": [{"id": "c1", "capacity": 1}, {"id": "c1", "capacity": 1}], "needs": [], "pairs": []}"#, "duplicate_id", "candidates[1].id"),
        (#"{"candidates": [], "needs": [], "pairs": []}"#, "invalid_json", "coverage_bonus"),
    ])
    func assignCommandRejectsBadInputNamingTheField(input: String, code: String, field: String) {
        do {
            _ = try AssignCommand.run(input: Data(input.utf8))
            Issue.record("expected \(code)")
        } catch let error as MatchingError {
            #expect(error.code == code)
            #expect(error.field == field)
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    /// `tsunagu bench-instance` hands networkx the round's own assignment problem: solved
    /// alone, it must give the round's optimum.
    @Test func benchmarkInstanceIsTheRoundsAssignmentProblem() throws {
        let json = try MatchingBenchmark.assignmentInstance(candidates: 60, needs: 40)
        let output = try #require(try JSONSerialization.jsonObject(with: AssignCommand.run(input: json)) as? [String: Any])
        let data = SyntheticData.council(candidates: 60, needs: 40, seed: 20_260_213)
        let round = try MatchingEngine.run(candidates: data.candidates, needs: data.needs)
        #expect(output["objective"] as? Int == round.optimal.objective)
        #expect(output["covered_needs"] as? Int == round.optimal.coveredNeeds)
        #expect(output["total_score"] as? Int == round.optimal.totalScoreUnits)
    }

    @Test func assignCommandIsDeterministic() throws {
        var rng = SplitMix64(seed: 5)
        var pairs: [String] = []
        for c in 0..<6 { for n in 0..<6 { pairs.append(#"{"candidate": "c\#(c)", "need": "n\#(n)", "score": \#(rng.next() % 5)}"#) } }
        let input = #"{"coverage_bonus": 10, "candidates": ["# + (0..<6).map { #"{"id": "c\#($0)", "capacity": 1}"# }.joined(separator: ",")
            + #"], "needs": ["# + (0..<6).map { #"{"id": "n\#($0)", "wanted": 2, "priority": 1}"# }.joined(separator: ",")
            + #"], "pairs": ["# + pairs.joined(separator: ",") + "]}"
        let a = try AssignCommand.run(input: Data(input.utf8))
        let b = try AssignCommand.run(input: Data(input.utf8))
        #expect(a == b)
    }
}
