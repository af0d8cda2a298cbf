import Foundation

/// Candidates and needs as flat arrays (struct of arrays), in id order, with domains and
/// wards as bitmasks. Built once per round; the scorer only reads it.
/// Index order equals id order, so "lower index" is the id-ascending tie-break everywhere.
struct PreparedRound: Sendable {
    // Candidates
    var candidateIds: [String] = []
    var candidateNames: [String] = []
    var domainMask: [UInt8] = []
    var wardMask: [UInt64] = []
    var cityWide: [Bool] = []
    var districtStart: [Int] = [0]
    var districts: [Int32] = [] // sorted per candidate
    var capacity: [Int] = []
    var remaining: [Int] = []
    var eligible: [Bool] = []
    var capacityValue: [Double] = []
    /// Working groups per (candidate, domain index): `c * 3 + d`.
    var workingGroups: [Int] = []
    var candidateTagStart: [Int] = [0]
    var candidateTags: [Int32] = [] // sorted per candidate
    /// Tag id → eligible candidates having it, by their search positions, ascending.
    var tagPostingStart: [Int] = []
    var tagPostings: [Int32] = []
    /// The candidates in search order: grouped by posting class (their domain mask), within
    /// a class by their most widely held tag, then in id order. Both inverted indexes and the scorer's per-candidate arrays use
    /// these positions, so that a class is one contiguous range
    /// (`classStart[k] ..< classStart[k + 1]`) that a search can walk sequentially.
    var searchOrder: [Int32] = []
    var classStart: [Int] = []
    var classCount = 1
    var tagCount = 0

    // Needs
    var needIds: [String] = []
    var needDomain: [CollaborationDomain] = []
    var needWard: [Int] = [] // −1: city-wide need
    var needDistrict: [Int] = [] // −1: none
    var needAreaName: [String?] = []
    var needDistrictName: [String?] = []
    var needTagStart: [Int] = [0]
    var needTags: [Int32] = [] // −1 for a tag no candidate has
    var needTagLabels: [String] = []
    var wanted: [Int] = []
    var priority: [Int] = []

    var text: BM25Index
    /// Built for large rounds only (`taggedSearchFrom` candidates): the scorer then searches
    /// a need's tagged candidates through it and the others through rare terms.
    var taggedText: TaggedTextIndex?

    /// From how many candidates a round gets a tagged text index. Measured on the benchmark
    /// councils (scoring, same run, alternating): without it 1.4 × faster at 10,000 and 5 %
    /// at 30,000, with it 11 % faster at 50,000 and 1.4 × at 100,000. Below, the fixed
    /// costs per need (looking up its terms under its tags, choosing rare terms per class)
    /// outweigh the postings it saves.
    static let taggedSearchThreshold = 40_000

    var candidateCount: Int { candidateIds.count }
    var needCount: Int { needIds.count }

    /// - Parameter taggedSearchFrom: the number of candidates from which the round gets a
    ///   tagged text index (tests lower it to check both searches on small rounds).
    init(candidates unsortedCandidates: [CandidateInput], needs unsortedNeeds: [NeedInput],
         taggedSearchFrom: Int = taggedSearchThreshold) throws(MatchingError) {
        let candidates = unsortedCandidates.sorted { $0.id < $1.id }
        let needs = unsortedNeeds.sorted { $0.id < $1.id }
        try Self.checkUnique(candidates.map(\.id), field: "candidates")
        try Self.checkUnique(needs.map(\.id), field: "needs")

        var wardIndex: [String: Int] = [:]
        func ward(_ code: String, field: String) throws(MatchingError) -> Int {
            if let i = wardIndex[code] { return i }
            guard wardIndex.count < 64 else {
                throw MatchingError(code: "too_many_wards", field: field, message: "at most 64 distinct wards per round")
            }
            wardIndex[code] = wardIndex.count
            return wardIndex.count - 1
        }
        var districtIndex: [String: Int32] = [:]
        func district(_ id: String) -> Int32 {
            if let i = districtIndex[id] { return i }
            districtIndex[id] = Int32(districtIndex.count)
            return Int32(districtIndex.count - 1)
        }
        var tagIndex: [String: Int32] = [:]

        var candidateTexts: [String] = []
        for (i, c) in candidates.enumerated() {
            let field = "candidates[\(c.id)]"
            candidateIds.append(c.id)
            candidateNames.append(c.name ?? c.id)
            var mask: UInt8 = 0
            for code in c.domains { mask |= try CollaborationDomain.parse(code, field: "\(field).domains").bit }
            domainMask.append(mask)
            var wards: UInt64 = 0
            for code in c.wardCodes { wards |= 1 << UInt64(try ward(code, field: "\(field).wardCodes")) }
            wardMask.append(wards)
            cityWide.append(c.cityWide)
            districts.append(contentsOf: Set(c.districtIds.map(district)).sorted())
            districtStart.append(districts.count)
            guard c.capacity >= 0 else {
                throw MatchingError(code: "negative_capacity", field: "\(field).capacity", message: "capacity must be ≥ 0, got \(c.capacity)")
            }
            guard c.activeCollaborations >= 0 else {
                throw MatchingError(code: "negative_active", field: "\(field).activeCollaborations",
                                    message: "activeCollaborations must be ≥ 0, got \(c.activeCollaborations)")
            }
            let room = max(0, c.capacity - c.activeCollaborations)
            capacity.append(c.capacity)
            remaining.append(room)
            eligible.append(room > 0)
            capacityValue.append(c.capacity > 0 ? Double(room) / Double(c.capacity) : 0)
            for domain in CollaborationDomain.allCases {
                let n = c.workingGroupsByDomain[domain.rawValue] ?? 0
                guard n >= 0 else {
                    throw MatchingError(code: "negative_count", field: "\(field).workingGroupsByDomain.\(domain.rawValue)",
                                        message: "working-group count must be ≥ 0, got \(n)")
                }
                workingGroups.append(n)
            }
            for key in c.workingGroupsByDomain.keys.sorted() {
                _ = try CollaborationDomain.parse(key, field: "\(field).workingGroupsByDomain")
            }
            var tagIds = Set<Int32>()
            for tag in c.tags {
                let key = Normalisation.tagKey(tag)
                guard !key.isEmpty else { continue }
                if let id = tagIndex[key] { tagIds.insert(id) } else {
                    let id = Int32(tagIndex.count)
                    tagIndex[key] = id
                    tagIds.insert(id)
                }
            }
            candidateTags.append(contentsOf: tagIds.sorted())
            candidateTagStart.append(candidateTags.count)
            candidateTexts.append(Normalisation.normalise(c.text + "\n" + c.tags.joined(separator: "\n")))
            _ = i
        }
        tagCount = tagIndex.count

        // Search order: the candidates by class, their domain mask.
        // A need's best candidates usually work in its domain, and once those are scored the
        // other domains' candidates can rarely reach its L-th score. (Finer classes, by
        // domains and wards, were measured slower: too few of them could be skipped on the
        // benchmark councils to pay for walking many short posting segments.)
        let classOf = domainMask.map { Int($0) }
        classCount = 1 << CollaborationDomain.allCases.count
        var classCounts = [Int](repeating: 0, count: classCount + 1)
        for k in classOf { classCounts[k + 1] += 1 }
        for k in 0..<classCount { classCounts[k + 1] += classCounts[k] }
        classStart = classCounts
        // Within a class, candidates with the same most widely held tag lie together: a
        // need's tagged candidates then fill a few runs of positions instead of being
        // scattered over the class, and the per-position arrays a search reads for them stay
        // in cache.
        let tagStart = candidateTagStart, tags = candidateTags
        var holders = [Int](repeating: 0, count: tagCount)
        for t in tags { holders[Int(t)] += 1 }
        let cluster: [Int] = (0..<candidates.count).map { c in
            var best = -1, bestHolders = -1
            for k in tagStart[c]..<tagStart[c + 1] {
                let t = Int(tags[k])
                if holders[t] > bestHolders { best = t; bestHolders = holders[t] }
            }
            return best
        }
        searchOrder = (0..<candidates.count).sorted { a, b in
            (classOf[a], cluster[a], a) < (classOf[b], cluster[b], b)
        }.map { Int32($0) }

        // Tag → eligible candidates, by position (counting sort).
        var counts = [Int](repeating: 0, count: tagCount + 1)
        for c in 0..<candidates.count where eligible[c] {
            for k in candidateTagStart[c]..<candidateTagStart[c + 1] { counts[Int(candidateTags[k]) + 1] += 1 }
        }
        for t in 0..<tagCount { counts[t + 1] += counts[t] }
        tagPostingStart = counts
        tagPostings = [Int32](repeating: 0, count: counts[tagCount])
        var fill = counts
        for (position, c32) in searchOrder.enumerated() where eligible[Int(c32)] {
            let c = Int(c32)
            for k in candidateTagStart[c]..<candidateTagStart[c + 1] {
                let t = Int(candidateTags[k])
                tagPostings[fill[t]] = Int32(position)
                fill[t] += 1
            }
        }

        var needTexts: [String] = []
        for n in needs {
            let field = "needs[\(n.id)]"
            needIds.append(n.id)
            needDomain.append(try CollaborationDomain.parse(n.domain, field: "\(field).domain"))
            needWard.append(try n.wardCode.map { code throws(MatchingError) in try ward(code, field: "\(field).wardCode") } ?? -1)
            needDistrict.append(n.districtId.map { Int(districtIndex[$0] ?? -1) } ?? -1)
            needAreaName.append(n.wardName ?? n.wardCode)
            needDistrictName.append(n.districtName ?? n.districtId)
            guard n.wanted >= 1 else {
                throw MatchingError(code: "invalid_wanted", field: "\(field).wanted", message: "wanted must be ≥ 1, got \(n.wanted)")
            }
            guard n.priority >= 0 else {
                throw MatchingError(code: "negative_priority", field: "\(field).priority", message: "priority must be ≥ 0, got \(n.priority)")
            }
            wanted.append(n.wanted)
            priority.append(n.priority)
            var seen = Set<String>()
            for tag in n.tags {
                let key = Normalisation.tagKey(tag)
                guard !key.isEmpty, seen.insert(key).inserted else { continue }
                needTags.append(tagIndex[key] ?? -1)
                needTagLabels.append(tag.trimmingCharacters(in: .whitespacesAndNewlines))
            }
            needTagStart.append(needTags.count)
            needTexts.append(Normalisation.normalise([n.title, n.description, n.tags.joined(separator: "\n")].joined(separator: "\n")))
        }
        // Postings grouped by class: a need's search walks the classes that can reach its
        // best scores, and often never needs the others' postings.
        text = BM25Index(candidateTexts: candidateTexts, needTexts: needTexts, includeInPostings: eligible,
                         postingClass: classOf, classCount: classCount, searchOrder: searchOrder)
        taggedText = candidates.count >= taggedSearchFrom
            ? TaggedTextIndex(tagPostingStart: tagPostingStart, tagPostings: tagPostings, text: text) : nil
    }

    private static func checkUnique(_ ids: [String], field: String) throws(MatchingError) {
        for i in ids.indices.dropFirst() where ids[i] == ids[i - 1] {
            throw MatchingError(code: "duplicate_id", field: "\(field)[\(ids[i])].id", message: "duplicate id \"\(ids[i])\"")
        }
        if let empty = ids.firstIndex(of: "") {
            throw MatchingError(code: "empty_id", field: "\(field)[\(empty)].id", message: "id must not be empty")
        }
    }
}
