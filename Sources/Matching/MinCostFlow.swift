/// Exact assignment by min-cost flow, successive shortest paths with potentials.
///
/// The network is the one of `matching.md`: source → candidate (capacity c_i, cost 0),
/// candidate → need (capacity 1, cost −score), need → sink (one arc of capacity 1 and cost
/// −B·priority, one of capacity wanted − 1 and cost 0), and a free source → sink bypass.
/// The bypass means "not assigning" costs nothing, so the source and the sink can be merged
/// into one node, the hub, and the problem becomes: cancel negative cycles through the hub.
///
/// Needs are added one at a time, in id order. Before need j arrives the flow is optimal for
/// the needs already added; every cycle that could improve it must pass through j (any other
/// improving cycle would already have existed). So it suffices to find, repeatedly, the
/// shortest path hub ⇝ j in the residual network and close it with j's next arc to the hub
/// (first the bonus arc, then the zero-cost ones), while that cycle costs < 0 and j has
/// slots left. This is successive shortest paths with j as the only source, like the
/// Hungarian method adding one row at a time. Each path is found by Dijkstra run backwards
/// from j over reduced costs (all ≥ 0 thanks to the potentials), which stops as soon as
/// the hub is reached: it explores the few alternating paths around j, not the whole graph.
///
/// Potentials start at 0 for the hub and candidates; a new need j gets
/// π(j) = min over its edges (π(c) − score), which makes every arc into it non-negative
/// (the graph is a DAG before any flow, so this is the topological DP). After each path the
/// settled nodes move by (D − d(v)); when a path is not used, potentials stay put, so the
/// reverse of j's used arcs to the hub stays non-negative.
///
/// Deterministic: needs in id order, the heap ordered by (distance, node index) with nodes
/// in id order, edges scanned in id order.
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
    var used: [Bool]
    var cost: [Int]
    var needFlow: [Int]
    var potential: [Int]
    // Adjacency (edge ids) by need and by candidate, in id order.
    var needStart: [Int]
    var needEdges: [Int32]
    var candidateStart: [Int]
    var candidateEdges: [Int32]
    // Dijkstra scratch: stamped so nothing is cleared between searches.
    var dist: [Int]
    var seen: [Int32]
    var done: [Int32]
    var via: [Int32] // candidate/need: edge id toward the start; hub: the first node of the path
    var stamp: Int32 = 0
    var settled: [Int32] = []
    var heap = NodeHeap()

    var assigned: [Bool] {
        var result = isFixed
        for e in used.indices where used[e] { result[e] = true }
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
        used = [Bool](repeating: false, count: problem.edges.count)
        cost = problem.edges.map { -$0.score }
        needFlow = [Int](repeating: 0, count: needCount)
        potential = [Int](repeating: 0, count: hub + 1)
        (needStart, needEdges) = Self.group(open, count: needCount,
                                            key: { edges[$0].need }, order: { edges[$0].candidate })
        (candidateStart, candidateEdges) = Self.group(open, count: problem.candidateIds.count,
                                                      key: { edges[$0].candidate }, order: { edges[$0].need })
        dist = [Int](repeating: 0, count: hub + 1)
        seen = [Int32](repeating: 0, count: hub + 1)
        done = [Int32](repeating: 0, count: hub + 1)
        via = [Int32](repeating: -1, count: hub + 1)
    }

    /// Counting sort of edge ids into per-node lists, each list sorted by `order`.
    static func group(_ ids: [Int], count: Int, key: (Int) -> Int, order: (Int) -> Int) -> ([Int], [Int32]) {
        var start = [Int](repeating: 0, count: count + 1)
        for e in ids { start[key(e) + 1] += 1 }
        for i in 0..<count { start[i + 1] += start[i] }
        var fill = start
        var list = [Int32](repeating: 0, count: ids.count)
        for e in ids.sorted(by: { (key($0), order($0)) < (key($1), order($1)) }) {
            list[fill[key(e)]] = Int32(e)
            fill[key(e)] += 1
        }
        return (start, list)
    }

    /// Cost of the next unit of flow from need j to the hub.
    func slotCost(_ j: Int, unit: Int) -> Int {
        unit == 1 && bonusOpen[j] ? -p.coverageBonus * p.priorities[j] : 0
    }

    mutating func run() {
        for j in 0..<p.needIds.count {
            let node = candidateCount + j
            guard needStart[j + 1] > needStart[j], slots[j] > 0 else { continue }
            var lowest = Int.max
            for k in needStart[j]..<needStart[j + 1] {
                let e = Int(needEdges[k])
                lowest = min(lowest, potential[p.edges[e].candidate] + cost[e])
            }
            potential[node] = lowest
            while needFlow[j] < slots[j] {
                guard let reach = shortestPath(to: j) else { break }
                let pathCost = reach - potential[hub] + potential[node]
                guard pathCost + slotCost(j, unit: needFlow[j] + 1) < 0 else { break }
                for v in settled { potential[Int(v)] += reach - dist[Int(v)] }
                augment(to: j)
            }
        }
    }

    /// Backward Dijkstra from need j to the hub over reduced costs; returns d(hub).
    mutating func shortestPath(to j: Int) -> Int? {
        stamp &+= 1
        settled.removeAll(keepingCapacity: true)
        heap.clear()
        let start = candidateCount + j
        relax(start, 0, via: -1)
        while let (d, u) = heap.pop() {
            guard done[u] != stamp, d == dist[u] else { continue }
            done[u] = stamp
            settled.append(Int32(u))
            if u == hub { return d }
            if u >= candidateCount {
                let n = u - candidateCount
                // Arcs c → n of unused pairs: c could newly take n.
                for k in needStart[n]..<needStart[n + 1] {
                    let e = Int(needEdges[k])
                    guard !used[e] else { continue }
                    let c = p.edges[e].candidate
                    relax(c, d + cost[e] + potential[c] - potential[u], via: e)
                }
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
                for k in candidateStart[c]..<candidateStart[c + 1] {
                    let e = Int(candidateEdges[k])
                    guard used[e] else { continue }
                    let n = candidateCount + p.edges[e].need
                    relax(n, d - cost[e] + potential[n] - potential[c], via: e)
                }
            }
        }
        return nil
    }

    @inline(__always)
    mutating func relax(_ v: Int, _ d: Int, via arc: Int) {
        if seen[v] != stamp || d < dist[v] {
            seen[v] = stamp
            dist[v] = d
            via[v] = Int32(arc)
            heap.push(d, v)
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
                used[e] = true
                v = candidateCount + p.edges[e].need
                if v == candidateCount + j { break }
            } else {
                used[e] = false
                v = p.edges[e].candidate
            }
        }
        needFlow[j] += 1
    }
}

/// Binary min-heap of (distance, node) on two flat arrays; ties by node index.
struct NodeHeap {
    private var keys: [Int] = []
    private var nodes: [Int32] = []

    mutating func clear() {
        keys.removeAll(keepingCapacity: true)
        nodes.removeAll(keepingCapacity: true)
    }

    @inline(__always)
    private func less(_ i: Int, _ j: Int) -> Bool {
        keys[i] < keys[j] || (keys[i] == keys[j] && nodes[i] < nodes[j])
    }

    private mutating func swap(_ i: Int, _ j: Int) {
        keys.swapAt(i, j)
        nodes.swapAt(i, j)
    }

    mutating func push(_ key: Int, _ node: Int) {
        keys.append(key)
        nodes.append(Int32(node))
        var i = keys.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            guard less(i, parent) else { break }
            swap(i, parent)
            i = parent
        }
    }

    mutating func pop() -> (Int, Int)? {
        guard let key = keys.first else { return nil }
        let node = Int(nodes[0])
        let last = keys.count - 1
        swap(0, last)
        keys.removeLast()
        nodes.removeLast()
        var i = 0
        let n = keys.count
        while true {
            let l = 2 * i + 1, r = l + 1
            var m = i
            if l < n, less(l, m) { m = l }
            if r < n, less(r, m) { m = r }
            if m == i { break }
            swap(i, m)
            i = m
        }
        return (key, node)
    }
}
