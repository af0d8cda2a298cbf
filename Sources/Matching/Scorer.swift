/// Finds the top L candidates of each need, exactly, walking only the postings that can
/// still matter.
///
/// For each need:
/// 1. its tags' postings count each candidate's shared tags into a dense array, and list
///    the candidates with any (`touched`);
/// 2. θ, the L-th score kept so far, starts at a floor found without scoring
///    (`startingFloor`);
/// 3. on a round below `PreparedRound.taggedSearchThreshold` candidates, the candidates are
///    taken class by class (`searchByClass`): the postings of the need's terms in a class
///    are summed for all its candidates, unless its static bound shows that none, or only
///    those with shared tags, can reach θ;
/// 4. on a larger round, the candidates with shared tags are scored first, their text
///    summed from the postings of their tags' candidates only (`searchTagged`,
///    `TaggedTextIndex`); then, class by class, the others (`searchUntagged`), which need
///    a text match close to the need's own to reach θ: only the postings of the need's
///    rarer terms can lift a candidate that far (MaxScore's essential terms), so only
///    those are walked (`walkRareTerms`).
///
/// A need's best candidates share its tags: at 100,000 candidates no candidate without a
/// shared tag reached the L-th score of any need of the benchmark council, and the rare
/// terms such a candidate would need hold about 6 % of the postings. Summing every posting
/// of the need's domains for the sake of the tagged candidates cost 145,000 postings per
/// need and a pass over 35,000 candidates. On smaller rounds the fixed costs per need of
/// that search outweigh what it saves. Only L entries per need are ever held, never a
/// score row.
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
    /// The positions of the candidates sharing a tag with the current need, those sharing
    /// two or more, and how many of them share at least each number of tags.
    private var touched: [Int32] = []
    private var touchedTwice: [Int32] = []
    private var sharingAtLeast: [Int] = []
    /// A class's walk of the need's rare terms: its terms by largest weight (weight in the
    /// high 32 bits, term in the low), and the untagged candidates the walk reached.
    private var termOrder: [UInt64] = []
    private var reached: [Int32] = []
    /// Whether `sums.termMask` holds the current need's terms.
    private var termMaskSet = false

    /// Per position, its class; per class, whether only its candidates with shared tags
    /// can be kept for the current need (all false between needs; `searchByClass`).
    private let classOf: [Int32]
    private var byTags: [Bool]

    /// How the classes of all needs so far were searched (for tests and benchmarks):
    /// walked, skipped, and, without a tagged text index, scored from their tagged
    /// candidates only, or with one, searched through rare terms.
    private(set) var classesWalked = 0
    private(set) var classesSkipped = 0
    private(set) var classesByTags = 0
    private(set) var classesByRareTerms = 0

    init(round: PreparedRound, weights: FeatureWeights, filters: HardFilters, limit: Int) {
        self.round = round
        self.weights = weights
        self.filters = filters
        self.limit = max(0, limit)
        let n = round.candidateCount
        sums = DenseSums(count: n, terms: round.text.termCount, largestTag: round.taggedText?.largestTag ?? 0)
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

        // 1. Shared tags per position (all zero on entry); `touched` lists who has any,
        // `touchedTwice` who has two or more, and `sharingAtLeast[h]` how many share h or more
        // (one count per posting: the candidate reaches h + 1).
        // Over raw pointers into lists sized for every posting: appending one by one paid a
        // uniqueness check per posting.
        var postings = 0
        for k in round.needTagStart[j]..<round.needTagStart[j + 1] where round.needTags[k] >= 0 {
            postings += round.tagPostingStart[Int(round.needTags[k]) + 1] - round.tagPostingStart[Int(round.needTags[k])]
        }
        touched.removeAll(keepingCapacity: true)
        touched.append(contentsOf: repeatElement(0, count: postings))
        touchedTwice.removeAll(keepingCapacity: true)
        touchedTwice.append(contentsOf: repeatElement(0, count: postings))
        sharingAtLeast.removeAll(keepingCapacity: true)
        sharingAtLeast.append(contentsOf: repeatElement(0, count: round.needTagStart[j + 1] - round.needTagStart[j] + 1))
        var once = 0, twice = 0
        touched.withUnsafeMutableBufferPointer { touched in
            touchedTwice.withUnsafeMutableBufferPointer { touchedTwice in
                sharingAtLeast.withUnsafeMutableBufferPointer { sharingAtLeast in
                    round.tagPostings.withUnsafeBufferPointer { tagPostings in
                        for k in round.needTagStart[j]..<round.needTagStart[j + 1] {
                            let tag = Int(round.needTags[k])
                            guard tag >= 0 else { continue }
                            for p in round.tagPostingStart[tag]..<round.tagPostingStart[tag + 1] {
                                let position = Int(tagPostings[p])
                                let hits = Int(tagHits[position])
                                if hits == 0 {
                                    touched[once] = Int32(position)
                                    once &+= 1
                                } else if hits == 1 {
                                    touchedTwice[twice] = Int32(position)
                                    twice &+= 1
                                }
                                tagHits[position] = Int32(hits &+ 1)
                                sharingAtLeast[hits &+ 1] &+= 1
                            }
                        }
                    }
                }
            }
        }
        touched.removeLast(postings - once)
        touchedTwice.removeLast(postings - twice)
        for c in removed {
            let p = Int(position[Int(c)])
            if tagHits[p] > 0 { for h in 1...Int(tagHits[p]) { sharingAtLeast[h] -= 1 } }
            tagHits[p] = -1
        }

        // 2. The floor.
        let need = NeedTerms(round: round, weights: weights, need: j)
        let areaKey = Self.areaKey(need: j, round: round)
        let areas = areaTable(key: areaKey)
        let statics = staticTable(need: j, areaKey: areaKey)
        floor = -.infinity
        floor = startingFloor(need: need, statics: statics, anyRemoved: !removed.isEmpty)

        if let tagged = round.taggedText {
            // 3. The candidates with shared tags, 4. the others.
            searchTagged(need: need, index: tagged, table: statics.table, areas: areas)
            searchUntagged(need: need, statics: statics, areas: areas)
        } else {
            // 3. All candidates, class by class.
            searchByClass(need: need, statics: statics, areas: areas)
        }

        // The text sums were cleared as they were read: by the walked classes' passes, the
        // tagged candidates' pass and the rare terms' walks.
        for p in touched { tagHits[Int(p)] = 0 }
        for c in removed { tagHits[Int(position[Int(c)])] = 0 }
        if termMaskSet {
            let text = round.text
            for t in text.queryTerm[text.queryStart[j]..<text.queryStart[j + 1]] { sums.termMask[Int(t)] = 0 }
            termMaskSet = false
        }
        return heap.sorted()
    }

    /// The whole search on a round without a tagged text index: class by class, best static
    /// bound first. Each class's best static part (domain, area, capacity and experience)
    /// decides:
    /// - if even its best candidate with all tags and a perfect text match stays below θ,
    ///   the class is skipped;
    /// - if only candidates with shared tags can reach θ, only those are scored, their text
    ///   summed over their own terms (after all walked classes, when θ is highest);
    /// - otherwise the class is walked (`walk`).
    private mutating func searchByClass(need: NeedTerms, statics: StaticTable, areas: [Double]) {
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
                walk(class: k, need: need, table: statics.table, areas: areas, taggedScored: false)
                classesWalked += 1
            }
        }
        if anyByTags {
            scoreTagged(need: need, table: statics.table, areas: areas)
            for k in byTags.indices { byTags[k] = false }
        }
    }

    /// The candidates without shared tags, once the tagged ones are scored: class by class,
    /// best static bound first. A class is skipped if even its best candidate with a
    /// perfect text match stays below θ; searched through the need's rare terms if its best
    /// candidate needs more text than the commonest terms give (`walkRareTerms`); walked
    /// otherwise.
    private mutating func searchUntagged(need: NeedTerms, statics: StaticTable, areas: [Double]) {
        for k in statics.classOrder {
            let best = statics.classMax[k]
            guard best > -.infinity else { continue } // empty, or nobody in it can be kept
            let theta = threshold
            // What an untagged candidate's text must add to the best static part to reach θ.
            let room = theta - best - 2 * Self.slack
            if best + weights.text + Self.slack < theta {
                classesSkipped += 1
            } else if room > 0, walkRareTerms(class: k, best: best, need: need, room: room, table: statics.table, areas: areas) {
                classesByRareTerms += 1
            } else {
                walk(class: k, need: need, table: statics.table, areas: areas, taggedScored: true)
                classesWalked += 1
            }
        }
    }

    /// Scores the candidates sharing a tag with the need, tag by tag: the postings of the
    /// need's terms among the tag's candidates give their text sums, in a small array by
    /// their place in the tag's list; then one pass over that list bounds each candidate not
    /// seen under an earlier tag, and scores exactly those whose bound reaches θ.
    private mutating func searchTagged(need: NeedTerms, index: TaggedTextIndex, table: [Double], areas: [Double]) {
        let tagHits = sums.tags, memberSums = sums.memberText
        let text = round.text
        let terms = text.queryTerm[text.queryStart[need.index]..<text.queryStart[need.index + 1]]
        var theta = threshold
        for k in round.needTagStart[need.index]..<round.needTagStart[need.index + 1] {
            let tag = Int(round.needTags[k])
            guard tag >= 0 else { continue }
            index.postingMember.withUnsafeBufferPointer { postingMember in
                index.postingWeight.withUnsafeBufferPointer { postingWeight in
                    var from = 0
                    for t in terms {
                        guard let e = index.entry(tag: tag, term: t, from: &from) else { continue }
                        for p in index.postingStart[e]..<index.postingStart[e + 1] {
                            memberSums[Int(postingMember[p])] &+= Int64(postingWeight[p])
                        }
                    }
                }
            }
            let first = round.tagPostingStart[tag]
            table.withUnsafeBufferPointer { table in
                round.tagPostings.withUnsafeBufferPointer { members in
                    for member in 0..<(round.tagPostingStart[tag + 1] - first) {
                        let sum = memberSums[member]
                        memberSums[member] = 0
                        let p = Int(members[first + member]), hits = tagHits[p]
                        // Rejected (−1), or seen under an earlier tag.
                        guard hits > 0, hits & Self.seen == 0 else { continue }
                        tagHits[p] = hits | Self.seen
                        let bound = table[p] + need.tagScale * Double(hits) + min(weights.text, need.textScale * Double(sum)) + Self.slack
                        guard bound >= theta, bound > -.infinity else { continue }
                        offerExact(candidate: Int(round.searchOrder[p]), need: need, hits: hits, sum: sum, areas: areas)
                        theta = threshold
                    }
                }
            }
        }
    }

    /// Marks a candidate's shared tags once it was searched under one of them.
    private static let seen: Int32 = 1 << 30

    /// Searches class `k`'s candidates without shared tags through the need's rare terms,
    /// when its best static part (`best`) needs `room` more from the text to reach θ: the
    /// commonest terms whose largest weights in the class add up to less than that cannot
    /// lift a candidate to θ alone, so only candidates in the other terms' postings can
    /// reach it. Returns false, having done nothing, when those postings are most of the
    /// class's (walking them all and passing over the class is then cheaper).
    private mutating func walkRareTerms(class k: Int, best: Double, need: NeedTerms, room: Double, table: [Double], areas: [Double]) -> Bool {
        let text = round.text
        let budget = need.textScale > 0 ? room / need.textScale : .infinity
        termOrder.removeAll(keepingCapacity: true)
        for t in text.queryTerm[text.queryStart[need.index]..<text.queryStart[need.index + 1]] {
            termOrder.append(UInt64(text.slotMax[text.slot(term: Int(t), class: k)]) << 32 | UInt64(UInt32(t)))
        }
        termOrder.sort()
        // The commonest terms: the longest run of smallest maxima whose sum stays below the budget.
        var common: Int64 = 0, split = 0
        while split < termOrder.count, Double(common + Int64(termOrder[split] >> 32)) < budget {
            common += Int64(termOrder[split] >> 32)
            split += 1
        }
        var rarePostings = 0, allPostings = 0
        for (i, entry) in termOrder.enumerated() {
            let slot = text.slot(term: Int(UInt32(truncatingIfNeeded: entry)), class: k)
            let n = text.postingStart[slot + 1] - text.postingStart[slot]
            allPostings += n
            if i >= split { rarePostings += n }
        }
        guard 2 * rarePostings <= allPostings else { return false }

        // Sum the rare terms over the candidates they reach (the tagged ones are passed over
        // after: one random read per reached candidate, not per posting); a count in the
        // high bits marks a candidate as reached even if its weights round to zero.
        let tagHits = sums.tags, textSums = sums.text
        let reachedMark: Int64 = 1 << 48
        // Sized for every rare posting and trimmed after, as in the tag walk.
        reached.removeAll(keepingCapacity: true)
        reached.append(contentsOf: repeatElement(0, count: rarePostings))
        var reachedCount = 0
        reached.withUnsafeMutableBufferPointer { reached in
            text.postingPosition.withUnsafeBufferPointer { postingPosition in
                text.postingWeight.withUnsafeBufferPointer { postingWeight in
                    for entry in termOrder[split...] {
                        let slot = text.slot(term: Int(UInt32(truncatingIfNeeded: entry)), class: k)
                        for p in text.postingStart[slot]..<text.postingStart[slot + 1] {
                            let position = Int(postingPosition[p])
                            if textSums[position] == 0 {
                                reached[reachedCount] = Int32(position)
                                reachedCount &+= 1
                            }
                            textSums[position] &+= Int64(postingWeight[p]) &+ reachedMark
                        }
                    }
                }
            }
        }
        reached.removeLast(rarePostings - reachedCount)
        var theta = threshold
        for p32 in reached {
            let p = Int(p32)
            let rare = textSums[p] & (reachedMark - 1)
            textSums[p] = 0
            let textBound = min(weights.text, need.textScale * Double(rare + common)) + Self.slack
            // The class's best static part first: most are ruled out without reading their
            // shared tags or the table (both at random places).
            guard best + textBound >= theta else { continue }
            guard tagHits[p] == 0 else { continue } // scored with the tagged, or rejected
            let bound = table[p] + textBound
            guard bound >= theta, bound > -.infinity else { continue }
            offerExact(candidate: Int(round.searchOrder[p]), need: need, hits: 0, sum: forwardSum(position: p, need: need), areas: areas)
            theta = threshold
        }
        return true
    }

    /// The candidate at position `p`'s BM25 score against the need, from its own terms.
    private mutating func forwardSum(position p: Int, need: NeedTerms) -> Int64 {
        let text = round.text, mask = sums.termMask
        if !termMaskSet {
            for t in text.queryTerm[text.queryStart[need.index]..<text.queryStart[need.index + 1]] { mask[Int(t)] = .max }
            termMaskSet = true
        }
        var sum: Int64 = 0
        text.searchForward.withUnsafeBufferPointer { entries in
            for f in text.searchForwardStart[p]..<text.searchForwardStart[p + 1] {
                let entry = entries[f]
                sum &+= Int64(UInt32(truncatingIfNeeded: entry) & mask[Int(entry >> 32)])
            }
        }
        return sum
    }

    /// Walks class `k`: sums its candidates' BM25 scores over the postings of the need's
    /// terms, then bounds each candidate by the table, tags and text, and scores exactly
    /// those whose bound reaches θ; with `taggedScored`, only the candidates without shared
    /// tags (the others were scored already).
    private mutating func walk(class k: Int, need: NeedTerms, table: [Double], areas: [Double], taggedScored: Bool) {
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
                // Rejected (−1), or scored with the tagged.
                guard taggedScored ? hits == 0 : hits >= 0 else { continue }
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
        var fewest = need.tagCount
        while fewest > 1, sharingAtLeast[fewest] < 8 * limit { fewest -= 1 }
        var counted = 0
        // With two or more shared tags, fewer candidates to read (a quarter at 100,000).
        let candidates = fewest >= 2 ? touchedTwice : touched
        statics.table.withUnsafeBufferPointer { table in
            hasDistricts.withUnsafeBufferPointer { hasDistricts in
                for p32 in candidates {
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
        var theta = threshold
        for p32 in touched {
            let p = Int(p32), hits = tagHits[p]
            guard hits > 0, byTags[Int(classOf[p])] else { continue }
            let bound = table[p] + need.tagScale * Double(hits) + weights.text + Self.slack
            guard bound >= theta, bound > -.infinity else { continue }
            offerExact(candidate: Int(round.searchOrder[p]), need: need, hits: hits, sum: forwardSum(position: p, need: need), areas: areas)
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
    ///
    /// Within a kind, by their tags: needs sharing tags then follow each other, and the
    /// second one finds the tags' lists (`TaggedTextIndex`, `tagPostings`) and its tagged
    /// candidates' entries of the table still in cache. At 100,000 × 10,000 a third of the
    /// needs have the same tags as the need before; scoring took about 13 % less.
    /// The order changes no result: each need's search is on its own.
    func needsByKind() -> [Int] {
        let kinds = (0..<round.needCount).map { Self.kind(need: $0, areaKey: Self.areaKey(need: $0, round: round), round: round) }
        return (0..<round.needCount).sorted { a, b in
            if kinds[a] != kinds[b] { return kinds[a] < kinds[b] }
            let ta = round.needTags[round.needTagStart[a]..<round.needTagStart[a + 1]]
            let tb = round.needTags[round.needTagStart[b]..<round.needTagStart[b + 1]]
            if ta.elementsEqual(tb) { return a < b }
            return ta.lexicographicallyPrecedes(tb)
        }
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
/// tags (−1: the pair was rejected by staff; with the `Scorer.seen` bit once a tagged
/// search scored it); per term, an all-ones mask for the need's query terms.
/// Raw memory owned by a class, so the hot loops pay no copy-on-write checks or bounds
/// checks; all zero between needs.
private final class DenseSums {
    let text: UnsafeMutablePointer<Int64>
    let tags: UnsafeMutablePointer<Int32>
    let termMask: UnsafeMutablePointer<UInt32>
    /// One tag's candidates' text sums, by their place in the tag's list.
    let memberText: UnsafeMutablePointer<Int64>
    /// A histogram of partial scores.
    let histogram: UnsafeMutablePointer<Int32>
    static let buckets = 256

    init(count: Int, terms: Int, largestTag: Int) {
        histogram = .allocate(capacity: Self.buckets)
        memberText = .allocate(capacity: max(1, largestTag))
        memberText.initialize(repeating: 0, count: max(1, largestTag))
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
        memberText.deallocate()
    }
}
