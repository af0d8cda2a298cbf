/// Exact assignment by min-cost flow, successive shortest paths with potentials.
///
/// The network is the one of `matching.md`: source → candidate (capacity c_i, cost 0),
/// candidate → need (capacity 1, cost −score), need → sink (one arc of capacity 1 and cost
/// −B·priority, one of capacity wanted − 1 and cost 0), and a free source → sink bypass.
/// The bypass means "not assigning" costs nothing, so the source and the sink can be merged
/// into one node, the hub, and the problem becomes: cancel negative cycles through the hub.
///
/// Needs are added one at a time. Before need j arrives the flow is optimal for the needs
/// already added; every cycle that could improve it must pass through j (any other
/// improving cycle would already have existed). So it suffices to find, repeatedly, the
/// shortest path hub ⇝ j in the residual network and close it with j's next arc to the hub
/// (first the bonus arc, then the zero-cost ones), while that cycle costs < 0 and j has
/// slots left. This is successive shortest paths with j as the only source, like the
/// Hungarian method adding one row at a time. Each path is found by Dijkstra run backwards
/// from j over reduced costs (all ≥ 0 thanks to the potentials), which stops as soon as
/// the hub is reached: it explores the few alternating paths around j, not the whole graph.
///
/// The same argument holds arc by arc, so each need's arcs to the sink are added in two
/// phases: first every need's bonus arc (coverage), highest priority first, then every
/// need's other slots. Needs in id order, all slots at once, made later needs undo earlier
/// choices over and over when capacity is scarce (a second partner taken by an early need,
/// then taken back to cover a later one): at 131 × 500 the solver spent 2.8 times as long.
/// (Not everywhere: on the random instances of `bench_assignment.py --random` the id order
/// was faster, 1.7 against 2.3 s at 1,000 × 2,000; council-like data is what rounds see.)
/// The optimum is the same; among equally good assignments the one found may differ,
/// which is why the engine version moved to 1.1.0.
///
/// Potentials start at 0 for the hub and candidates; a new need j gets
/// π(j) = min over its edges (π(c) − score), which makes every arc into it non-negative
/// (the graph is a DAG before any flow, so this is the topological DP). After each path the
/// settled nodes move by (D − d(v)); when a path is not used, potentials stay put, so the
/// reverse of j's used arcs to the hub stays non-negative.
///
/// Each search also stops as soon as the next node is as far as the cheapest path that could
/// still pay off (cost + j's slot cost < 0): such a path would be rejected anyway, and the
/// flow and potentials are then left exactly as a full search would leave them.
///
/// Deterministic: needs in (priority descending, id) order, the heap ordered by (distance,
/// node index) with nodes in id order, edges scanned in id order.
public enum MinCostFlow {
    /// One flag per edge of `problem`: the maximum-objective assignment.
    public static func solve(_ problem: AssignmentProblem) -> [Bool] {
        var solver = Solver(problem)
        solver.run()
        return solver.assigned
    }
}

private struct Solver {
    let p: AssignmentProblem
    let candidateCount: Int
    let hub: Int
    var capacityLeft: [Int]
    var slots: [Int]
    var bonusOpen: [Bool]
    var isFixed: [Bool]
    // The arrays the searches read or write are raw buffers (see `RawBuffer`).
    var used: RawBuffer<Bool>
    var cost: RawBuffer<Int>
    var edgeNeed: RawBuffer<Int32>
    var edgeCandidate: RawBuffer<Int32>
    var needFlow: [Int]
    var potential: RawBuffer<Int>
    /// Open (non-fixed) edges by need, in candidate order: edge id, candidate, cost and
    /// whether it is used side by side, so the need side of a search reads contiguous runs
    /// instead of looking each edge's cost and flag up by its id (a cache miss per edge on
    /// large rounds). `edgeSlot` is each open edge's place in these runs (−1 if fixed).
    var needStart: RawBuffer<Int>
    var needEdges: RawBuffer<Int32>
    var needCandidates: RawBuffer<Int32>
    var needCost: RawBuffer<Int>
    var needUsed: RawBuffer<Bool>
    var edgeSlot: RawBuffer<Int32>
    /// Used edges by candidate: a slot range of (at most) its capacity per candidate. The
    /// candidate side of a search follows used pairs only, and a candidate has far more
    /// kept pairs (hundreds when candidates are scarce) than used ones (its capacity).
    var usedStart: RawBuffer<Int>
    var usedCount: RawBuffer<Int>
    var usedList: RawBuffer<Int32>
    var usedSlot: RawBuffer<Int32> // per edge: its index in usedList while used
    // Dijkstra scratch: stamped so nothing is cleared between searches.
    var dist: RawBuffer<Int>
    var seen: RawBuffer<Int32>
    var done: RawBuffer<Int32>
    var via: RawBuffer<Int32> // candidate/need: edge id toward the start; hub: the first node of the path
    var stamp: Int32 = 0
    /// Bound of the current search: its limit, then the best distance to the hub found.
    var cutoff = 0
    var settled: [Int32] = []
    var heap: NodeHeap

    var assigned: [Bool] {
        var result = isFixed
        for e in result.indices where used[e] { result[e] = true }
        return result
    }

    init(_ problem: AssignmentProblem) {
        p = problem
        candidateCount = problem.candidateIds.count
        let needCount = problem.needIds.count
        hub = candidateCount + needCount
        let residual = problem.residual()
        (capacityLeft, slots, bonusOpen, isFixed) = residual
        let open = problem.edges.indices.filter { !residual.isFixed[$0] }
        let edges = problem.edges
        used = RawBuffer(repeating: false, count: edges.count)
        cost = RawBuffer(edges.map { -$0.score })
        edgeNeed = RawBuffer(edges.map { Int32($0.need) })
        edgeCandidate = RawBuffer(edges.map { Int32($0.candidate) })
        needFlow = [Int](repeating: 0, count: needCount)
        potential = RawBuffer(repeating: 0, count: hub + 1)
        let byNeed = Self.byNeedThenCandidate(open, edges: edges, needCount: needCount)
        needStart = RawBuffer(byNeed.start)
        needEdges = RawBuffer(byNeed.order.map { Int32($0) })
        needCandidates = RawBuffer(byNeed.order.map { Int32(edges[$0].candidate) })
        needCost = RawBuffer(byNeed.order.map { -edges[$0].score })
        needUsed = RawBuffer(repeating: false, count: byNeed.order.count)
        edgeSlot = RawBuffer(repeating: -1, count: edges.count)
        for (k, e) in byNeed.order.enumerated() { edgeSlot[e] = Int32(k) }
        // A candidate never uses more pairs than its residual capacity or its open edges.
        var slotStart = [0]
        var openPerCandidate = [Int](repeating: 0, count: candidateCount)
        for e in open { openPerCandidate[edges[e].candidate] += 1 }
        for c in 0..<candidateCount {
            slotStart.append(slotStart[c] + min(max(0, residual.capacity[c]), openPerCandidate[c]))
        }
        usedStart = RawBuffer(slotStart)
        usedCount = RawBuffer(repeating: 0, count: candidateCount)
        usedList = RawBuffer(repeating: -1, count: slotStart[candidateCount])
        usedSlot = RawBuffer(repeating: -1, count: edges.count)
        dist = RawBuffer(repeating: 0, count: hub + 1)
        seen = RawBuffer(repeating: 0, count: hub + 1)
        done = RawBuffer(repeating: 0, count: hub + 1)
        via = RawBuffer(repeating: -1, count: hub + 1)
        heap = NodeHeap(nodeCount: hub + 1)
    }

    /// `ids` (ascending edge ids) ordered by need, then candidate, then id, and where each
    /// need's run starts. A counting sort by need reads the edges in storage order; each
    /// run, at most L pairs, is then sorted by candidate. (Two counting sorts, by candidate
    /// and then by need, read every edge a second time at random places: a third of the
    /// assignment's time at 10,000 × 5,000.)
    static func byNeedThenCandidate(_ ids: [Int], edges: [AssignmentProblem.Edge], needCount: Int) -> (start: [Int], order: [Int]) {
        var start = [Int](repeating: 0, count: needCount + 1)
        for e in ids { start[edges[e].need + 1] += 1 }
        for j in 0..<needCount { start[j + 1] += start[j] }
        var fill = start
        // Candidate (high bits) and edge id (low bits): one integer sorts by both.
        var keys = [UInt64](repeating: 0, count: ids.count)
        for e in ids {
            let j = edges[e].need
            keys[fill[j]] = UInt64(edges[e].candidate) << 32 | UInt64(e)
            fill[j] += 1
        }
        for j in 0..<needCount { keys[start[j]..<start[j + 1]].sort() }
        return (start, keys.map { Int($0 & 0xFFFF_FFFF) })
    }

    /// Cost of the next unit of flow from need j to the hub.
    func slotCost(_ j: Int, unit: Int) -> Int {
        unit == 1 && bonusOpen[j] ? -p.coverageBonus * p.priorities[j] : 0
    }

    mutating func run() {
        let needCount = p.needIds.count
        var started = [Bool](repeating: false, count: needCount)
        // Most important needs first, then by id.
        let order = (0..<needCount).sorted {
            p.priorities[$0] > p.priorities[$1] || (p.priorities[$0] == p.priorities[$1] && $0 < $1)
        }
        // Phase 1: coverage only (each need's bonus arc). Phase 2: the other slots.
        for j in order where bonusOpen[j] { add(j, upTo: min(1, slots[j]), started: &started) }
        // A need still uncovered after phase 1 stays so: a cycle through one of its zero-cost
        // arcs would be a better one through its bonus arc, and the flow has none.
        for j in order where !(bonusOpen[j] && needFlow[j] == 0) { add(j, upTo: slots[j], started: &started) }
    }

    /// Adds need j's arcs to the sink up to `units` (its first `units` slots) and cancels the
    /// improving cycles through them: shortest paths hub ⇝ j, closed by j's next slot.
    mutating func add(_ j: Int, upTo units: Int, started: inout [Bool]) {
        let node = candidateCount + j
        guard needStart[j + 1] > needStart[j], needFlow[j] < units else { return }
        if !started[j] {
            started[j] = true
            var lowest = Int.max
            for k in needStart[j]..<needStart[j + 1] {
                lowest = min(lowest, potential[Int(needCandidates[k])] + needCost[k])
            }
            potential[node] = lowest
        }
        while needFlow[j] < units {
            // A path is used only if reach − π(hub) + π(j) + slotCost < 0.
            let limit = potential[hub] - potential[node] - slotCost(j, unit: needFlow[j] + 1)
            guard let reach = shortestPath(to: j, limit: limit) else { break }
            for v in settled { potential[Int(v)] += reach - dist[Int(v)] }
            augment(to: j)
        }
    }

    /// Backward Dijkstra from need j to the hub over reduced costs; returns d(hub) if it is
    /// below `limit`, nil otherwise (no path, or none that pays off).
    mutating func shortestPath(to j: Int, limit: Int) -> Int? {
        stamp &+= 1
        cutoff = limit
        settled.removeAll(keepingCapacity: true)
        heap.clear()
        let start = candidateCount + j
        relax(start, 0, via: -1)
        while let (d, u) = heap.pop() {
            guard d < limit else { return nil }
            done[u] = stamp
            settled.append(Int32(u))
            if u == hub { return d }
            if u >= candidateCount {
                let n = u - candidateCount
                // Arcs c → n of unused pairs: c could newly take n.
                relaxCandidates(of: n, from: d - potential[u])
                // Hub → n, reverse of n's last used arc to the sink: n gives up a partner.
                if n != j, needFlow[n] > 0 {
                    let back = -slotCost(n, unit: needFlow[n])
                    relax(hub, d + back + potential[hub] - potential[u], via: u)
                }
            } else {
                let c = u
                // Hub → c: c still has room.
                if capacityLeft[c] > 0 {
                    relax(hub, d + potential[hub] - potential[c], via: c)
                }
                // n → c, reverse of a used pair: c leaves n (to take the need after it).
                for k in usedStart[c]..<(usedStart[c] + usedCount[c]) {
                    let e = Int(usedList[k])
                    let n = candidateCount + Int(edgeNeed[e])
                    relax(n, d - cost[e] + potential[n] - potential[c], via: e)
                }
            }
        }
        return nil
    }

    /// Arcs c → n of n's unused pairs, `relax` inlined over local pointers: the hottest loop
    /// of the assignment (a need has up to L pairs, and a search settles dozens of needs when
    /// candidates are scarce). Through the buffers' stored properties, every access reloaded
    /// the buffer's address, as writes through one might have changed another.
    @inline(__always)
    mutating func relaxCandidates(of n: Int, from base: Int) {
        let candidates = needCandidates.base, costs = needCost.base, usedPairs = needUsed.base
        let edgeIds = needEdges.base, potentials = potential.base
        let doneAt = done.base, seenAt = seen.base, distance = dist.base, towardStart = via.base
        let stamp = self.stamp, cutoff = self.cutoff
        for k in needStart[n]..<needStart[n + 1] {
            guard !usedPairs[k] else { continue }
            let c = Int(candidates[k])
            guard doneAt[c] != stamp else { continue }
            // Scores and potentials are far from overflowing: sums of at most a few thousand
            // scores of 10⁴-ish units along a path.
            let d = base &+ costs[k] &+ potentials[c]
            guard d < cutoff else { continue }
            if seenAt[c] != stamp || d < distance[c] {
                seenAt[c] = stamp
                distance[c] = d
                towardStart[c] = edgeIds[k]
                heap.update(c, d)
            }
        }
    }

    /// Settled nodes are final (they could not improve anyway: reduced costs are ≥ 0).
    @inline(__always)
    /// A node at `cutoff` or beyond can neither pay off (the limit) nor lead to a shorter
    /// path to the hub than the one already found (reduced costs are ≥ 0): it stays out of
    /// the heap. Such a node would have been settled, if at all, at exactly the hub's
    /// distance, where its potential moves by 0, so flow and potentials end up the same.
    mutating func relax(_ v: Int, _ d: Int, via arc: Int) {
        guard done[v] != stamp, d < cutoff else { return }
        if seen[v] != stamp || d < dist[v] {
            seen[v] = stamp
            dist[v] = d
            via[v] = Int32(arc)
            heap.update(v, d)
            if v == hub { cutoff = d }
        }
    }

    /// Pushes one unit hub ⇝ j along the `via` pointers, then over j's next arc to the hub.
    mutating func augment(to j: Int) {
        var v = Int(via[hub])
        if v < candidateCount {
            capacityLeft[v] -= 1
        } else {
            needFlow[v - candidateCount] -= 1
        }
        while true {
            let e = Int(via[v])
            if v < candidateCount {
                setUsed(e, true)
                v = candidateCount + Int(edgeNeed[e])
                if v == candidateCount + j { break }
            } else {
                setUsed(e, false)
                v = Int(edgeCandidate[e])
            }
        }
        needFlow[j] += 1
    }

    /// Marks a pair used or not, keeping its candidate's used list (order irrelevant).
    mutating func setUsed(_ e: Int, _ value: Bool) {
        used[e] = value
        needUsed[Int(edgeSlot[e])] = value
        let c = Int(edgeCandidate[e])
        if value {
            let k = usedStart[c] + usedCount[c]
            usedList[k] = Int32(e)
            usedSlot[e] = Int32(k)
            usedCount[c] += 1
        } else {
            let k = Int(usedSlot[e]), last = usedStart[c] + usedCount[c] - 1
            usedList[k] = usedList[last]
            usedSlot[Int(usedList[k])] = Int32(k)
            usedSlot[e] = -1
            usedCount[c] -= 1
        }
    }
}

/// Binary min-heap of (distance, node) with decrease-key: each node is in it at most once
/// (a position table), so a search pops only the nodes it settles, and the storage has a
/// fixed size (one entry per node). Ties by node index, so the nodes come out in the same
/// order as from a heap of all relaxations.
struct NodeHeap {
    private let keys: RawBuffer<Int>
    private let nodes: RawBuffer<Int32>
    private let position: RawBuffer<Int32> // per node: index in the heap, −1 if absent
    private var count = 0

    init(nodeCount: Int) {
        keys = RawBuffer(repeating: 0, count: nodeCount)
        nodes = RawBuffer(repeating: 0, count: nodeCount)
        position = RawBuffer(repeating: -1, count: nodeCount)
    }

    mutating func clear() {
        for i in 0..<count { position[Int(nodes[i])] = -1 }
        count = 0
    }

    @inline(__always)
    private func less(_ i: Int, _ j: Int) -> Bool {
        keys[i] < keys[j] || (keys[i] == keys[j] && nodes[i] < nodes[j])
    }

    @inline(__always)
    private func swap(_ i: Int, _ j: Int) {
        let k = keys[i], n = nodes[i]
        keys[i] = keys[j]
        nodes[i] = nodes[j]
        keys[j] = k
        nodes[j] = n
        position[Int(nodes[i])] = Int32(i)
        position[Int(nodes[j])] = Int32(j)
    }

    /// Inserts `node` with `key`, or lowers its key (callers only ever lower it).
    mutating func update(_ node: Int, _ key: Int) {
        var i = Int(position[node])
        if i < 0 {
            i = count
            count += 1
            nodes[i] = Int32(node)
            position[node] = Int32(i)
        }
        keys[i] = key
        while i > 0 {
            let parent = (i - 1) / 2
            guard less(i, parent) else { break }
            swap(i, parent)
            i = parent
        }
    }

    mutating func pop() -> (Int, Int)? {
        guard count > 0 else { return nil }
        let key = keys[0], node = Int(nodes[0])
        count -= 1
        swap(0, count)
        position[node] = -1
        var i = 0
        while true {
            let l = 2 * i + 1, r = l + 1
            var m = i
            if l < count, less(l, m) { m = l }
            if r < count, less(r, m) { m = r }
            if m == i { break }
            swap(i, m)
            i = m
        }
        return (key, node)
    }
}
