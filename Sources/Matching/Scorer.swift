/// Finds the top L candidates of each need, exactly, without scoring every pair.
///
/// Only candidates that share a tag or an informative bigram with the need can get a tags or
/// text value above 0; every other candidate has its static part only (domain, area,
/// capacity, experience). The search works with upper bounds and verifies only the
/// candidates that could still enter the top L (MaxScore / threshold algorithm):
///
/// 1. Tag postings give the tag-sharing candidates T and their exact tag value.
/// 2. The L best of T by upper bound (text assumed perfect) are scored exactly: their L-th
///    score is a first threshold θ.
/// 3. Query terms are split by document frequency: the frequent ones ("tail") together
///    could add at most R to any BM25 sum. The tail is as large as possible while
///    (best static part) + w_text · R / self < θ, so a candidate sharing only tail terms
///    cannot make the top L. Only the rare ("essential") terms' postings are walked. The
///    split is made twice, for candidates in the need's domain and for the others (who
///    lack the domain weight, so their tail is longer); postings are grouped by domain.
/// 4. Every touched candidate whose bound (with the partial BM25 sum + R) can still beat
///    the L-th score is scored exactly (walked sum + its weights for the tail terms), in
///    order of decreasing bound, until the bound falls below the rising L-th score.
/// 5. Untouched candidates are scanned best static part first (pre-sorted per domain),
///    stopping as soon as the bound falls below the L-th score.
///
/// Cost grows with the postings walked and the candidates verified, not with N × M, and
/// only L entries per need are ever held.
struct Scorer {
    let round: PreparedRound
    let weights: FeatureWeights
    let filters: HardFilters
    let limit: Int

    /// Per domain index: eligible members / non-members, best static key first.
    private var members: [[Int32]] = []
    private var nonMembers: [[Int32]] = []
    /// w_capacity · x_capacity + w_experience · x_experience per (candidate, domain).
    private var staticKey: [Double]

    // Scratch, reused for every need (stamped, so never cleared).
    private let slots: Slots
    private var touched: [Int32] = []
    private var pending: [(bound: Double, candidate: Int32)] = []
    private var terms: [Int32] = []
    /// Per term: stamp << 32 | its position in `terms`, for the current need only.
    private var termPosition: [Int64]
    private var heap: TopLHeap
    private var bounds: TopLHeap

    init(round: PreparedRound, weights: FeatureWeights, filters: HardFilters, limit: Int) {
        self.round = round
        self.weights = weights
        self.filters = filters
        self.limit = max(0, limit)
        let n = round.candidateCount
        slots = Slots(count: n)
        heap = TopLHeap(limit: max(0, limit))
        bounds = TopLHeap(limit: max(0, limit))
        staticKey = [Double](repeating: 0, count: n * 3)
        termPosition = [Int64](repeating: 0, count: round.text.termCount)
        for c in 0..<n {
            for d in CollaborationDomain.allCases {
                staticKey[c * 3 + d.index] = weights.capacity * round.capacityValue[c]
                    + weights.experience * PreparedRound.experienceValue(round.workingGroupCount(candidate: c, domain: d))
            }
        }
        for d in CollaborationDomain.allCases {
            var inDomain: [Int32] = [], outside: [Int32] = []
            for c in 0..<n where round.eligible[c] {
                if round.domainMask[c] & d.bit != 0 { inDomain.append(Int32(c)) } else { outside.append(Int32(c)) }
            }
            let key = staticKey, di = d.index
            let order: (Int32, Int32) -> Bool = { a, b in
                let ka = key[Int(a) * 3 + di], kb = key[Int(b) * 3 + di]
                return ka > kb || (ka == kb && a < b)
            }
            members.append(inDomain.sorted(by: order))
            nonMembers.append(outside.sorted(by: order))
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
        let stamp = Int32(j + 1)
        let slot = slots.base
        for c in removed { slot[Int(c)].removed = stamp }
        touched.removeAll(keepingCapacity: true)
        let text = round.text
        let own = text.selfScore[j]
        let d = round.needDomain[j].index
        let domainBit = round.needDomain[j].bit

        // 1. Tags.
        for k in round.needTagStart[j]..<round.needTagStart[j + 1] {
            let tag = Int(round.needTags[k])
            guard tag >= 0 else { continue }
            for p in round.tagPostingStart[tag]..<round.tagPostingStart[tag + 1] {
                let c = Int(round.tagPostings[p])
                if slot[c].seen != stamp {
                    slot[c].seen = stamp
                    slot[c].accumulated = 0
                    slot[c].hits = 0
                    touched.append(Int32(c))
                }
                slot[c].hits += 1
            }
        }

        // Cheap upper bound (area assumed perfect) from the scratch record and static key only.
        let tagTotal = round.needTagStart[j + 1] - round.needTagStart[j]
        let tagScale = tagTotal > 0 ? weights.tags / Double(tagTotal) : 0
        func quickBound(_ c: Int, hits: Int32, text: Int64) -> Double {
            (round.domainMask[c] & domainBit != 0 ? weights.domain : 0) + weights.area
                + staticKey[c * 3 + d] + tagScale * Double(hits) + textBound(text, own) + Self.slack
        }

        // The query's terms, rarest first, each marked with its position in that order.
        terms.removeAll(keepingCapacity: true)
        terms.append(contentsOf: text.queryTerm[text.queryStart[j]..<text.queryStart[j + 1]])
        let df = text.documentFrequency
        terms.sort { df[Int($0)] < df[Int($1)] || (df[Int($0)] == df[Int($1)] && $0 < $1) }
        for (q, t) in terms.enumerated() { termPosition[Int(t)] = Int64(stamp) << 32 | Int64(q) }

        // 2. A first threshold from the most promising tag-sharing candidates. Once the
        // bounds heap is full, a candidate whose cheap bound is below its floor cannot enter
        // it: skip the exact feature values (the heap ends up the same).
        bounds.reset()
        for c32 in touched {
            let c = Int(c32)
            guard slot[c].removed != stamp else { continue }
            if bounds.isFull, quickBound(c, hits: slot[c].hits, text: own) < bounds.floor { continue }
            guard let v = admissible(candidate: c, need: j, textValue: own > 0 ? 1 : 0, tagHits: Int(slot[c].hits))
            else { continue }
            bounds.offer(.init(score: weights.score(v), candidate: c32, textScore: 0, tagHits: slot[c].hits))
        }
        for entry in bounds.entries {
            let c = Int(entry.candidate)
            slot[c].done = stamp
            consider(candidate: c, need: j, textScore: textSum(candidate: c, from: 0, stamp: stamp), tagHits: Int(slot[c].hits))
        }

        // 3. Split the query: rare terms are walked, frequent ones only bounded.
        // Two splits, one per side of the need's domain: a candidate outside it lacks the
        // domain weight, so far more of the query is "tail" for it — often all of it, and then
        // the other domains' postings (grouped by domain mask in the index) are not walked.
        let bestMember = members[d].first.map { weights.area + weights.domain + staticKey[Int($0) * 3 + d] } ?? -.infinity
        let bestNonMember = filters.domainMustMatch
            ? -.infinity : (nonMembers[d].first.map { weights.area + staticKey[Int($0) * 3 + d] } ?? -.infinity)
        let theta = threshold
        let member = split(bestStatic: bestMember, theta: theta, own: own)
        let nonMember = split(bestStatic: bestNonMember, theta: theta, own: own)
        // The hottest loop of scoring (thousands of postings per need at 10,000 candidates): raw
        // pointers, and one slot per candidate so a posting costs one cache line.
        text.postingCandidate.withUnsafeBufferPointer { postingCandidate in
            text.postingWeight.withUnsafeBufferPointer { postingWeight in
                for q in 0..<max(member.cut, nonMember.cut) {
                    let t = Int(terms[q])
                    let walkMembers = q < member.cut, walkOthers = q < nonMember.cut
                    for k in 0..<BM25Index.classCount {
                        guard UInt8(k) & domainBit != 0 ? walkMembers : walkOthers else { continue }
                        let run = t * BM25Index.classCount + k
                        for p in text.postingStart[run]..<text.postingStart[run + 1] {
                            let c = Int(postingCandidate[p])
                            if slot[c].seen != stamp {
                                slot[c].seen = stamp
                                slot[c].accumulated = 0
                                slot[c].hits = 0
                                touched.append(Int32(c))
                            }
                            slot[c].accumulated &+= Int64(postingWeight[p])
                        }
                    }
                }
            }
        }

        // 4. Verify touched candidates that can still make it, best bound first: the L-th
        // score then rises quickly and the rest stop at the first bound below it (with
        // 100,000 candidates, thousands pass the bounds but only a few hundred need verifying).
        // The top L under (score, id) does not depend on the order candidates are offered.
        pending.removeAll(keepingCapacity: true)
        let theta0 = threshold
        for c32 in touched {
            let c = Int(c32)
            let state = slot[c]
            guard state.removed != stamp, state.done != stamp else { continue }
            let acc = state.accumulated + (round.domainMask[c] & domainBit != 0 ? member.tail : nonMember.tail)
            // Cheap bound first: most touched candidates stop here.
            guard quickBound(c, hits: state.hits, text: acc) >= theta0 else { continue }
            guard let v = admissible(candidate: c, need: j, textValue: textValue(acc, own), tagHits: Int(state.hits))
            else { continue }
            let bound = weights.score(v) + Self.slack
            if bound >= theta0 { pending.append((bound, c32)) }
        }
        pending.sort { $0.bound > $1.bound || ($0.bound == $1.bound && $0.candidate < $1.candidate) }
        for (bound, c32) in pending {
            guard bound >= threshold else { break }
            let c = Int(c32)
            // BM25 is a sum of integers: the walked (rare) terms' part plus the tail's part.
            let inDomain = round.domainMask[c] & domainBit != 0
            let acc = slot[c].accumulated
            let tail = inDomain ? member.tail : nonMember.tail
            let exact = tail == 0 ? acc : acc + textSum(candidate: c, from: inDomain ? member.cut : nonMember.cut, stamp: stamp)
            consider(candidate: c, need: j, textScore: exact, tagHits: Int(slot[c].hits))
        }

        // 5. Untouched candidates, best static part first, until the bound drops below θ.
        scan(members[d], base: weights.domain, domain: d, need: j, stamp: stamp, tail: member.tail, cut: member.cut)
        if !filters.domainMustMatch {
            scan(nonMembers[d], base: 0, domain: d, need: j, stamp: stamp, tail: nonMember.tail, cut: nonMember.cut)
        }
        return heap.sorted()
    }

    /// The longest tail of `terms` (the most frequent ones) whose weights together cannot
    /// lift a candidate with at most `bestStatic` and no shared tag to `theta`: such a
    /// candidate is in the top L only through a walked term. `cut` = how many terms to walk.
    private func split(bestStatic: Double, theta: Double, own: Int64) -> (cut: Int, tail: Int64) {
        var cut = terms.count
        var tail: Int64 = 0
        while cut > 0 {
            let next = tail + Int64(round.text.maxWeight[Int(terms[cut - 1])])
            guard bestStatic + textBound(next, own) + Self.slack < theta else { break }
            tail = next
            cut -= 1
        }
        return (cut, tail)
    }

    @inline(__always)
    private func textValue(_ score: Int64, _ own: Int64) -> Double {
        own > 0 ? min(1, Double(score) / Double(own)) : 0
    }

    @inline(__always)
    private func textBound(_ score: Int64, _ own: Int64) -> Double {
        weights.text * textValue(score, own)
    }

    private mutating func scan(_ list: [Int32], base: Double, domain d: Int, need j: Int, stamp: Int32, tail: Int64,
                               cut: Int) {
        let own = round.text.selfScore[j]
        let bonus = base + weights.area + textBound(tail, own) + Self.slack
        for c32 in list {
            let c = Int(c32)
            let bound = bonus + staticKey[c * 3 + d]
            if bound < threshold { return }
            if slots.base[c].seen == stamp || slots.base[c].removed == stamp { continue }
            // Untouched: no walked term, so its BM25 sum is the tail's part alone.
            consider(candidate: c, need: j, textScore: tail == 0 ? 0 : textSum(candidate: c, from: cut, stamp: stamp), tagHits: 0)
        }
    }

    /// Candidate c's BM25 weights summed over the need's terms from position `cut` on in
    /// rarest-first order (0: the whole BM25 sum; a split's cut: its tail). One pass over
    /// the candidate's forward list with a lookup per term in `termPosition`, cheaper than a
    /// binary search per tail term or a merge with the query. Integer sums, so walked part +
    /// tail part == `BM25Index.pairScore` exactly.
    @inline(__always)
    private func textSum(candidate c: Int, from cut: Int, stamp: Int32) -> Int64 {
        let text = round.text
        let marked = Int64(stamp) << 32 | Int64(cut), next = Int64(stamp + 1) << 32
        var total: Int64 = 0
        termPosition.withUnsafeBufferPointer { position in
            text.forwardTerm.withUnsafeBufferPointer { term in
                text.forwardWeight.withUnsafeBufferPointer { weight in
                    for k in text.forwardStart[c]..<text.forwardStart[c + 1] {
                        let m = position[Int(term[k])]
                        if m >= marked && m < next { total &+= Int64(weight[k]) }
                    }
                }
            }
        }
        return total
    }

    /// Feature values if the pair passes the domain and area filters.
    @inline(__always)
    private func admissible(candidate c: Int, need j: Int, textValue: Double, tagHits: Int) -> FeatureValues? {
        var v = round.values(candidate: c, need: j, textScore: 0, tagHits: tagHits)
        if filters.domainMustMatch, v.domain == 0 { return nil }
        if filters.areaMustMatch, v.area == 0 { return nil }
        v.text = textValue
        return v
    }

    @inline(__always)
    private mutating func consider(candidate c: Int, need j: Int, textScore: Int64, tagHits: Int) {
        let v = round.values(candidate: c, need: j, textScore: textScore, tagHits: tagHits)
        if filters.domainMustMatch, v.domain == 0 { return }
        if filters.areaMustMatch, v.area == 0 { return }
        let score = weights.score(v)
        if let minimum = filters.minimumScore, score < minimum { return }
        heap.offer(.init(score: score, candidate: Int32(c), textScore: textScore, tagHits: Int32(tagHits)))
    }
}

/// Per-candidate scratch of the top-L search, one 24-byte record per candidate: a posting
/// touches one cache line, not five arrays. Raw memory owned by a class, so the hot loops
/// pay no copy-on-write uniqueness checks or bounds checks. Stamps are need index + 1.
private final class Slots {
    struct Slot {
        var seen: Int32 = 0 // touched by a tag or a walked term for this need
        var removed: Int32 = 0 // pair rejected by staff
        var done: Int32 = 0 // already scored exactly in step 2
        var hits: Int32 = 0 // the need's tags it has
        var accumulated: Int64 = 0 // BM25 over the walked terms
    }

    let base: UnsafeMutablePointer<Slot>
    private let count: Int

    init(count: Int) {
        self.count = count
        base = .allocate(capacity: max(1, count))
        base.initialize(repeating: Slot(), count: count)
    }

    deinit {
        base.deinitialize(count: count)
        base.deallocate()
    }
}
