@testable import Matching

/// Small hand-made councils: each test states only what matters to it.
enum Fixture {
    static func candidate(_ id: String, domains: [String] = ["daily_life"], wards: [String] = ["多摩区"],
                          cityWide: Bool = false, districts: [String] = [], tags: [String] = [],
                          text: String = "", capacity: Int = 1, active: Int = 0,
                          groups: [String: Int] = [:]) -> CandidateInput {
        CandidateInput(id: id, name: "団体\(id)", domains: domains, wardCodes: wards, cityWide: cityWide,
                       districtIds: districts, tags: tags, text: text, capacity: capacity,
                       activeCollaborations: active, workingGroupsByDomain: groups)
    }

    static func need(_ id: String, domain: String = "daily_life", ward: String? = "多摩区",
                     district: String? = nil, title: String = "ニーズ", description: String = "",
                     tags: [String] = [], wanted: Int = 1, priority: Int = 1) -> NeedInput {
        NeedInput(id: id, domain: domain, wardCode: ward, wardName: ward, districtId: district,
                  districtName: district.map { "\($0)地区" }, title: title, description: description,
                  tags: tags, wanted: wanted, priority: priority)
    }

    static func pair(_ result: RoundResult, _ candidate: String, _ need: String) -> ScoredPair? {
        result.pairs.first { $0.candidateId == candidate && $0.needId == need }
    }
}

/// Small deterministic random instances for the assignment tests.
struct RandomInstance {
    static func make(_ rng: inout SplitMix64, maxSide: Int = 5) -> AssignmentProblem {
        let nc = 1 + Int(rng.next() % UInt64(maxSide)), nn = 1 + Int(rng.next() % UInt64(maxSide))
        let density = [0.3, 0.6, 1.0][Int(rng.next() % 3)]
        var edges: [AssignmentProblem.Edge] = []
        for c in 0..<nc {
            for n in 0..<nn where Double.random(in: 0..<1, using: &rng) < density {
                let score = rng.next() % 3 == 0 ? Int(rng.next() % 4) : Int(rng.next() % 10_000)
                edges.append(.init(candidate: c, need: n, score: score))
            }
        }
        return AssignmentProblem(
            candidateIds: (0..<nc).map { "c\($0)" }, capacities: (0..<nc).map { _ in Int(rng.next() % 3) },
            needIds: (0..<nn).map { "n\($0)" }, wanted: (0..<nn).map { _ in 1 + Int(rng.next() % 2) },
            priorities: (0..<nn).map { _ in Int(rng.next() % 4) }, edges: edges,
            coverageBonus: [1_000_000, 3_000, 0][Int(rng.next() % 3)])
    }

    /// Best objective over every feasible set of edges (containing `fixed`), by exhaustive search.
    static func bruteForce(_ p: AssignmentProblem) -> Int {
        var capacity = p.capacities, slots = p.wanted
        var chosen = [Bool](repeating: false, count: p.edges.count)
        let fixed = Set(p.fixedEdges)
        // Fixed pairs take their capacity and slot before anything else is chosen.
        for e in fixed {
            capacity[p.edges[e].candidate] -= 1
            slots[p.edges[e].need] -= 1
        }
        var best = Int.min
        func visit(_ e: Int) {
            if e == p.edges.count {
                best = max(best, p.evaluate(assigned: chosen).objective)
                return
            }
            let edge = p.edges[e]
            if !fixed.contains(e) { visit(e + 1) }
            if fixed.contains(e) {
                chosen[e] = true
                visit(e + 1)
                chosen[e] = false
            } else if capacity[edge.candidate] > 0 && slots[edge.need] > 0 {
                capacity[edge.candidate] -= 1
                slots[edge.need] -= 1
                chosen[e] = true
                visit(e + 1)
                chosen[e] = false
                capacity[edge.candidate] += 1
                slots[edge.need] += 1
            }
        }
        visit(0)
        return best
    }
}
