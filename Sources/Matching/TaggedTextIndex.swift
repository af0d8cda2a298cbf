/// The BM25 postings again, once per tag, restricted to the eligible candidates having that
/// tag: the text sums of a need's tagged candidates without walking anyone else's postings.
///
/// At 100,000 candidates a need shares tags with about one candidate in twenty, yet those
/// are the only ones whose text decides whether they are kept: an untagged candidate needs
/// a text match close to the need's own to reach its L-th score, and the scorer finds the
/// few that might among the postings of the need's rarest terms (`Scorer`). Summing the
/// tagged candidates' text from the full lists walked about 145,000 postings per need;
/// from these lists, about 55,000.
///
/// A posting names its candidate by its place among the tag's candidates
/// (`PreparedRound.tagPostings`), so that one tag's sums fit in a small array that stays in
/// cache: by search position they were scattered over the whole candidate range.
/// The memory is about as many entries as the candidates' tags times their terms.
struct TaggedTextIndex: Sendable {
    /// Tag g's terms, ascending, are `terms[termStart[g] ..< termStart[g + 1]]`; the term at
    /// index e has the postings `postingStart[e] ..< postingStart[e + 1]`.
    private(set) var termStart: [Int] = [0]
    private(set) var terms: [Int32] = []
    private(set) var postingStart: [Int] = []
    /// A posting names its candidate by its place in the tag's list of candidates
    /// (`tagPostings[tagPostingStart[g] + member]`), ascending within a list.
    private(set) var postingMember: [Int32] = []
    private(set) var postingWeight: [UInt32] = []

    /// - Parameters:
    ///   - tagPostingStart, tagPostings: per tag, the positions of the eligible candidates
    ///     having it, ascending (`PreparedRound`).
    ///   - text: the round's BM25 index, whose forward lists by position give each
    ///     candidate's terms and weights.
    init(tagPostingStart: [Int], tagPostings: [Int32], text: BM25Index) {
        let tagCount = max(0, tagPostingStart.count - 1)
        var count = [Int](repeating: 0, count: text.termCount)
        var cursor = [Int](repeating: 0, count: text.termCount)
        var used: [Int32] = []
        termStart.reserveCapacity(tagCount + 1)
        for g in 0..<tagCount {
            let members = tagPostings[tagPostingStart[g]..<tagPostingStart[g + 1]]
            // A counting sort of the tag's candidates' entries by term, over its terms only.
            used.removeAll(keepingCapacity: true)
            for p in members {
                for f in text.searchForwardStart[Int(p)]..<text.searchForwardStart[Int(p) + 1] {
                    let t = Int(text.searchForward[f] >> 32)
                    if count[t] == 0 { used.append(Int32(t)) }
                    count[t] += 1
                }
            }
            used.sort()
            var total = postingMember.count
            for t32 in used {
                let t = Int(t32)
                terms.append(t32)
                postingStart.append(total)
                cursor[t] = total
                total += count[t]
                count[t] = 0
            }
            postingMember.append(contentsOf: repeatElement(0, count: total - postingMember.count))
            postingWeight.append(contentsOf: repeatElement(0, count: total - postingWeight.count))
            for (member, p) in members.enumerated() {
                for f in text.searchForwardStart[Int(p)]..<text.searchForwardStart[Int(p) + 1] {
                    let entry = text.searchForward[f]
                    let t = Int(entry >> 32)
                    postingMember[cursor[t]] = Int32(member)
                    postingWeight[cursor[t]] = UInt32(truncatingIfNeeded: entry)
                    cursor[t] += 1
                }
            }
            termStart.append(terms.count)
        }
        postingStart.append(postingMember.count)
        largestTag = (0..<tagCount).map { tagPostingStart[$0 + 1] - tagPostingStart[$0] }.max() ?? 0
    }

    /// The most candidates any one tag has.
    private(set) var largestTag = 0

    /// Where term t's entry lies in tag g's terms, searching from `from` (a need's terms
    /// are ascending, so each search starts where the last one ended); nil if no candidate
    /// with the tag has the term. (A hash table of all (tag, term) pairs was measured
    /// slower: 48 MB at 10,000 candidates, and a miss to memory per lookup.)
    @inline(__always)
    func entry(tag g: Int, term t: Int32, from: inout Int) -> Int? {
        var lo = max(from, termStart[g]), hi = termStart[g + 1]
        while lo < hi {
            let mid = (lo + hi) / 2
            if terms[mid] < t { lo = mid + 1 } else { hi = mid }
        }
        from = lo
        return lo < termStart[g + 1] && terms[lo] == t ? lo : nil
    }
}
