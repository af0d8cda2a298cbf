/// The feature values of one pair. Every stored score goes through `values(...)` and
/// `FeatureWeights.contributions(_:)`; the scorer's candidate pass repeats the same
/// operations in the same order inline (the brute-force tests compare the bits), so the
/// top-L search, the tests and the stored breakdown can never disagree.
extension PreparedRound {
    /// 1 if the candidate serves the need's ward or district, 0.8 if it serves the whole
    /// city, 0 otherwise. A city-wide need (no ward, no district) is served fully by a
    /// city-wide candidate and half by one active in some wards or districts only.
    @inline(__always)
    func areaValue(candidate c: Int, need j: Int) -> Double {
        let ward = needWard[j], district = needDistrict[j]
        if ward < 0 && district < 0 {
            if cityWide[c] { return 1 }
            return wardMask[c] != 0 || districtStart[c + 1] > districtStart[c] ? 0.5 : 0
        }
        if servesLocally(candidate: c, need: j) { return 1 }
        return cityWide[c] ? 0.8 : 0
    }

    @inline(__always)
    func servesLocally(candidate c: Int, need j: Int) -> Bool {
        let ward = needWard[j]
        if ward >= 0, wardMask[c] & (1 << UInt64(ward)) != 0 { return true }
        return servesDistrict(candidate: c, need: j)
    }

    @inline(__always)
    func servesDistrict(candidate c: Int, need j: Int) -> Bool {
        let district = needDistrict[j]
        guard district >= 0 else { return false }
        return districts[districtStart[c]..<districtStart[c + 1]].contains(Int32(district))
    }

    @inline(__always)
    func workingGroupCount(candidate c: Int, domain: CollaborationDomain) -> Int {
        workingGroups[c * 3 + domain.index]
    }

    /// min(1, n / 3): three working groups in the domain count as a full track record.
    @inline(__always)
    static func experienceValue(_ n: Int) -> Double { min(1, Double(n) / 3) }

    /// All six values of a pair, given the BM25 sum and the number of the need's tags the
    /// candidate has (both found by the caller, through the inverted indexes or a merge).
    @inline(__always)
    func values(candidate c: Int, need j: Int, textScore: Int64, tagHits: Int) -> FeatureValues {
        var v = FeatureValues()
        v.domain = domainMask[c] & needDomain[j].bit != 0 ? 1 : 0
        v.area = areaValue(candidate: c, need: j)
        let tagTotal = needTagStart[j + 1] - needTagStart[j]
        v.tags = tagTotal > 0 ? Double(tagHits) / Double(tagTotal) : 0
        let own = text.selfScore[j]
        v.text = own > 0 ? min(1, Double(textScore) / Double(own)) : 0
        v.capacity = capacityValue[c]
        v.experience = Self.experienceValue(workingGroupCount(candidate: c, domain: needDomain[j]))
        return v
    }

    /// How many of need `j`'s tags candidate `c` has (merge of two sorted lists is not
    /// possible: need tags keep the staff's order, so look each one up).
    func tagHits(candidate c: Int, need j: Int) -> Int {
        var hits = 0
        let own = candidateTags[candidateTagStart[c]..<candidateTagStart[c + 1]]
        for k in needTagStart[j]..<needTagStart[j + 1] where needTags[k] >= 0 {
            if binarySearch(own, needTags[k]) { hits += 1 }
        }
        return hits
    }
}

@inline(__always)
func binarySearch(_ sorted: ArraySlice<Int32>, _ value: Int32) -> Bool {
    var lo = sorted.startIndex, hi = sorted.endIndex
    while lo < hi {
        let mid = (lo + hi) / 2
        if sorted[mid] < value { lo = mid + 1 } else { hi = mid }
    }
    return lo < sorted.endIndex && sorted[lo] == value
}

extension FeatureWeights {
    @inline(__always)
    func contributions(_ v: FeatureValues) -> FeatureValues {
        var c = FeatureValues()
        c.domain = domain * v.domain
        c.area = area * v.area
        c.tags = tags * v.tags
        c.text = text * v.text
        c.capacity = capacity * v.capacity
        c.experience = experience * v.experience
        return c
    }

    /// Σ contributions, always in this order (floating-point sums depend on order).
    @inline(__always)
    static func total(_ c: FeatureValues) -> Double {
        c.domain + c.area + c.tags + c.text + c.capacity + c.experience
    }

    @inline(__always)
    func score(_ v: FeatureValues) -> Double { Self.total(contributions(v)) }
}
