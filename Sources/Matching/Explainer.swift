/// Writes the one-line Japanese explanation of each feature of a kept pair.
///
/// A round keeps up to L pairs per need (25,000 at 131 × 500), and building six sentences
/// with string interpolation per pair used to cost more than the scoring itself. Most
/// sentences depend on the need, or on the candidate, or on a small key only, so they are
/// built once and then shared (Swift strings are copy-on-write: sharing is a retain):
/// - domain: per domain, "active" or not;
/// - area, tags: per need (pairs arrive need by need), keyed by what the pair decides;
/// - capacity: per candidate; experience: per working-group count.
/// Only the text sentence is pair-specific; it is assembled as UTF-8 bytes copied from
/// the need's text, encoded once per need.
struct Explainer {
    let round: PreparedRound
    /// At most this many text spans are quoted.
    static let spanLimit = 5
    private var termMark: [Int32]
    private var stamp: Int32 = 0

    private let domainActive: [String]
    private let domainInactive: [String]
    private var capacitySentence: [String?]
    private var experienceSentence: [String?] = []
    /// Sentences of the need met last (`cachedNeed`): area by key, tags by matched-tag mask.
    private var cachedNeed = -1
    private var areaCache = [String?](repeating: nil, count: 6)
    private var tagCache: [(mask: UInt64, sentence: String)] = []
    /// The cached need's text as UTF-8, with each scalar's byte offset and a running count
    /// of scalars that are not "plain" (see `addSpan`), so a span is copied, not re-encoded.
    private var needUTF8: [UInt8] = []
    private var scalarOffset: [Int] = []
    private var nonPlainBefore: [Int] = []
    /// Scratch for the text sentence.
    private var bytes: [UInt8] = []
    private var spans: [(start: Int, count: Int, plain: Bool)] = []

    init(round: PreparedRound) {
        self.round = round
        termMark = [Int32](repeating: 0, count: round.text.termCount)
        domainActive = CollaborationDomain.allCases.map { "「\($0.label)」の領域で活動" }
        domainInactive = CollaborationDomain.allCases.map { "「\($0.label)」の領域での活動なし" }
        capacitySentence = [String?](repeating: nil, count: round.candidateCount)
    }

    mutating func explain(candidate c: Int, need j: Int, values v: FeatureValues) -> FeatureExplanations {
        if j != cachedNeed {
            cachedNeed = j
            for k in areaCache.indices { areaCache[k] = nil }
            tagCache.removeAll(keepingCapacity: true)
            encodeNeedText(j)
        }
        var e = FeatureExplanations()
        let domain = round.needDomain[j]
        e.domain = v.domain > 0 ? domainActive[domain.index] : domainInactive[domain.index]
        e.area = cachedAreaSentence(candidate: c, need: j, value: v.area)
        e.tags = cachedTagSentence(candidate: c, need: j)
        e.text = textSentence(candidate: c, need: j)
        if capacitySentence[c] == nil { capacitySentence[c] = "受入余力 \(round.remaining[c])/\(round.capacity[c])" }
        e.capacity = capacitySentence[c]!
        e.experience = experience(round.workingGroupCount(candidate: c, domain: domain))
        return e
    }

    // MARK: Area

    /// `areaSentence` depends, for a given need, only on the value's class (1, between 0 and
    /// 1, 0) and on whether the candidate serves the need's district: six sentences at most.
    private mutating func cachedAreaSentence(candidate c: Int, need j: Int, value: Double) -> String {
        let valueClass = value == 1 ? 0 : (value > 0 ? 1 : 2)
        let key = valueClass * 2 + (round.servesDistrict(candidate: c, need: j) ? 1 : 0)
        if let sentence = areaCache[key] { return sentence }
        let sentence = areaSentence(candidate: c, need: j, value: value)
        areaCache[key] = sentence
        return sentence
    }

    private func areaSentence(candidate c: Int, need j: Int, value: Double) -> String {
        let cityWideNeed = round.needWard[j] < 0 && round.needDistrict[j] < 0
        if cityWideNeed {
            if value == 1 { return "市内全域で活動" }
            return value > 0 ? "一部の区・地区で活動（市内全域のニーズ）" : "活動地域の登録なし"
        }
        let place: String
        if round.servesDistrict(candidate: c, need: j), let name = round.needDistrictName[j] {
            place = name
        } else {
            place = round.needAreaName[j] ?? round.needDistrictName[j] ?? ""
        }
        if value == 1 { return "\(place)で活動" }
        if value > 0 { return "市内全域で活動" }
        return "\(place)での活動なし"
    }

    // MARK: Tags

    /// The sentence lists the need's tags the candidate has, so it depends only on which of
    /// them match (a bit mask over the need's tags; needs with more than 64 tags skip the cache).
    private mutating func cachedTagSentence(candidate c: Int, need j: Int) -> String {
        let range = round.needTagStart[j]..<round.needTagStart[j + 1]
        guard !range.isEmpty else { return "ニーズにタグなし" }
        guard range.count <= 64 else { return tagSentence(candidate: c, need: j) }
        let own = round.candidateTags[round.candidateTagStart[c]..<round.candidateTagStart[c + 1]]
        var mask: UInt64 = 0
        for k in range where round.needTags[k] >= 0 && binarySearch(own, round.needTags[k]) {
            mask |= 1 << UInt64(k - range.lowerBound)
        }
        if let hit = tagCache.first(where: { $0.mask == mask }) { return hit.sentence }
        let sentence = tagSentence(candidate: c, need: j)
        tagCache.append((mask, sentence))
        return sentence
    }

    private func tagSentence(candidate c: Int, need j: Int) -> String {
        let range = round.needTagStart[j]..<round.needTagStart[j + 1]
        guard !range.isEmpty else { return "ニーズにタグなし" }
        let own = round.candidateTags[round.candidateTagStart[c]..<round.candidateTagStart[c + 1]]
        let matched = range.filter { round.needTags[$0] >= 0 && binarySearch(own, round.needTags[$0]) }
            .map { round.needTagLabels[$0] }
        return matched.isEmpty ? "タグ一致なし" : "タグ一致: " + matched.joined(separator: ", ")
    }

    // MARK: Experience

    private mutating func experience(_ groups: Int) -> String {
        guard groups > 0 else { return "同領域のWG実績なし" }
        guard groups < 256 else { return "同領域のWG実績 \(groups)件" }
        if groups >= experienceSentence.count {
            experienceSentence.append(contentsOf: [String?](repeating: nil, count: groups + 1 - experienceSentence.count))
        }
        if let sentence = experienceSentence[groups] { return sentence }
        let sentence = "同領域のWG実績 \(groups)件"
        experienceSentence[groups] = sentence
        return sentence
    }

    // MARK: Text

    private static let noMatch = "本文の一致なし"
    private static let matchPrefix = Array("本文の一致: ".utf8)
    private static let open = Array("「".utf8)
    private static let close = Array("」".utf8)

    private mutating func encodeNeedText(_ j: Int) {
        needUTF8.removeAll(keepingCapacity: true)
        scalarOffset.removeAll(keepingCapacity: true)
        nonPlainBefore.removeAll(keepingCapacity: true)
        var nonPlain = 0
        for scalar in round.text.needScalars[j] {
            scalarOffset.append(needUTF8.count)
            nonPlainBefore.append(nonPlain)
            if !Normalisation.isPlain(scalar) { nonPlain += 1 }
            needUTF8.append(contentsOf: scalar.utf8)
        }
        scalarOffset.append(needUTF8.count)
        nonPlainBefore.append(nonPlain)
    }

    /// "本文の一致: 「span」「span」…", or "本文の一致なし".
    mutating func textSentence(candidate c: Int, need j: Int) -> String {
        bytes.removeAll(keepingCapacity: true)
        bytes.append(contentsOf: Self.matchPrefix)
        collectSpans(candidate: c, need: j)
        guard !spans.isEmpty else { return Self.noMatch }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The need's text where it matched: matched bigrams that overlap are merged back into
    /// one readable span (移動 + 動販 + 販売 → 移動販売), in text order, without repeats, at
    /// most `spanLimit`. Each new span is appended to `bytes` as 「span」 and listed in `spans`.
    private mutating func collectSpans(candidate c: Int, need j: Int) {
        spans.removeAll(keepingCapacity: true)
        stamp &+= 1
        let s = stamp
        var any = false
        round.text.forEachMatch(candidate: c, need: j) { term, _ in
            termMark[Int(term)] = s
            any = true
        }
        guard any else { return }
        var start = -1, end = -1 // current span, inclusive
        for token in round.text.needTokens[j] where termMark[Int(token.term)] == s {
            let a = Int(token.start), b = Int(token.start + token.length) - 1
            if start >= 0, a <= end {
                end = max(end, b)
            } else {
                if start >= 0 { addSpan(start, end) }
                start = a
                end = b
            }
            if spans.count >= Self.spanLimit { break }
        }
        if spans.count < Self.spanLimit, start >= 0 { addSpan(start, end) }
    }

    /// Appends 「span」 unless an equal span is already there. Spans of "plain" scalars only
    /// (ASCII, kana, CJK ideographs: starters that never compose) are equal as Strings exactly
    /// when their bytes are; any other span is compared as a String (canonical equivalence),
    /// as the Set<String> of the first version did.
    private mutating func addSpan(_ first: Int, _ last: Int) {
        bytes.append(contentsOf: Self.open)
        let start = bytes.count
        let plain = nonPlainBefore[last + 1] == nonPlainBefore[first]
        bytes.append(contentsOf: needUTF8[scalarOffset[first]..<scalarOffset[last + 1]])
        let count = bytes.count - start
        for old in spans where isSame(old, (start, count, plain)) {
            bytes.removeLast(count + Self.open.count)
            return
        }
        spans.append((start, count, plain))
        bytes.append(contentsOf: Self.close)
    }

    private func isSame(_ a: (start: Int, count: Int, plain: Bool), _ b: (start: Int, count: Int, plain: Bool)) -> Bool {
        let x = bytes[a.start..<(a.start + a.count)], y = bytes[b.start..<(b.start + b.count)]
        if a.plain && b.plain { return x.elementsEqual(y) }
        return String(decoding: x, as: UTF8.self) == String(decoding: y, as: UTF8.self)
    }
}
