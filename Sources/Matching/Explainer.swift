/// Writes the one-line Japanese explanation of each feature of a kept pair.
struct Explainer {
    let round: PreparedRound
    /// At most this many text spans are quoted.
    static let spanLimit = 5
    private var termMark: [Int32]
    private var stamp: Int32 = 0

    init(round: PreparedRound) {
        self.round = round
        termMark = [Int32](repeating: 0, count: round.text.termCount)
    }

    mutating func explain(candidate c: Int, need j: Int, values v: FeatureValues) -> FeatureExplanations {
        var e = FeatureExplanations()
        let domain = round.needDomain[j]
        e.domain = v.domain > 0 ? "「\(domain.label)」の領域で活動" : "「\(domain.label)」の領域での活動なし"
        e.area = areaSentence(candidate: c, need: j, value: v.area)
        e.tags = tagSentence(candidate: c, need: j)
        let spans = textSpans(candidate: c, need: j)
        e.text = spans.isEmpty ? "本文の一致なし" : "本文の一致: " + spans.map { "「\($0)」" }.joined()
        e.capacity = "受入余力 \(round.remaining[c])/\(round.capacity[c])"
        let groups = round.workingGroupCount(candidate: c, domain: domain)
        e.experience = groups > 0 ? "同領域のWG実績 \(groups)件" : "同領域のWG実績なし"
        return e
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

    private func tagSentence(candidate c: Int, need j: Int) -> String {
        let range = round.needTagStart[j]..<round.needTagStart[j + 1]
        guard !range.isEmpty else { return "ニーズにタグなし" }
        let own = round.candidateTags[round.candidateTagStart[c]..<round.candidateTagStart[c + 1]]
        let matched = range.filter { round.needTags[$0] >= 0 && binarySearch(own, round.needTags[$0]) }
            .map { round.needTagLabels[$0] }
        return matched.isEmpty ? "タグ一致なし" : "タグ一致: " + matched.joined(separator: ", ")
    }

    /// The need's text where it matched: matched bigrams that overlap are merged back into
    /// one readable span (移動 + 動販 + 販売 → 移動販売), in text order, without repeats.
    mutating func textSpans(candidate c: Int, need j: Int) -> [String] {
        stamp &+= 1
        let s = stamp
        var any = false
        round.text.forEachMatch(candidate: c, need: j) { term, _ in
            termMark[Int(term)] = s
            any = true
        }
        guard any else { return [] }
        let scalars = round.text.needScalars[j]
        var spans: [String] = []
        var seen = Set<String>()
        var start = -1, end = -1 // current span, inclusive
        func flush() {
            guard start >= 0 else { return }
            var view = String.UnicodeScalarView()
            view.append(contentsOf: scalars[start...end])
            let span = String(view)
            if seen.insert(span).inserted { spans.append(span) }
        }
        for token in round.text.needTokens[j] where termMark[Int(token.term)] == s {
            let a = Int(token.start), b = Int(token.start + token.length) - 1
            if start >= 0, a <= end {
                end = max(end, b)
            } else {
                flush()
                start = a
                end = b
            }
            if spans.count >= Self.spanLimit { break }
        }
        if spans.count < Self.spanLimit { flush() }
        return Array(spans.prefix(Self.spanLimit))
    }
}
