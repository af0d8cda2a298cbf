import Foundation
import Testing
@testable import Matching

/// Pins whole rounds to digests recorded before the performance work, so an optimisation
/// that changes any score, rank, explanation, assignment or runner-up fails here.
/// The digests were computed by the engine of commit 15dbf7b ("Matching engine and
/// matching rounds"). If a change of behaviour is intended, bump `MatchingEngine.version`
/// and record new digests on purpose — never to make a speed-up pass.
/// Engine 1.1.0 (dense scoring, coverage-first assignment) reproduces every digest: only
/// its version label differs, and `digest` writes the label the digests were recorded with.
@Suite("Golden rounds")
struct GoldenTests {
    /// FNV-1a (64 bit) of the round as sorted-key JSON, timings zeroed. JSON prints doubles
    /// in their shortest round-trip form, so a change in the last bit of a score shows.
    static func digest(_ result: RoundResult) throws -> String {
        var r = result
        r.timings = RoundTimings(preparationMs: 0, scoringMs: 0, assignmentMs: 0, greedyMs: 0)
        #expect(r.engineVersion == MatchingEngine.version)
        r.engineVersion = "1.0.0"
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in try encoder.encode(r) {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return String(format: "%016llx", hash)
    }

    /// Few candidates, many needs (like today's council: 131 × 500): capacity is scarce, so
    /// the assignment has to trade needs against each other.
    @Test func scarceCandidates() throws {
        let data = SyntheticData.council(candidates: 150, needs: 600, seed: 20_260_213)
        let r = try MatchingEngine.run(candidates: data.candidates, needs: data.needs)
        #expect(r.pairs.count == 600 * 50)
        let digest = try Self.digest(r)
        #expect(digest == "1c939be6cbb94b4f")
    }

    /// Many candidates, fewer needs: the top-L search does the work; small L.
    @Test func plentyOfCandidates() throws {
        let data = SyntheticData.council(candidates: 3_000, needs: 300, seed: 77)
        let r = try MatchingEngine.run(candidates: data.candidates, needs: data.needs, parameters: RoundParameters(topL: 20))
        let digest = try Self.digest(r)
        #expect(digest == "3b781d1f30d30850")
    }

    /// Hard filters, another weight set and a fixed coverage bonus.
    @Test func filtersAndWeights() throws {
        let data = SyntheticData.council(candidates: 800, needs: 250, seed: 5)
        let weights = WeightSet(name: "tags-heavy", version: "1", weights: ["tags": 0.6, "text": 0.2, "area": 0.2])
        let parameters = RoundParameters(weights: weights, filters: HardFilters(domainMustMatch: true, areaMustMatch: true, minimumScore: 0.3),
                                         topL: 30, coverageBonus: 2_000)
        let r = try MatchingEngine.run(candidates: data.candidates, needs: data.needs, parameters: parameters)
        let digest = try Self.digest(r)
        #expect(digest == "91c9b135e957d357")
    }

    /// A re-solve after staff decisions: accepted pairs (some outside the top L) and rejected ones.
    @Test func resolveWithDecisions() throws {
        let data = SyntheticData.council(candidates: 200, needs: 300, seed: 31)
        let first = try MatchingEngine.run(candidates: data.candidates, needs: data.needs)
        let assigned = first.optimal.pairs
        let removed = stride(from: 0, to: assigned.count, by: 3).map { PairKey(candidateId: assigned[$0].candidateId, needId: assigned[$0].needId) }
        var fixed = stride(from: 1, to: assigned.count, by: 5).map { PairKey(candidateId: assigned[$0].candidateId, needId: assigned[$0].needId) }
        // Pairs outside the top L: the last-ranked candidate ids, paired with the first needs.
        for (k, need) in data.needs.prefix(10).enumerated() {
            fixed.append(PairKey(candidateId: data.candidates[data.candidates.count - 1 - k].id, needId: need.id))
        }
        fixed.removeAll { key in removed.contains(key) }
        let r = try MatchingEngine.resolve(candidates: data.candidates, needs: data.needs, parameters: RoundParameters(),
                                           fixed: fixed, removed: removed)
        let digest = try Self.digest(r)
        #expect(digest == "f8a4be074dc207ae")
    }
}
