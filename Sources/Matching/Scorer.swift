/// Finds the top L candidates of each need, exactly, with one pass over the candidates.
///
/// For each need:
/// 1. its tags' postings count each candidate's shared tags, and its query terms' postings
///    sum each candidate's BM25 score, into dense per-candidate arrays;
/// 2. one pass over the candidates bounds each score by a table entry (its domain, area,
///    capacity and experience parts for this kind of need, −∞ if it cannot be kept) plus
///    its tag and text parts, and scores exactly only the candidates whose bound reaches
///    the L-th score kept so far.
///
/// An earlier version pruned with MaxScore-style bounds to walk fewer postings; on the
/// benchmark councils its bookkeeping (bounds per touched candidate, sorting, re-summing
/// the skipped terms per verified candidate) cost more than walking every posting into a
/// flat array: 10,000 × 5,000 scored in about half the time this way, 100,000 × 10,000
/// in 40 %. Only L entries per need are ever held, never a score row.
struct Scorer {
    let round: PreparedRound
    let weights: FeatureWeights
    let filters: HardFilters
    let limit: Int

    /// The capacity and experience contributions apart (per candidate; per candidate and
    /// domain), for the exact score, which must add the six contributions in the order of
    /// `FeatureWeights.total` to give the same bits as `weights.score(values(…))`.
    private var capacityContribution: [Double]
    private var experienceContribution: [Double]
    /// Per (area key, need domain), built on first use: each candidate's static part bound.
    private var staticTables: [Int: [Double]] = [:]
    /// Per area key: each candidate's area value, exact unless it has districts.
    private var areaTables: [Int: [Double]] = [:]
    private let sums: DenseSums
    private var heap: TopLHeap

    init(round: PreparedRound, weights: FeatureWeights, filters: HardFilters, limit: Int) {
        self.round = round
        self.weights = weights
        self.filters = filters
        self.limit = max(0, limit)
        let n = round.candidateCount
        sums = DenseSums(count: n)
        heap = TopLHeap(limit: max(0, limit))
        capacityContribution = round.capacityValue.map { weights.capacity * $0 }
        experienceContribution = [Double](repeating: 0, count: n * 3)
        for c in 0..<n {
            for d in CollaborationDomain.allCases {
                let experience = weights.experience * PreparedRound.experienceValue(round.workingGroupCount(candidate: c, domain: d))
                experienceContribution[c * 3 + d.index] = experience
            }
        }
    }

    /// Rounding slack for bounds: a bound adds the same terms as the score, in another order.
    private static let slack = 1e-9

    /// The L-th kept score so far, or the minimum score, whichever is higher.
    private var threshold: Double {
        max(heap.isFull ? heap.floor : -.infinity, filters.minimumScore ?? -.infinity)
    }

    /// The kept candidates of need `j`, best first. `removed` candidates are skipped
    /// (pairs rejected by staff), so the need still gets up to L others.
    mutating func topCandidates(need j: Int, removed: [Int32] = []) -> [TopLHeap.Entry] {
        heap.reset()
        guard limit > 0 else { return [] }
        let n = round.candidateCount
        let textSums = sums.text, tagHits = sums.tags

        // 1. Tags and text, summed per candidate (both arrays are all zero on entry).
        for k in round.needTagStart[j]..<round.needTagStart[j + 1] {
            let tag = Int(round.needTags[k])
            guard tag >= 0 else { continue }
            for p in round.tagPostingStart[tag]..<round.tagPostingStart[tag + 1] { tagHits[Int(round.tagPostings[p])] += 1 }
        }
        let text = round.text
        // The hottest loop of scoring: raw pointers, no bounds checks.
        text.postingCandidate.withUnsafeBufferPointer { postingCandidate in
            text.postingWeight.withUnsafeBufferPointer { postingWeight in
                for t in text.queryTerm[text.queryStart[j]..<text.queryStart[j + 1]] {
                    for p in text.postingStart[Int(t)]..<text.postingStart[Int(t) + 1] {
                        textSums[Int(postingCandidate[p])] &+= Int64(postingWeight[p])
                    }
                }
            }
        }
        for c in removed { tagHits[Int(c)] = -1 }

        // 2. Bound, and score exactly what could be kept. The pass also zeroes the sums for
        // the next need, so they are never cleared separately.
        let own = text.selfScore[j]
        let tagTotal = round.needTagStart[j + 1] - round.needTagStart[j]
        let tagScale = tagTotal > 0 ? weights.tags / Double(tagTotal) : 0
        let textScale = own > 0 ? weights.text / Double(own) : 0
        var theta = threshold
        let d = round.needDomain[j].index, domainBit = round.needDomain[j].bit
        let areaKey = Self.areaKey(need: j, round: round)
        let areas = areaTable(key: areaKey)
        staticTable(need: j, areaKey: areaKey).withUnsafeBufferPointer { table in
            for c in 0..<n {
                let hits = tagHits[c], sum = textSums[c]
                tagHits[c] = 0
                textSums[c] = 0
                guard hits >= 0 else { continue }
                let bound = table[c] + tagScale * Double(hits) + min(weights.text, textScale * Double(sum)) + Self.slack
                // −∞ (cannot be kept) must not pass while θ is still −∞ (fewer than L kept).
                guard bound >= theta, bound > -.infinity else { continue }
                // The exact score, as `weights.score(round.values(…))` computes it (same
                // operations, same order, so the same bits; the tests compare them).
                let area = round.districtStart[c + 1] > round.districtStart[c] ? round.areaValue(candidate: c, need: j) : areas[c]
                if filters.areaMustMatch, area == 0 { continue }
                let tags = tagTotal > 0 ? Double(hits) / Double(tagTotal) : 0
                let text = own > 0 ? min(1, Double(sum) / Double(own)) : 0
                let score = weights.domain * (round.domainMask[c] & domainBit != 0 ? 1 : 0) + weights.area * area
                    + weights.tags * tags + weights.text * text + capacityContribution[c] + experienceContribution[c * 3 + d]
                if let minimum = filters.minimumScore, score < minimum { continue }
                heap.offer(.init(score: score, candidate: Int32(c), textScore: sum, tagHits: hits))
                theta = threshold
            }
        }
        return heap.sorted()
    }

    /// The static part bound of every candidate for a need like `j`: domain + area + capacity
    /// + experience, exact except that a candidate with districts gets the full area weight
    /// (it might serve the need's district: the exact score checks). −∞ for a candidate that
    /// cannot be kept: not eligible (full), or ruled out by a hard filter.
    private mutating func staticTable(need j: Int, areaKey: Int) -> [Double] {
        let domain = round.needDomain[j]
        let key = areaKey * 3 + domain.index
        if let table = staticTables[key] { return table }
        let areas = areaTable(key: areaKey)
        let table = (0..<round.candidateCount).map { c -> Double in
            let inDomain = round.domainMask[c] & domain.bit != 0
            let area = areas[c]
            guard round.eligible[c], inDomain || !filters.domainMustMatch, area > 0 || !filters.areaMustMatch else {
                return -.infinity
            }
            return (inDomain ? weights.domain : 0) + weights.area * area
                + (capacityContribution[c] + experienceContribution[c * 3 + domain.index])
        }
        staticTables[key] = table
        return table
    }

    private mutating func areaTable(key: Int) -> [Double] {
        if let table = areaTables[key] { return table }
        let table = (0..<round.candidateCount).map { areaUpperBound(candidate: $0, key: key) }
        areaTables[key] = table
        return table
    }

    /// What a need's area values depend on: its ward's index (0–63), 64 for a need with a
    /// district only, 65 for a city-wide need.
    private static func areaKey(need j: Int, round: PreparedRound) -> Int {
        round.needWard[j] >= 0 ? round.needWard[j] : (round.needDistrict[j] >= 0 ? 64 : 65)
    }

    /// `PreparedRound.areaValue` for every need of kind `key` (0–63: a ward's index; 64: a
    /// need with a district only; 65: a city-wide need), except that a candidate with
    /// districts gets the full value.
    private func areaUpperBound(candidate c: Int, key: Int) -> Double {
        let hasDistricts = round.districtStart[c + 1] > round.districtStart[c]
        switch key {
        case 65: return round.cityWide[c] ? 1 : (round.wardMask[c] != 0 || hasDistricts ? 0.5 : 0)
        case 64: return hasDistricts ? 1 : (round.cityWide[c] ? 0.8 : 0)
        default: return round.wardMask[c] & (1 << UInt64(key)) != 0 || hasDistricts ? 1 : (round.cityWide[c] ? 0.8 : 0)
        }
    }
}

/// Per-candidate sums of one need's search: BM25 over its terms, and shared tags (−1: the
/// pair was rejected by staff). Raw memory owned by a class, so the hot loops pay no
/// copy-on-write checks or bounds checks; all zero between needs.
private final class DenseSums {
    let text: UnsafeMutablePointer<Int64>
    let tags: UnsafeMutablePointer<Int32>

    init(count: Int) {
        text = .allocate(capacity: max(1, count))
        text.initialize(repeating: 0, count: max(1, count))
        tags = .allocate(capacity: max(1, count))
        tags.initialize(repeating: 0, count: max(1, count))
    }

    deinit {
        text.deallocate()
        tags.deallocate()
    }
}
