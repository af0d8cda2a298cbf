/// Finds the top L candidates of each need, exactly, walking only the postings that can
/// still matter.
///
/// For each need:
/// 1. its tags' postings count each candidate's shared tags into a dense array, and list
///    the candidates with any (`touched`);
/// 2. θ, the L-th score kept so far, starts at a floor found without scoring
///    (`startingFloor`);
/// 3. the candidates are taken class by class (`PreparedRound.searchOrder`: the
///    candidates' domain masks), best static bound first. Each class's best static part
///    (domain, area, capacity and experience; a table per kind of need) decides:
///    - if even its best candidate with all tags and a perfect text match stays below θ,
///      the class is skipped;
///    - if only candidates with shared tags can reach θ, only those are scored, their text
///      summed over their own terms (after all walked classes, when θ is highest);
///    - otherwise its postings of the need's terms are summed per candidate, and one pass
///      over its candidates bounds each score by the table, tags and text, and scores
///      exactly only those whose bound reaches θ.
///
/// A need's best candidates usually work in its domain, so after those classes θ is high
/// enough that the other domains' postings are never walked: on the benchmark councils
/// about two thirds of all postings. An earlier version pruned per term with MaxScore-style
/// bounds; its bookkeeping cost more than walking every posting into a flat array, since
/// the low-weight terms reach most candidates. Only L entries per need are ever held,
/// never a score row.
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
    /// Per kind of need (area key, domain), built on first use: each position's static part
    /// bound, and its maximum per posting class.
    private var staticTables: [Int: StaticTable] = [:]
    /// Per area key: each candidate's area value, exact unless it has districts.
    private var areaTables: [Int: [Double]] = [:]
    /// Per search position: whether its candidate has districts (its area value is then
    /// only bounded); per candidate, its search position.
    private let hasDistricts: [Bool]
    private let position: [Int32]
    /// The largest score the weights allow (the range of the histogram of partial scores).
    private let maxScore: Double
    private let sums: DenseSums
    private var heap: TopLHeap
    /// The positions of the candidates sharing a tag with the current need, and how many
    /// of them share each number of tags.
    private var touched: [Int32] = []
    private var hitCounts: [Int] = []
    /// Per position, its class; per class, whether only its candidates with shared tags
    /// can be kept for the current need (all false between needs).
    private let classOf: [Int32]
    private var byTags: [Bool]

    /// How the classes of all needs so far were searched (for tests and benchmarks).
    private(set) var classesWalked = 0
    private(set) var classesByTags = 0
    private(set) var classesSkipped = 0

    init(round: PreparedRound, weights: FeatureWeights, filters: HardFilters, limit: Int) {
        self.round = round
        self.weights = weights
        self.filters = filters
        self.limit = max(0, limit)
        let n = round.candidateCount
        sums = DenseSums(count: n, terms: round.text.termCount)
        heap = TopLHeap(limit: max(0, limit))
        capacityContribution = round.capacityValue.map { weights.capacity * $0 }
        experienceContribution = [Double](repeating: 0, count: n * 3)
        for c in 0..<n {
            for d in CollaborationDomain.allCases {
                let experience = weights.experience * PreparedRound.experienceValue(round.workingGroupCount(candidate: c, domain: d))
                experienceContribution[c * 3 + d.index] = experience
            }
        }
        hasDistricts = round.searchOrder.map { round.districtStart[Int($0) + 1] > round.districtStart[Int($0)] }
        var position = [Int32](repeating: 0, count: n)
        for (p, c) in round.searchOrder.enumerated() { position[Int(c)] = Int32(p) }
        self.position = position
        var classOf = [Int32](repeating: 0, count: n)
        for k in 0..<round.classCount {
            for p in round.classStart[k]..<round.classStart[k + 1] { classOf[p] = Int32(k) }
        }
        self.classOf = classOf
        byTags = [Bool](repeating: false, count: round.classCount)
        maxScore = weights.domain + weights.area + weights.tags + weights.text + weights.capacity + weights.experience + 1e-6
    }

    /// Rounding slack for bounds: a bound adds the same terms as the score, in another order.
    private static let slack = 1e-9

    /// The L-th kept score so far, the minimum score, or the need's starting floor,
    /// whichever is highest.
    private var threshold: Double {
        max(heap.isFull ? heap.floor : -.infinity, filters.minimumScore ?? -.infinity, floor)
    }
    private var floor = -Double.infinity

    /// The kept candidates of need `j`, best first. `removed` candidates are skipped
    /// (pairs rejected by staff), so the need still gets up to L others.
    mutating func topCandidates(need j: Int, removed: [Int32] = []) -> [TopLHeap.Entry] {
        heap.reset()
        guard limit > 0 else { return [] }
        let tagHits = sums.tags

        // 1. Shared tags per position (all zero on entry); `touched` lists who has any.
        touched.removeAll(keepingCapacity: true)
        for k in round.needTagStart[j]..<round.needTagStart[j + 1] {
            let tag = Int(round.needTags[k])
            guard tag >= 0 else { continue }
            for p in round.tagPostingStart[tag]..<round.tagPostingStart[tag + 1] {
                let position = Int(round.tagPostings[p])
                if tagHits[position] == 0 { touched.append(Int32(position)) }
                tagHits[position] += 1
            }
        }
        for c in removed { tagHits[Int(position[Int(c)])] = -1 }

        // 2. The floor, and 3. class by class, best static bound first.
        let need = NeedTerms(round: round, weights: weights, need: j)
        let areaKey = Self.areaKey(need: j, round: round)
        let areas = areaTable(key: areaKey)
        let statics = staticTable(need: j, areaKey: areaKey)
        floor = -.infinity
        floor = startingFloor(need: need, statics: statics, anyRemoved: !removed.isEmpty)
        let fullTags = need.tagScale * Double(need.tagCount)
        var anyByTags = false
        for k in statics.classOrder {
            let best = statics.classMax[k]
            guard best > -.infinity else { continue } // empty, or nobody in it can be kept
            let theta = threshold
            if best + fullTags + weights.text + Self.slack < theta {
                classesSkipped += 1
            } else if best + weights.text + Self.slack < theta {
                byTags[k] = true
                anyByTags = true
                classesByTags += 1
            } else {
                walk(class: k, need: need, table: statics.table, areas: areas)
                classesWalked += 1
            }
        }
        if anyByTags {
            scoreTagged(need: need, table: statics.table, areas: areas)
            for k in byTags.indices { byTags[k] = false }
        }

        // The walked classes' passes zeroed their positions; these may remain.
        for p in touched { tagHits[Int(p)] = 0 }
        for c in removed { tagHits[Int(position[Int(c)])] = 0 }
        return heap.sorted()
    }

    /// Walks class `k`: sums its candidates' BM25 scores over the postings of the need's
    /// terms, then bounds each of them and scores exactly those whose bound reaches θ.
    private mutating func walk(class k: Int, need: NeedTerms, table: [Double], areas: [Double]) {
        let textSums = sums.text, tagHits = sums.tags
        let text = round.text
        // The hottest loop of scoring: raw pointers, no bounds checks.
        text.postingPosition.withUnsafeBufferPointer { postingPosition in
            text.postingWeight.withUnsafeBufferPointer { postingWeight in
                for t in text.queryTerm[text.queryStart[need.index]..<text.queryStart[need.index + 1]] {
                    let slot = text.slot(term: Int(t), class: k)
                    for p in text.postingStart[slot]..<text.postingStart[slot + 1] {
                        textSums[Int(postingPosition[p])] &+= Int64(postingWeight[p])
                    }
                }
            }
        }

        // One pass bounds each candidate and scores exactly those whose bound reaches θ. It
        // also zeroes the sums for the next need, so they are never cleared separately.
        var theta = threshold
        table.withUnsafeBufferPointer { table in
            for p in round.classStart[k]..<round.classStart[k + 1] {
                let hits = tagHits[p], sum = textSums[p]
                tagHits[p] = 0
                textSums[p] = 0
                guard hits >= 0 else { continue }
                let bound = table[p] + need.tagScale * Double(hits) + min(weights.text, need.textScale * Double(sum)) + Self.slack
                // −∞ (cannot be kept) must not pass while θ is still −∞ (fewer than L kept).
                guard bound >= theta, bound > -.infinity else { continue }
                offerExact(candidate: Int(round.searchOrder[p]), need: need, hits: hits, sum: sum, areas: areas)
                theta = threshold
            }
        }
    }

    /// A score that at least L candidates reach, found without scoring any: for a candidate
    /// without districts, the table (its area value exact) plus its shared tags is its
    /// score without the text part, up to rounding. So the L-th largest of those, less a
    /// margin, is below θ's final value, and nothing that bounds below it can be kept.
    ///
    /// Offered in search order, the heap would otherwise take in most of the first class's
    /// candidates one by one while θ climbs: hundreds of heap updates per need at 10,000
    /// candidates. Found with a histogram of the candidates with shared tags, or, if fewer
    /// than L have them, from the table alone.
    private mutating func startingFloor(need: NeedTerms, statics: StaticTable, anyRemoved: Bool) -> Double {
        let tagHits = sums.tags, histogram = sums.histogram
        let buckets = DenseSums.buckets
        let bucketScale = Double(buckets - 1) / maxScore
        histogram.update(repeating: 0, count: buckets)
        // Only the candidates with the most shared tags, about 8 L of them: the L-th largest
        // of a subset is still a score L candidates reach, and each of them costs a read of
        // the table at a random place. (The shared tags were just counted: cheap to read.)
        hitCounts.removeAll(keepingCapacity: true)
        hitCounts.append(contentsOf: repeatElement(0, count: need.tagCount + 1))
        for p32 in touched where tagHits[Int(p32)] > 0 { hitCounts[Int(tagHits[Int(p32)])] += 1 }
        var fewest = need.tagCount, atLeast = 0
        while fewest > 1, atLeast + hitCounts[fewest] < 8 * limit {
            atLeast += hitCounts[fewest]
            fewest -= 1
        }
        var counted = 0
        statics.table.withUnsafeBufferPointer { table in
            hasDistricts.withUnsafeBufferPointer { hasDistricts in
                for p32 in touched {
                    let p = Int(p32), hits = tagHits[p]
                    guard hits >= fewest, !hasDistricts[p], table[p] > -.infinity else { continue }
                    let partial = table[p] + need.tagScale * Double(hits)
                    histogram[min(buckets - 1, Int(partial * bucketScale))] += 1
                    counted += 1
                }
            }
        }
        // The table's L-th largest may be a rejected pair's; the histogram skips those.
        var floor = anyRemoved ? -.infinity : statics.lthLargest
        if counted >= limit {
            var count = 0, edge = buckets
            while edge > 0, count < limit {
                edge -= 1
                count += Int(histogram[edge])
            }
            floor = max(floor, Double(edge) / bucketScale)
        }
        // Rounding: the partial sums and the scores add the same terms in other orders.
        return floor - 2 * Self.slack
    }

    /// Scores the candidates with shared tags in the classes marked in `byTags` whose bound,
    /// with a perfect text match, reaches θ; their text summed over their own terms.
    private mutating func scoreTagged(need: NeedTerms, table: [Double], areas: [Double]) {
        let tagHits = sums.tags
        let text = round.text, mask = sums.termMask
        let terms = text.queryTerm[text.queryStart[need.index]..<text.queryStart[need.index + 1]]
        for t in terms { mask[Int(t)] = .max }
        defer { for t in terms { mask[Int(t)] = 0 } }
        var theta = threshold
        for p32 in touched {
            let p = Int(p32), hits = tagHits[p]
            guard hits > 0, byTags[Int(classOf[p])] else { continue }
            let bound = table[p] + need.tagScale * Double(hits) + weights.text + Self.slack
            guard bound >= theta, bound > -.infinity else { continue }
            var sum: Int64 = 0
            text.searchForward.withUnsafeBufferPointer { entries in
                for f in text.searchForwardStart[p]..<text.searchForwardStart[p + 1] {
                    let entry = entries[f]
                    sum &+= Int64(UInt32(truncatingIfNeeded: entry) & mask[Int(entry >> 32)])
                }
            }
            offerExact(candidate: Int(round.searchOrder[p]), need: need, hits: hits, sum: sum, areas: areas)
            theta = threshold
        }
    }

    /// Offers candidate `c` with its exact score, as `weights.score(round.values(…))`
    /// computes it (same operations, same order, so the same bits; the tests compare them),
    /// unless a hard filter rules the pair out.
    @inline(__always)
    private mutating func offerExact(candidate c: Int, need: NeedTerms, hits: Int32, sum: Int64, areas: [Double]) {
        let j = need.index
        let area = round.districtStart[c + 1] > round.districtStart[c] ? round.areaValue(candidate: c, need: j) : areas[c]
        if filters.areaMustMatch, area == 0 { return }
        let tags = need.tagCount > 0 ? Double(hits) / Double(need.tagCount) : 0
        let text = need.own > 0 ? min(1, Double(sum) / Double(need.own)) : 0
        let score = weights.domain * (round.domainMask[c] & need.domainBit != 0 ? 1 : 0) + weights.area * area
            + weights.tags * tags + weights.text * text + capacityContribution[c] + experienceContribution[c * 3 + need.domain]
        if let minimum = filters.minimumScore, score < minimum { return }
        heap.offer(.init(score: score, candidate: Int32(c), textScore: sum, tagHits: hits))
    }

    /// The needs in an order that keeps needs of the same kind (static table) together:
    /// each table is as large as the candidates, and a need's search reads it at random
    /// places (its tagged candidates). Taken in id order, the needs cycled through all the
    /// tables and read them from memory.
    func needsByKind() -> [Int] {
        (0..<round.needCount).map { (Self.kind(need: $0, areaKey: Self.areaKey(need: $0, round: round), round: round), $0) }
            .sorted { $0 < $1 }
            .map(\.1)
    }

    /// Which static table need `j` uses: its area key and its domain.
    private static func kind(need j: Int, areaKey: Int, round: PreparedRound) -> Int {
        areaKey * 3 + round.needDomain[j].index
    }

    /// The static part bound of every candidate for a need like `j`, by search position:
    /// domain + area + capacity + experience, exact except that a candidate with districts
    /// gets the full area weight (it might serve the need's district: the exact score
    /// checks). −∞ for a candidate that cannot be kept: not eligible (full), or ruled out by
    /// a hard filter.
    private mutating func staticTable(need j: Int, areaKey: Int) -> StaticTable {
        let domain = round.needDomain[j]
        let key = Self.kind(need: j, areaKey: areaKey, round: round)
        if let table = staticTables[key] { return table }
        let areas = areaTable(key: areaKey)
        let table = round.searchOrder.map { c32 -> Double in
            let c = Int(c32)
            let inDomain = round.domainMask[c] & domain.bit != 0
            let area = areas[c]
            guard round.eligible[c], inDomain || !filters.domainMustMatch, area > 0 || !filters.areaMustMatch else {
                return -.infinity
            }
            return (inDomain ? weights.domain : 0) + weights.area * area
                + (capacityContribution[c] + experienceContribution[c * 3 + domain.index])
        }
        var classMax = [Double](repeating: -.infinity, count: round.classCount)
        for k in 0..<round.classCount {
            for p in round.classStart[k]..<round.classStart[k + 1] { classMax[k] = max(classMax[k], table[p]) }
        }
        // Ties in class order, so the search order is fixed.
        let order = classMax.indices.sorted { classMax[$0] > classMax[$1] || (classMax[$0] == classMax[$1] && $0 < $1) }
        let entry = StaticTable(table: table, classMax: classMax, classOrder: order, lthLargest: lthLargest(of: table))
        staticTables[key] = entry
        return entry
    }

    /// The L-th largest static part of a candidate without districts: a score L candidates
    /// reach (−∞ if fewer than L can be kept). Once per kind of need: the L largest kept
    /// in a sorted array, which most entries do not enter.
    private func lthLargest(of table: [Double]) -> Double {
        var largest: [Double] = [] // descending, at most L
        largest.reserveCapacity(limit + 1)
        for (value, districts) in zip(table, hasDistricts) where value > -.infinity && !districts {
            guard largest.count < limit || value > largest[limit - 1] else { continue }
            let at = largest.firstIndex { $0 < value } ?? largest.count
            largest.insert(value, at: at)
            if largest.count > limit { largest.removeLast() }
        }
        return limit > 0 && largest.count == limit ? largest[limit - 1] : -.infinity
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

/// A static part bound per candidate for one kind of need, with its maximum per posting
/// class and the classes in the order a search takes them (best maximum first).
private struct StaticTable {
    let table: [Double]
    let classMax: [Double]
    let classOrder: [Int]
    /// The L-th largest entry of a candidate without districts (−∞ if fewer than L).
    let lthLargest: Double
}

/// What a need's search uses of the need itself.
private struct NeedTerms {
    let index: Int
    /// Its tags (those no candidate has included), and weight per shared tag.
    let tagCount: Int
    let tagScale: Double
    /// Its BM25 score against itself, and text weight per BM25 unit.
    let own: Int64
    let textScale: Double
    let domain: Int
    let domainBit: UInt8

    init(round: PreparedRound, weights: FeatureWeights, need j: Int) {
        index = j
        tagCount = round.needTagStart[j + 1] - round.needTagStart[j]
        tagScale = tagCount > 0 ? weights.tags / Double(tagCount) : 0
        own = round.text.selfScore[j]
        textScale = own > 0 ? weights.text / Double(own) : 0
        domain = round.needDomain[j].index
        domainBit = round.needDomain[j].bit
    }
}

/// Per search position, the sums of one need's search: BM25 over its terms, and shared
/// tags (−1: the pair was rejected by staff); per term, an all-ones mask for the need's
/// query terms.
/// Raw memory owned by a class, so the hot loops pay no copy-on-write checks or bounds
/// checks; all zero between needs.
private final class DenseSums {
    let text: UnsafeMutablePointer<Int64>
    let tags: UnsafeMutablePointer<Int32>
    let termMask: UnsafeMutablePointer<UInt32>
    /// A histogram of partial scores.
    let histogram: UnsafeMutablePointer<Int32>
    static let buckets = 256

    init(count: Int, terms: Int) {
        histogram = .allocate(capacity: Self.buckets)
        text = .allocate(capacity: max(1, count))
        text.initialize(repeating: 0, count: max(1, count))
        tags = .allocate(capacity: max(1, count))
        tags.initialize(repeating: 0, count: max(1, count))
        termMask = .allocate(capacity: max(1, terms))
        termMask.initialize(repeating: 0, count: max(1, terms))
    }

    deinit {
        text.deallocate()
        tags.deallocate()
        termMask.deallocate()
        histogram.deallocate()
    }
}
