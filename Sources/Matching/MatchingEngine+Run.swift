import Foundation

extension MatchingEngine {
    /// Scores every need against every candidate, keeps the top L per need, and proposes the
    /// optimal assignment (with the greedy baseline and the runner-up reasons).
    /// Deterministic: the same input gives the same result (apart from timings).
    public static func run(candidates: [CandidateInput], needs: [NeedInput],
                           parameters: RoundParameters = RoundParameters()) throws(MatchingError) -> RoundResult {
        try resolve(candidates: candidates, needs: needs, parameters: parameters, fixed: [], removed: [])
    }

    /// Re-solves a round after staff decisions: `removed` (rejected) pairs are never kept,
    /// so the need gets its next-best candidate in their place; `fixed` (accepted) pairs are
    /// forced into the assignment, even if they fall outside the top L or the filters, and use
    /// the candidate's capacity and the need's slots. Pass the round's stored snapshot and
    /// parameters to get the same scores as the original round.
    public static func resolve(candidates: [CandidateInput], needs: [NeedInput], parameters: RoundParameters,
                               fixed: [PairKey], removed: [PairKey]) throws(MatchingError) -> RoundResult {
        let clock = ContinuousClock()
        let start = clock.now
        let weights = try parameters.weights.resolved()
        guard parameters.topL >= 1 else {
            throw MatchingError(code: "invalid_top_l", field: "topL", message: "topL must be ≥ 1, got \(parameters.topL)")
        }
        if let bonus = parameters.coverageBonus, bonus < 0 {
            throw MatchingError(code: "negative_coverage_bonus", field: "coverageBonus", message: "coverageBonus must be ≥ 0")
        }
        let round = try PreparedRound(candidates: candidates, needs: needs)
        let candidateIndex = Dictionary(uniqueKeysWithValues: round.candidateIds.enumerated().map { ($1, $0) })
        let needIndex = Dictionary(uniqueKeysWithValues: round.needIds.enumerated().map { ($1, $0) })
        func index(_ key: PairKey, field: String) throws(MatchingError) -> PairIndex {
            guard let c = candidateIndex[key.candidateId] else {
                throw MatchingError(code: "unknown_candidate", field: "\(field).candidateId", message: "unknown candidate id \"\(key.candidateId)\"")
            }
            guard let n = needIndex[key.needId] else {
                throw MatchingError(code: "unknown_need", field: "\(field).needId", message: "unknown need id \"\(key.needId)\"")
            }
            return PairIndex(candidate: c, need: n)
        }
        var removedByNeed = [[Int32]](repeating: [], count: round.needCount)
        var removedSet = Set<PairIndex>()
        for (i, key) in removed.enumerated() {
            let k = try index(key, field: "removed[\(i)]")
            if removedSet.insert(k).inserted { removedByNeed[k.need].append(Int32(k.candidate)) }
        }
        var fixedByNeed = [[Int]](repeating: [], count: round.needCount)
        var fixedSet = Set<PairIndex>()
        for (i, key) in fixed.enumerated() {
            let k = try index(key, field: "fixed[\(i)]")
            guard !removedSet.contains(k) else {
                throw MatchingError(code: "conflicting_decision", field: "fixed[\(i)]",
                                    message: "pair (\(key.candidateId), \(key.needId)) is both fixed and removed")
            }
            if fixedSet.insert(k).inserted { fixedByNeed[k.need].append(k.candidate) }
        }
        let prepared = clock.now

        var scorer = Scorer(round: round, weights: weights, filters: parameters.filters, limit: parameters.topL)
        // Scoring finds each need's top L and their exact scores: all the assignment reads.
        // Each kept pair's breakdown (values, contributions, sentences) is built afterwards,
        // in the explanation phase, from what the search kept (`Kept`).
        var edges: [AssignmentProblem.Edge] = []
        var kept: [Kept] = []
        var fixedEdges: [Int] = []
        let expected = round.needCount * min(parameters.topL, round.candidateCount) + fixed.count
        edges.reserveCapacity(expected)
        kept.reserveCapacity(expected)
        // Needs of the same kind (ward, domain) one after another, so that their static table
        // stays in cache; the kept pairs are then stored in need order, as before.
        var keptByNeed = [[TopLHeap.Entry]](repeating: [], count: round.needCount)
        for j in scorer.needsByKind() {
            keptByNeed[j] = scorer.topCandidates(need: j, removed: removedByNeed[j])
        }
        for j in 0..<round.needCount {
            let top = keptByNeed[j]
            let fixedHere = fixedByNeed[j].sorted()
            for (r, entry) in top.enumerated() {
                let c = Int(entry.candidate)
                // Hashing every kept pair showed up in profiles: look only when there are fixed pairs.
                if !fixedHere.isEmpty, fixedSet.contains(PairIndex(candidate: c, need: j)) { fixedEdges.append(edges.count) }
                edges.append(.init(candidate: c, need: j, score: Self.units(entry.score)))
                kept.append(Kept(rank: r + 1, textScore: entry.textScore, tagHits: Int(entry.tagHits)))
            }
            // Accepted pairs outside the top L still count: score them directly.
            guard !fixedHere.isEmpty else { continue }
            let inTop = Set(top.map { Int($0.candidate) })
            for (k, c) in fixedHere.enumerated() where !inTop.contains(c) {
                let textScore = round.text.pairScore(candidate: c, need: j), tagHits = round.tagHits(candidate: c, need: j)
                let score = weights.score(round.values(candidate: c, need: j, textScore: textScore, tagHits: tagHits))
                fixedEdges.append(edges.count)
                edges.append(.init(candidate: c, need: j, score: Self.units(score)))
                kept.append(Kept(rank: top.count + 1 + k, textScore: textScore, tagHits: tagHits))
            }
        }
        let scored = clock.now

        let bonus = parameters.coverageBonus ?? automaticCoverageBonus(edges: edges, round: round)
        let problem = AssignmentProblem(candidateIds: round.candidateIds, capacities: round.remaining,
                                        needIds: round.needIds, wanted: round.wanted, priorities: round.priority,
                                        edges: edges, coverageBonus: bonus, fixedEdges: fixedEdges)
        let optimalFlags = MinCostFlow.solve(problem)
        let solved = clock.now
        let greedy = problem.evaluate(assigned: Greedy.solve(problem))
        let greedyDone = clock.now

        // What staff read: each kept pair's feature values, contributions and one-line
        // sentences. Not needed to find the scores or the assignment, so a phase of its own:
        // it costs as much as scoring on small councils (six strings per kept pair), and its
        // figure should not hide the engine's.
        var explainer = Explainer(round: round)
        var pairs: [ScoredPair] = []
        pairs.reserveCapacity(edges.count)
        for (edge, k) in zip(edges, kept) {
            let (c, j) = (edge.candidate, edge.need)
            let values = round.values(candidate: c, need: j, textScore: k.textScore, tagHits: k.tagHits)
            let contributions = weights.contributions(values)
            let score = FeatureWeights.total(contributions)
            // The search adds the same terms in the same order (`Scorer.offerExact`).
            assert(Self.units(score) == edge.score, "breakdown of (\(c), \(j)) does not add up to its score")
            pairs.append(ScoredPair(candidateId: round.candidateIds[c], needId: round.needIds[j], rank: k.rank,
                                    score: score, scoreUnits: edge.score, values: values, contributions: contributions,
                                    explanations: explainer.explain(candidate: c, need: j, values: values)))
        }
        let explained = clock.now

        return RoundResult(
            engineVersion: version, weightSetName: parameters.weights.name, weightSetVersion: parameters.weights.version,
            parameters: parameters, coverageBonus: bonus, pairs: pairs,
            optimal: problem.evaluate(assigned: optimalFlags), greedy: greedy,
            runnerUps: RunnerUps.explain(problem, assigned: optimalFlags, names: round.candidateNames),
            timings: RoundTimings(preparationMs: ms(prepared - start), scoringMs: ms(scored - prepared),
                                  assignmentMs: ms(solved - scored), greedyMs: ms(greedyDone - solved),
                                  explanationMs: ms(explained - greedyDone)))
    }

    /// round(10⁴ · score): the integer the assignment works with.
    static func units(_ score: Double) -> Int { Int((score * 10_000).rounded()) }

    /// What the search found of a kept pair besides its score, to rebuild its breakdown.
    private struct Kept {
        var rank: Int
        var textScore: Int64
        var tagHits: Int
    }

    /// A bonus larger than any total score the round can reach, so one more covered need
    /// always beats any gain in score: (best pair score) × (most pairs that fit) + 1.
    static func automaticCoverageBonus(edges: [AssignmentProblem.Edge], round: PreparedRound) -> Int {
        let best = max(1, edges.map(\.score).max() ?? 1)
        let fit = min(round.wanted.reduce(0, +), round.remaining.reduce(0, +))
        return best * max(1, fit) + 1
    }

    /// A stable hash (FNV-1a, 64 bit, hex) of the input snapshot as the engine sees it
    /// (rows sorted by id, keys sorted), to store with a round and compare on re-runs.
    public static func snapshotHash(candidates: [CandidateInput], needs: [NeedInput]) -> String {
        struct Snapshot: Encodable { var candidates: [CandidateInput]; var needs: [NeedInput] }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = (try? encoder.encode(Snapshot(candidates: candidates.sorted { $0.id < $1.id },
                                                 needs: needs.sorted { $0.id < $1.id }))) ?? Data()
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in data {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return String(format: "%016llx", hash)
    }

    private static func ms(_ d: Duration) -> Double {
        Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15
    }
}
