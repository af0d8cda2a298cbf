import Foundation

/// BM25 (k1 = 1.2, b = 0.75) over character bigrams, built once per round.
///
/// The corpus is every candidate document and every need document of the round, so a bigram
/// that is everywhere (particles, 高齢, 地域 …) gets no weight. IDF is Robertson–Spärck Jones,
/// floored at zero: ln((N − df + 0.5) / (df + 0.5)). A term in at least half of all documents
/// says nothing about fit; weighing it exactly 0 (rather than Lucene's small positive
/// "+1" variant) also lets scoring skip its long posting list without changing any score.
///
/// Posting weights are fixed-point integers (2⁻²⁴ resolution): sums are then exact and
/// independent of the order in which postings are visited, so the top-L search (postings)
/// and the pair-by-pair explanation (forward lists) always agree to the last bit.
struct BM25Index: Sendable {
    static let k1 = 1.2
    static let b = 0.75
    static let scale = Double(1 << 24)

    private(set) var termCount = 0
    private(set) var documentCount = 0
    private(set) var averageLength = 0.0
    /// Per term.
    private(set) var idf: [Double] = []
    private(set) var documentFrequency: [Int32] = []
    /// Inverted index over candidate documents (only candidates with `includeInPostings`),
    /// terms with idf > 0 only. Each term's list is grouped by the candidates' posting class
    /// (`postingClass`), so a search can walk only the classes that can still reach its
    /// threshold: the postings of term t in class k are `postingStart[s] ..< postingStart[s + 1]`
    /// for the slot s = k · termCount + t (`slot(term:class:)`). Class by class, so the
    /// slots a need's terms look up in one class lie close together.
    /// A posting names its candidate by its position in `searchOrder`, ascending.
    private(set) var classCount = 1
    private(set) var postingStart: [Int] = []
    private(set) var postingPosition: [Int32] = []
    private(set) var postingWeight: [UInt32] = []
    /// Per slot, its largest weight: what a term can add at most to a candidate of the class.
    private(set) var slotMax: [UInt32] = []
    /// The forward index again, by search position, each entry a term id (high 32 bits) and
    /// its weight (low 32 bits): the scorer sums a few candidates' lists at random places,
    /// and one stream of entries is one chain of cache misses instead of three.
    private(set) var searchForwardStart: [Int] = []
    private(set) var searchForward: [UInt64] = []
    /// Forward index of candidate documents: sorted term ids with their weights (idf > 0 only).
    private(set) var forwardStart: [Int] = []
    private(set) var forwardTerm: [Int32] = []
    private(set) var forwardWeight: [UInt32] = []
    /// Per need: the distinct query terms (idf > 0, sorted), the self score, and the tokens
    /// with their positions in `needScalars` for readable explanations.
    private(set) var queryStart: [Int] = []
    private(set) var queryTerm: [Int32] = []
    private(set) var selfScore: [Int64] = []
    private(set) var needScalars: [[Unicode.Scalar]] = []
    private(set) var needTokens: [[(term: Int32, start: Int32, length: Int32)]] = []

    /// - Parameters:
    ///   - candidateTexts: normalised candidate documents.
    ///   - needTexts: normalised need documents (the queries).
    ///   - includeInPostings: per candidate; ineligible candidates count for IDF only.
    ///   - postingClass: per candidate, its class in `0 ..< classCount` (empty: all in class 0).
    ///   - searchOrder: the candidates by position (empty: position = candidate index).
    init(candidateTexts: [String], needTexts: [String], includeInPostings: [Bool],
         postingClass: [Int] = [], classCount: Int = 1, searchOrder: [Int32] = []) {
        precondition(postingClass.isEmpty || postingClass.count == candidateTexts.count)
        precondition(searchOrder.isEmpty || searchOrder.count == candidateTexts.count)
        self.classCount = max(1, classCount)
        let slots = self.classCount
        var words = WordTable()
        var termIds: [UInt64: Int32] = [:]
        var df: [Int32] = []
        func termId(_ key: UInt64) -> Int32 {
            if let id = termIds[key] { return id }
            let id = Int32(df.count)
            termIds[key] = id
            df.append(0)
            return id
        }
        // Pass 1: tokenise; per document the sorted distinct terms with their frequency.
        var docStart: [Int] = [0]
        var docTerm: [Int32] = []
        var docTf: [Int32] = []
        var docLength: [Int32] = []
        var scratch: [Int32] = []
        func addDocument(_ scalars: [Unicode.Scalar], tokens: inout [(term: Int32, start: Int32, length: Int32)]?) {
            scratch.removeAll(keepingCapacity: true)
            Tokenizer.scan(scalars, words: &words) { token in
                let id = termId(token.key)
                scratch.append(id)
                tokens?.append((id, token.start, token.length))
            }
            docLength.append(Int32(scratch.count))
            scratch.sort()
            var i = 0
            while i < scratch.count {
                var j = i + 1
                while j < scratch.count, scratch[j] == scratch[i] { j += 1 }
                docTerm.append(scratch[i])
                docTf.append(Int32(j - i))
                df[Int(scratch[i])] += 1
                i = j
            }
            docStart.append(docTerm.count)
        }
        var none: [(term: Int32, start: Int32, length: Int32)]? = nil
        for text in candidateTexts {
            addDocument(Array(text.unicodeScalars), tokens: &none)
        }
        for text in needTexts {
            let scalars = Array(text.unicodeScalars)
            var tokens: [(term: Int32, start: Int32, length: Int32)]? = []
            addDocument(scalars, tokens: &tokens)
            needScalars.append(scalars)
            needTokens.append(tokens ?? [])
        }

        termCount = df.count
        documentFrequency = df
        documentCount = candidateTexts.count + needTexts.count
        let totalLength = docLength.reduce(0) { $0 + Int($1) }
        averageLength = documentCount == 0 ? 1 : max(1, Double(totalLength) / Double(documentCount))
        let n = Double(documentCount)
        idf = df.map { max(0, log((n - Double($0) + 0.5) / (Double($0) + 0.5))) }

        // Pass 2: candidate forward index and posting lists (counting sort by class and term).
        let terms = termCount
        func slot(term t: Int, candidate c: Int) -> Int { (postingClass.isEmpty ? 0 : postingClass[c]) * terms + t }
        let candidates = candidateTexts.count
        var postingCount = [Int](repeating: 0, count: termCount * slots + 1)
        forwardStart = [0]
        forwardStart.reserveCapacity(candidates + 1)
        for c in 0..<candidates {
            for k in docStart[c]..<docStart[c + 1] where idf[Int(docTerm[k])] > 0 {
                let w = Self.weight(idf: idf[Int(docTerm[k])], tf: Int(docTf[k]),
                                    length: Int(docLength[c]), averageLength: averageLength)
                forwardTerm.append(docTerm[k])
                forwardWeight.append(w)
                if includeInPostings[c] { postingCount[slot(term: Int(docTerm[k]), candidate: c) + 1] += 1 }
            }
            forwardStart.append(forwardTerm.count)
        }
        for s in 0..<(termCount * slots) { postingCount[s + 1] += postingCount[s] }
        postingStart = postingCount
        var fill = postingCount
        postingPosition = [Int32](repeating: 0, count: postingCount[termCount * slots])
        postingWeight = [UInt32](repeating: 0, count: postingCount[termCount * slots])
        for position in 0..<candidates {
            let c = searchOrder.isEmpty ? position : Int(searchOrder[position])
            guard includeInPostings[c] else { continue }
            for k in forwardStart[c]..<forwardStart[c + 1] {
                let s = slot(term: Int(forwardTerm[k]), candidate: c)
                postingPosition[fill[s]] = Int32(position)
                postingWeight[fill[s]] = forwardWeight[k]
                fill[s] += 1
            }
        }

        slotMax = (0..<(termCount * slots)).map { s in
            postingWeight[postingStart[s]..<postingStart[s + 1]].max() ?? 0
        }

        searchForwardStart = [0]
        searchForwardStart.reserveCapacity(candidates + 1)
        searchForward.reserveCapacity(forwardTerm.count)
        for position in 0..<candidates {
            let c = searchOrder.isEmpty ? position : Int(searchOrder[position])
            for k in forwardStart[c]..<forwardStart[c + 1] {
                searchForward.append(UInt64(UInt32(forwardTerm[k])) << 32 | UInt64(forwardWeight[k]))
            }
            searchForwardStart.append(searchForward.count)
        }

        // Queries: each need's distinct informative terms and its score against itself.
        queryStart = [0]
        for j in 0..<needTexts.count {
            let d = candidates + j
            var own: Int64 = 0
            for k in docStart[d]..<docStart[d + 1] where idf[Int(docTerm[k])] > 0 {
                queryTerm.append(docTerm[k])
                own += Int64(Self.weight(idf: idf[Int(docTerm[k])], tf: Int(docTf[k]),
                                         length: Int(docLength[d]), averageLength: averageLength))
            }
            queryStart.append(queryTerm.count)
            selfScore.append(own)
        }
    }

    /// Where the postings of term t in class k start (and, one slot on, end).
    @inline(__always)
    func slot(term t: Int, class k: Int) -> Int { k * termCount + t }

    /// One term's BM25 contribution to one document, in fixed point.
    static func weight(idf: Double, tf: Int, length: Int, averageLength: Double) -> UInt32 {
        let tf = Double(tf)
        let norm = k1 * (1 - b + b * Double(length) / averageLength)
        let value = idf * tf * (k1 + 1) / (tf + norm)
        return UInt32(min(Double(UInt32.max), (value * scale).rounded()))
    }

    /// BM25 of need `j` (as a query) against candidate `c`, summed over the forward index.
    func pairScore(candidate c: Int, need j: Int) -> Int64 {
        var total: Int64 = 0
        forEachMatch(candidate: c, need: j) { _, weight in total += Int64(weight) }
        return total
    }

    /// Calls `body(term, weight)` for each query term of need `j` present in candidate `c`:
    /// a merge of two sorted term lists.
    func forEachMatch(candidate c: Int, need j: Int, _ body: (Int32, UInt32) -> Void) {
        var a = forwardStart[c], b = queryStart[j]
        let aEnd = forwardStart[c + 1], bEnd = queryStart[j + 1]
        while a < aEnd, b < bEnd {
            let ta = forwardTerm[a], tb = queryTerm[b]
            if ta == tb {
                body(ta, forwardWeight[a])
                a += 1
                b += 1
            } else if ta < tb {
                a += 1
            } else {
                b += 1
            }
        }
    }
}
