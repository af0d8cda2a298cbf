import Foundation

/// `tsunagu assign --input FILE`: the assignment alone, on a JSON instance, for tests and
/// benchmarks against an independent solver.
///
/// Input:  `{"coverage_bonus": 1000000, "candidates": [{"id", "capacity"}],
///           "needs": [{"id", "wanted", "priority"}], "pairs": [{"candidate", "need", "score"}],
///           "fixed"?: [{"candidate", "need"}], "removed"?: [{"candidate", "need"}]}`
/// Output: `{"assignment": [{"candidate", "need"}], "objective", "covered_needs",
///           "total_score", "greedy": {"objective", "covered_needs", "total_score"}, "engine_version"}`
public enum AssignCommand {
    struct Instance: Decodable {
        struct Candidate: Decodable { var id: String; var capacity: Int }
        struct Need: Decodable { var id: String; var wanted: Int; var priority: Int? }
        struct Pair: Decodable { var candidate: String; var need: String; var score: Int }
        struct Key: Decodable { var candidate: String; var need: String }
        var coverage_bonus: Int
        var candidates: [Candidate]
        var needs: [Need]
        var pairs: [Pair]
        var fixed: [Key]?
        var removed: [Key]?
    }

    struct Output: Encodable {
        struct Pair: Encodable { var candidate: String; var need: String }
        struct Summary: Encodable { var objective: Int; var covered_needs: Int; var total_score: Int }
        var assignment: [Pair]
        var objective: Int
        var covered_needs: Int
        var total_score: Int
        var greedy: Summary
        var engine_version: String
    }

    /// Solves the instance; throws `MatchingError` naming the field for invalid input.
    public static func run(input: Data) throws -> Data {
        let instance: Instance
        do {
            instance = try JSONDecoder().decode(Instance.self, from: input)
        } catch let error as DecodingError {
            throw MatchingError(code: "invalid_json", field: path(of: error), message: describe(error))
        }
        let problem = try makeProblem(instance)
        let optimal = problem.evaluate(assigned: MinCostFlow.solve(problem))
        let greedy = problem.evaluate(assigned: Greedy.solve(problem))
        let output = Output(
            assignment: optimal.pairs.map { .init(candidate: $0.candidateId, need: $0.needId) }
                .sorted { ($0.candidate, $0.need) < ($1.candidate, $1.need) },
            objective: optimal.objective, covered_needs: optimal.coveredNeeds, total_score: optimal.totalScoreUnits,
            greedy: .init(objective: greedy.objective, covered_needs: greedy.coveredNeeds, total_score: greedy.totalScoreUnits),
            engine_version: MatchingEngine.version)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(output)
    }

    static func makeProblem(_ instance: Instance) throws(MatchingError) -> AssignmentProblem {
        guard instance.coverage_bonus >= 0 else {
            throw MatchingError(code: "negative_coverage_bonus", field: "coverage_bonus", message: "coverage_bonus must be ≥ 0")
        }
        let candidates = instance.candidates.enumerated().sorted { $0.element.id < $1.element.id }
        let needs = instance.needs.enumerated().sorted { $0.element.id < $1.element.id }
        var candidateIndex: [String: Int] = [:]
        for (k, (i, c)) in candidates.enumerated() {
            guard candidateIndex[c.id] == nil else {
                throw MatchingError(code: "duplicate_id", field: "candidates[\(i)].id", message: "duplicate candidate id \"\(c.id)\"")
            }
            guard c.capacity >= 0 else {
                throw MatchingError(code: "negative_capacity", field: "candidates[\(i)].capacity", message: "capacity must be ≥ 0, got \(c.capacity)")
            }
            candidateIndex[c.id] = k
        }
        var needIndex: [String: Int] = [:]
        for (k, (i, n)) in needs.enumerated() {
            guard needIndex[n.id] == nil else {
                throw MatchingError(code: "duplicate_id", field: "needs[\(i)].id", message: "duplicate need id \"\(n.id)\"")
            }
            guard n.wanted >= 1 else {
                throw MatchingError(code: "invalid_wanted", field: "needs[\(i)].wanted", message: "wanted must be ≥ 1, got \(n.wanted)")
            }
            guard (n.priority ?? 1) >= 0 else {
                throw MatchingError(code: "negative_priority", field: "needs[\(i)].priority", message: "priority must be ≥ 0")
            }
            needIndex[n.id] = k
        }
        func key(_ candidate: String, _ need: String, field: String) throws(MatchingError) -> PairIndex {
            guard let c = candidateIndex[candidate] else {
                throw MatchingError(code: "unknown_candidate", field: "\(field).candidate", message: "unknown candidate id \"\(candidate)\"")
            }
            guard let n = needIndex[need] else {
                throw MatchingError(code: "unknown_need", field: "\(field).need", message: "unknown need id \"\(need)\"")
            }
            return PairIndex(candidate: c, need: n)
        }
        var removed = Set<PairIndex>()
        for (i, r) in (instance.removed ?? []).enumerated() {
            removed.insert(try key(r.candidate, r.need, field: "removed[\(i)]"))
        }
        var edges: [AssignmentProblem.Edge] = []
        var edgeOf: [PairIndex: Int] = [:]
        for (i, pair) in instance.pairs.enumerated() {
            let k = try key(pair.candidate, pair.need, field: "pairs[\(i)]")
            guard edgeOf[k] == nil else {
                throw MatchingError(code: "duplicate_pair", field: "pairs[\(i)]",
                                    message: "pair (\(pair.candidate), \(pair.need)) appears more than once")
            }
            edgeOf[k] = -1
            guard !removed.contains(k) else { continue }
            edgeOf[k] = edges.count
            edges.append(.init(candidate: k.candidate, need: k.need, score: pair.score))
        }
        var fixed: [Int] = []
        for (i, f) in (instance.fixed ?? []).enumerated() {
            let k = try key(f.candidate, f.need, field: "fixed[\(i)]")
            guard let e = edgeOf[k], e >= 0 else {
                throw MatchingError(code: "unknown_pair", field: "fixed[\(i)]",
                                    message: "fixed pair (\(f.candidate), \(f.need)) is not among the pairs (or was removed)")
            }
            fixed.append(e)
        }
        return AssignmentProblem(
            candidateIds: candidates.map(\.element.id), capacities: candidates.map(\.element.capacity),
            needIds: needs.map(\.element.id), wanted: needs.map(\.element.wanted),
            priorities: needs.map { $0.element.priority ?? 1 }, edges: edges,
            coverageBonus: instance.coverage_bonus, fixedEdges: fixed)
    }

    private static func path(of error: DecodingError) -> String {
        let context: DecodingError.Context
        switch error {
        case .typeMismatch(_, let c), .valueNotFound(_, let c), .dataCorrupted(let c): context = c
        case .keyNotFound(let key, let c):
            return (c.codingPath + [key]).map(\.stringValue).joined(separator: ".")
        @unknown default: return ""
        }
        return context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
    }

    private static func describe(_ error: DecodingError) -> String {
        switch error {
        case .keyNotFound(let key, _): "missing field \"\(key.stringValue)\""
        case .typeMismatch(let type, _): "expected a value of type \(type)"
        case .valueNotFound(let type, _): "expected a value of type \(type), found null"
        case .dataCorrupted(let c): "invalid JSON: \(c.debugDescription)"
        @unknown default: "invalid input"
        }
    }
}

struct PairIndex: Hashable {
    var candidate: Int
    var need: Int
}
