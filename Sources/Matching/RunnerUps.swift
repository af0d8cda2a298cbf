import Foundation

/// For each need: the best kept candidate that did not get it, and why.
enum RunnerUps {
    static func explain(_ problem: AssignmentProblem, assigned: [Bool], names: [String]) -> [RunnerUp] {
        let isFixed = problem.residual().isFixed
        var load = [Int](repeating: 0, count: problem.candidateIds.count)
        for (e, edge) in problem.edges.enumerated() where assigned[e] { load[edge.candidate] += 1 }
        var byNeed = [[Int]](repeating: [], count: problem.needIds.count)
        for e in problem.edges.indices { byNeed[problem.edges[e].need].append(e) }

        var result: [RunnerUp] = []
        for j in problem.needIds.indices {
            let edges = byNeed[j]
            let best = edges.filter { !assigned[$0] }.min { a, b in
                let ea = problem.edges[a], eb = problem.edges[b]
                return ea.score > eb.score || (ea.score == eb.score && ea.candidate < eb.candidate)
            }
            guard let runner = best else { continue }
            let edge = problem.edges[runner]
            let c = edge.candidate
            let taken = edges.filter { assigned[$0] }
            let chosen = taken.filter { !isFixed[$0] }
            let weakest = (chosen.isEmpty ? taken : chosen).map { problem.edges[$0].score }.min()
            let reason: RunnerUpReason
            if load[c] >= problem.capacities[c] {
                reason = .capacityUsedElsewhere
            } else if taken.count >= problem.wanted[j] {
                reason = chosen.isEmpty ? .filledByFixedPairs : .scoreGap
            } else {
                reason = .notProfitable
            }
            let entry = RunnerUp(needId: problem.needIds[j], candidateId: problem.candidateIds[c],
                                 scoreUnits: edge.score, reason: reason, capacity: problem.capacities[c],
                                 assignedElsewhere: load[c], weakestAssignedUnits: weakest,
                                 scoreGapUnits: weakest.map { $0 - edge.score }, sentence: "")
            var explained = entry
            explained.sentence = sentence(entry, name: names[c])
            result.append(explained)
        }
        return result
    }

    /// Score units as a score with four decimals (1 unit = 10⁻⁴).
    static func format(_ units: Int) -> String {
        String(format: "%.4f", Double(units) / 10_000)
    }

    static func sentence(_ r: RunnerUp, name: String) -> String {
        let who = "次点の\(name)（スコア \(format(r.scoreUnits))）"
        switch r.reason {
        case .capacityUsedElsewhere:
            return "\(who)は、受入余力 \(r.capacity) 件をすべて他のニーズ（\(r.assignedElsewhere)件）に割り当てたため選ばれませんでした。"
        case .scoreGap:
            let weakest = r.weakestAssignedUnits ?? 0
            return "\(who)は、採用した候補（最低スコア \(format(weakest))）よりスコアが \(format(r.scoreGapUnits ?? 0)) 低いため選ばれませんでした。"
        case .filledByFixedPairs:
            return "\(who)は、確定済みの組み合わせで募集数が埋まっているため選ばれませんでした。"
        case .notProfitable:
            return "\(who)は、割り当てても全体の評価が上がらないため選ばれませんでした。"
        }
    }
}
