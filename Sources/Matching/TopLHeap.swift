/// Keeps the L best candidates of one need: a min-heap on (score, then id descending), so
/// the root is the entry the next better candidate evicts. O(log L) per offer, L entries
/// of memory per need, never a full score row.
struct TopLHeap {
    struct Entry {
        var score: Double
        var candidate: Int32
        var textScore: Int64
        var tagHits: Int32
    }

    private(set) var entries: [Entry] = []
    let limit: Int

    init(limit: Int) {
        self.limit = limit
        entries.reserveCapacity(limit)
    }

    var isFull: Bool { entries.count >= limit }
    /// The worst kept score; meaningful when full.
    var floor: Double { entries.first?.score ?? -.infinity }

    /// `a` ranks below `b`: lower score, or equal score and larger id.
    @inline(__always)
    static func worse(_ a: Entry, _ b: Entry) -> Bool {
        a.score < b.score || (a.score == b.score && a.candidate > b.candidate)
    }

    mutating func reset() { entries.removeAll(keepingCapacity: true) }

    @inline(__always)
    mutating func offer(_ e: Entry) {
        guard limit > 0 else { return }
        if entries.count < limit {
            entries.append(e)
            var i = entries.count - 1
            while i > 0 {
                let parent = (i - 1) / 2
                guard Self.worse(entries[i], entries[parent]) else { break }
                entries.swapAt(i, parent)
                i = parent
            }
        } else if Self.worse(entries[0], e) {
            entries[0] = e
            Self.siftDown(&entries, count: entries.count)
        }
    }

    /// Restores the heap order of `heap[0..<count]` after its root was replaced.
    @inline(__always)
    private static func siftDown(_ heap: inout [Entry], count n: Int) {
        var i = 0
        while true {
            let l = 2 * i + 1, r = l + 1
            var m = i
            if l < n, worse(heap[l], heap[m]) { m = l }
            if r < n, worse(heap[r], heap[m]) { m = r }
            if m == i { break }
            heap.swapAt(i, m)
            i = m
        }
    }

    /// Best first: the heap emptied root by root (worst first) from the back, O(L log L).
    /// `Array.sorted` took insertion-sort runs over the L entries of every need, a visible
    /// share of scoring at 131 × 500.
    func sorted() -> [Entry] {
        var heap = entries
        var result = heap
        var n = heap.count
        while n > 0 {
            n -= 1
            result[n] = heap[0]
            heap[0] = heap[n]
            Self.siftDown(&heap, count: n)
        }
        return result
    }
}
