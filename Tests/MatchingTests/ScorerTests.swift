import Testing
@testable import Matching

@Suite("Top-L scoring")
struct ScorerTests {
    /// Every pair scored the slow way, filtered, sorted by score then id: the reference.
    static func bruteForce(_ round: PreparedRound, _ weights: FeatureWeights, _ filters: HardFilters, limit: Int, need j: Int) -> [(Int, Double)] {
        var all: [(Int, Double)] = []
        for c in 0..<round.candidateCount where round.eligible[c] {
            let v = round.values(candidate: c, need: j, textScore: round.text.pairScore(candidate: c, need: j),
                                 tagHits: round.tagHits(candidate: c, need: j))
            if filters.domainMustMatch, v.domain == 0 { continue }
            if filters.areaMustMatch, v.area == 0 { continue }
            let s = weights.score(v)
            if let m = filters.minimumScore, s < m { continue }
            all.append((c, s))
        }
        all.sort { $0.1 > $1.1 || ($0.1 == $1.1 && $0.0 < $1.0) }
        return Array(all.prefix(limit))
    }

    static let weightSets: [WeightSet] = [
        .standard,
        WeightSet(name: "text-only", version: "1", weights: ["text": 1]),
        WeightSet(name: "tags-heavy", version: "1", weights: ["tags": 0.6, "text": 0.2, "area": 0.2]),
        WeightSet(name: "static", version: "1", weights: ["domain": 0.5, "capacity": 0.3, "experience": 0.2]),
    ]

    static let filterSets: [HardFilters] = [
        HardFilters(),
        HardFilters(domainMustMatch: true),
        HardFilters(areaMustMatch: true),
        HardFilters(domainMustMatch: true, areaMustMatch: true, minimumScore: 0.45),
    ]

    /// Both searches: by class (rounds below `PreparedRound.taggedSearchThreshold`), and
    /// through the tagged text index (forced here with `taggedSearchFrom: 0`).
    static let searches = [PreparedRound.taggedSearchThreshold, 0]

    @Test(arguments: 0..<weightSets.count, 0..<filterSets.count)
    func topLEqualsBruteForce(weightIndex: Int, filterIndex: Int) throws {
        let data = SyntheticData.council(candidates: 400, needs: 30, seed: UInt64(11 + weightIndex * 7 + filterIndex))
        let weights = try Self.weightSets[weightIndex].resolved()
        let filters = Self.filterSets[filterIndex]
        for taggedSearchFrom in Self.searches {
            let round = try PreparedRound(candidates: data.candidates, needs: data.needs, taggedSearchFrom: taggedSearchFrom)
            for limit in [1, 7, 50] {
                var scorer = Scorer(round: round, weights: weights, filters: filters, limit: limit)
                for j in 0..<round.needCount {
                    let fast = scorer.topCandidates(need: j).map { (Int($0.candidate), $0.score) }
                    let slow = Self.bruteForce(round, weights, filters, limit: limit, need: j)
                    #expect(fast.map(\.0) == slow.map(\.0), "need \(j), L \(limit), tagged index \(round.taggedText != nil)")
                    #expect(fast.map(\.1) == slow.map(\.1), "need \(j), L \(limit), tagged index \(round.taggedText != nil)")
                }
            }
        }
    }

    /// A council large enough that every path of both searches is taken, with and without
    /// rejected pairs: still the brute-force top L. Without the tagged text index, classes
    /// are skipped, scored from their tagged candidates only, and walked; with it, the
    /// untagged candidates' classes are skipped, searched through rare terms, and walked.
    @Test(arguments: searches)
    func everyKindOfClassSearchEqualsBruteForce(taggedSearchFrom: Int) throws {
        let data = SyntheticData.council(candidates: 3_000, needs: 40, seed: 17)
        let round = try PreparedRound(candidates: data.candidates, needs: data.needs, taggedSearchFrom: taggedSearchFrom)
        #expect((round.taggedText != nil) == (taggedSearchFrom == 0))
        let weights = try WeightSet.standard.resolved()
        var walked = 0, skipped = 0, byTags = 0, byRareTerms = 0
        for limit in [1, 10, 50] {
            var scorer = Scorer(round: round, weights: weights, filters: HardFilters(), limit: limit)
            for j in 0..<round.needCount {
                let slow = Self.bruteForce(round, weights, HardFilters(), limit: limit + 3, need: j)
                let fast = scorer.topCandidates(need: j).map { (Int($0.candidate), $0.score) }
                #expect(fast.map(\.0) == slow.prefix(limit).map(\.0), "need \(j), L \(limit)")
                #expect(fast.map(\.1) == slow.prefix(limit).map(\.1), "need \(j), L \(limit)")
                // Staff rejected the best three: the next L take their places.
                let rejected = slow.prefix(3).map { Int32($0.0) }
                let without = scorer.topCandidates(need: j, removed: rejected).map { (Int($0.candidate), $0.score) }
                let expected = Array(slow.dropFirst(3).prefix(limit))
                #expect(without.map(\.0) == expected.map(\.0), "need \(j), L \(limit), without its best three")
                #expect(without.map(\.1) == expected.map(\.1), "need \(j), L \(limit), without its best three")
            }
            walked += scorer.classesWalked
            skipped += scorer.classesSkipped
            byTags += scorer.classesByTags
            byRareTerms += scorer.classesByRareTerms
        }
        #expect(walked > 0)
        #expect(skipped > 0)
        if round.taggedText == nil {
            #expect(byTags > 0)
            #expect(byRareTerms == 0)
        } else {
            #expect(byRareTerms > 0)
            #expect(byTags == 0)
        }
    }

    /// Needs without tags (every candidate is then untagged, and θ comes from the static
    /// part alone) and candidates without tags: both searches still give the brute-force
    /// top L.
    @Test(arguments: searches)
    func untaggedNeedsAndCandidatesEqualBruteForce(taggedSearchFrom: Int) throws {
        var data = SyntheticData.council(candidates: 2_000, needs: 30, seed: 29)
        for j in data.needs.indices where j % 2 == 0 { data.needs[j].tags = [] }
        for c in data.candidates.indices where c % 3 == 0 { data.candidates[c].tags = [] }
        let round = try PreparedRound(candidates: data.candidates, needs: data.needs, taggedSearchFrom: taggedSearchFrom)
        let weights = try WeightSet.standard.resolved()
        for limit in [1, 10, 50] {
            var scorer = Scorer(round: round, weights: weights, filters: HardFilters(), limit: limit)
            for j in 0..<round.needCount {
                let fast = scorer.topCandidates(need: j).map { (Int($0.candidate), $0.score) }
                let slow = Self.bruteForce(round, weights, HardFilters(), limit: limit, need: j)
                #expect(fast.map(\.0) == slow.map(\.0), "need \(j), L \(limit)")
                #expect(fast.map(\.1) == slow.map(\.1), "need \(j), L \(limit)")
            }
        }
    }

    /// The tagged text index holds, per tag, exactly the postings of the eligible
    /// candidates having it: each one's terms with the weights of its forward list.
    @Test func taggedTextIndexHoldsEachTagsCandidatesTerms() throws {
        let data = SyntheticData.council(candidates: 300, needs: 5, seed: 23)
        let round = try PreparedRound(candidates: data.candidates, needs: data.needs, taggedSearchFrom: 0)
        let index = try #require(round.taggedText)
        var entries = 0
        for tag in 0..<round.tagCount {
            let members = Array(round.tagPostings[round.tagPostingStart[tag]..<round.tagPostingStart[tag + 1]])
            var expected: [Int32: [(Int32, UInt32)]] = [:] // term → (member, weight)
            for (member, position) in members.enumerated() {
                let c = Int(round.searchOrder[Int(position)])
                #expect(round.eligible[c])
                for k in round.text.forwardStart[c]..<round.text.forwardStart[c + 1] {
                    expected[round.text.forwardTerm[k], default: []].append((Int32(member), round.text.forwardWeight[k]))
                }
            }
            let terms = Array(index.terms[index.termStart[tag]..<index.termStart[tag + 1]])
            #expect(terms == expected.keys.sorted(), "tag \(tag)")
            var from = 0
            for t in terms {
                let e = try #require(index.entry(tag: tag, term: t, from: &from))
                let postings = (index.postingStart[e]..<index.postingStart[e + 1]).map { (index.postingMember[$0], index.postingWeight[$0]) }
                #expect(postings.map(\.0) == expected[t]!.map(\.0), "tag \(tag), term \(t)")
                #expect(postings.map(\.1) == expected[t]!.map(\.1), "tag \(tag), term \(t)")
                entries += postings.count
            }
            // A term no candidate with the tag has is not found.
            var none = 0
            let missing = (0..<Int32(round.text.termCount)).first { expected[$0] == nil }
            if let missing { #expect(index.entry(tag: tag, term: missing, from: &none) == nil) }
        }
        #expect(entries > 0)
    }

    /// The starting floor must not come from a rejected pair: here the rejected candidate
    /// is the only one with the best static part, and nobody shares tags or text.
    @Test func aRejectedBestCandidateDoesNotRaiseTheFloor() throws {
        let round = try PreparedRound(candidates: [Fixture.candidate("local"), Fixture.candidate("elsewhere", wards: ["麻生区"])],
                                      needs: [Fixture.need("n")])
        var scorer = Scorer(round: round, weights: try WeightSet.standard.resolved(), filters: HardFilters(), limit: 1)
        // Index order is id order: 0 = elsewhere, 1 = local.
        #expect(scorer.topCandidates(need: 0).map(\.candidate) == [1])
        #expect(scorer.topCandidates(need: 0, removed: [1]).map(\.candidate) == [0])
    }

    @Test func keepsAtMostLPerNeedRankedFromOne() throws {
        let data = SyntheticData.council(candidates: 120, needs: 15, seed: 3)
        let r = try MatchingEngine.run(candidates: data.candidates, needs: data.needs, parameters: RoundParameters(topL: 5))
        let byNeed = Dictionary(grouping: r.pairs, by: \.needId)
        #expect(byNeed.count == 15)
        for (_, pairs) in byNeed {
            #expect(pairs.count == 5)
            #expect(pairs.map(\.rank) == [1, 2, 3, 4, 5])
            #expect(zip(pairs, pairs.dropFirst()).allSatisfy { $0.score >= $1.score })
        }
    }

    @Test func hardFiltersDropPairs() throws {
        let data = SyntheticData.council(candidates: 150, needs: 20, seed: 5)
        let filters = HardFilters(domainMustMatch: true, areaMustMatch: true, minimumScore: 0.5)
        let r = try MatchingEngine.run(candidates: data.candidates, needs: data.needs, parameters: RoundParameters(filters: filters))
        #expect(!r.pairs.isEmpty)
        for pair in r.pairs {
            #expect(pair.values.domain == 1)
            #expect(pair.values.area > 0)
            #expect(pair.score >= 0.5)
        }
    }

    /// Fewer keepable candidates than L: the L-th score is still −∞, and a full candidate
    /// (or one a hard filter rules out) must not slip in through that gap.
    @Test func fullAndFilteredCandidatesStayOutWhenFewerThanLQualify() throws {
        let candidates = [
            Fixture.candidate("c1"),
            Fixture.candidate("c2", capacity: 2, active: 2),
            Fixture.candidate("c3", domains: ["prevention"]),
        ]
        let open = try MatchingEngine.run(candidates: candidates, needs: [Fixture.need("n")], parameters: RoundParameters(topL: 5))
        #expect(open.pairs.map(\.candidateId) == ["c1", "c3"])
        let filtered = try MatchingEngine.run(candidates: candidates, needs: [Fixture.need("n")],
                                              parameters: RoundParameters(filters: HardFilters(domainMustMatch: true), topL: 5))
        #expect(filtered.pairs.map(\.candidateId) == ["c1"])
    }

    @Test func tiesAreBrokenByCandidateIdAscending() throws {
        let candidates = ["c3", "c1", "c2"].map { Fixture.candidate($0) }
        let r = try MatchingEngine.run(candidates: candidates, needs: [Fixture.need("n")], parameters: RoundParameters(topL: 2))
        #expect(r.pairs.map(\.candidateId) == ["c1", "c2"])
        #expect(r.pairs[0].score == r.pairs[1].score)
    }

    @Test func sameInputGivesTheSameRoundWhateverTheOrder() throws {
        let data = SyntheticData.council(candidates: 200, needs: 40, seed: 9)
        let a = try MatchingEngine.run(candidates: data.candidates, needs: data.needs)
        let b = try MatchingEngine.run(candidates: data.candidates.reversed(), needs: data.needs.reversed())
        #expect(a.sameOutcome(as: b))
        #expect(MatchingEngine.snapshotHash(candidates: data.candidates, needs: data.needs)
            == MatchingEngine.snapshotHash(candidates: data.candidates.reversed(), needs: data.needs.reversed()))
    }
}
