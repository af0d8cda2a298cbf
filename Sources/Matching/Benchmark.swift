import Foundation

/// `tsunagu bench`: times scoring + assignment on synthetic councils (one core).
public enum MatchingBenchmark {
    /// Today's council, and the two growth targets of `matching.md`.
    public static let standardSizes: [(candidates: Int, needs: Int)] = [(131, 500), (10_000, 5_000), (100_000, 10_000)]

    /// Runs each size once (after a warm-up on the smallest) and returns a report, one line
    /// per size: phase timings in ms, kept pairs, and optimal vs greedy coverage and score.
    public static func run(sizes: [(candidates: Int, needs: Int)] = standardSizes, seed: UInt64 = 20_260_213,
                           parameters: RoundParameters = RoundParameters()) -> String {
        var lines = ["matching engine \(MatchingEngine.version), weights \(parameters.weights.name) v\(parameters.weights.version), L = \(parameters.topL)"]
        if let smallest = sizes.min(by: { $0.candidates * $0.needs < $1.candidates * $1.needs }) {
            let warm = SyntheticData.council(candidates: smallest.candidates, needs: smallest.needs, seed: seed)
            _ = try? MatchingEngine.run(candidates: warm.candidates, needs: warm.needs, parameters: parameters)
        }
        for size in sizes {
            let data = SyntheticData.council(candidates: size.candidates, needs: size.needs, seed: seed)
            do {
                let r = try MatchingEngine.run(candidates: data.candidates, needs: data.needs, parameters: parameters)
                let t = r.timings
                lines.append(String(
                    format: "%7d × %6d: total %8.1f ms (prepare %7.1f, score %7.1f, assign %7.1f; greedy %6.1f, explain %7.1f) pairs %d; optimal covers %d needs, score %.1f; greedy covers %d, score %.1f",
                    size.candidates, size.needs, t.totalMs,
                    t.preparationMs, t.scoringMs, t.assignmentMs, t.greedyMs, t.explanationMs, r.pairs.count,
                    r.optimal.coveredNeeds, Double(r.optimal.totalScoreUnits) / 10_000,
                    r.greedy.coveredNeeds, Double(r.greedy.totalScoreUnits) / 10_000))
            } catch {
                lines.append("\(size.candidates) × \(size.needs): \(error)")
            }
        }
        return lines.joined(separator: "\n")
    }
}

extension MatchingBenchmark {
    /// The assignment instance of a benchmark council, in the input format of
    /// `tsunagu assign` (`AssignCommand`): the kept pairs of the round the benchmark scores,
    /// with the candidates' remaining capacity, the needs' wanted and priority, and the
    /// coverage bonus the round used. `make bench` gives the same instance to networkx.
    public static func assignmentInstance(candidates: Int, needs: Int, seed: UInt64 = 20_260_213,
                                          parameters: RoundParameters = RoundParameters()) throws -> Data {
        struct Instance: Encodable {
            struct Candidate: Encodable { var id: String; var capacity: Int }
            struct Need: Encodable { var id: String; var wanted: Int; var priority: Int }
            struct Pair: Encodable { var candidate: String; var need: String; var score: Int }
            var coverage_bonus: Int
            var candidates: [Candidate]
            var needs: [Need]
            var pairs: [Pair]
        }
        let data = SyntheticData.council(candidates: candidates, needs: needs, seed: seed)
        let round = try MatchingEngine.run(candidates: data.candidates, needs: data.needs, parameters: parameters)
        let instance = Instance(
            coverage_bonus: round.coverageBonus,
            candidates: data.candidates.map { .init(id: $0.id, capacity: max(0, $0.capacity - $0.activeCollaborations)) },
            needs: data.needs.map { .init(id: $0.id, wanted: $0.wanted, priority: $0.priority) },
            pairs: round.pairs.map { .init(candidate: $0.candidateId, need: $0.needId, score: $0.scoreUnits) })
        return try JSONEncoder().encode(instance)
    }
}
