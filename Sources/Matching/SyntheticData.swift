import Foundation

/// Realistic synthetic councils for benchmarks and tests: topics with clustered tags and
/// vocabulary, popular topics and members (Zipf), skewed capacities, Japanese text made
/// of content words, everyday words and particles (so common bigrams get IDF 0).
public enum SyntheticData {
    public static let wards = ["川崎区", "幸区", "中原区", "高津区", "宮前区", "多摩区", "麻生区"]

    struct Topic {
        var words: [String]
        var tags: [String]
        var domain: CollaborationDomain
    }

    public static func council(candidates: Int, needs: Int, seed: UInt64) -> (candidates: [CandidateInput], needs: [NeedInput]) {
        var rng = SplitMix64(seed: seed)
        let kanji = Array("移動販売買物支援見守健康相談運動教室食事配達送迎交通外出居場所交流会話防災訓練認知症予防介護家族学習講座金融資産相続住宅改修清掃庭木農園料理栄養歯科口腔睡眠音楽体操散歩図書読書福祉医療薬局商店銀行郵便電話情報機器携帯端末写真手芸囲碁将棋茶道華道書道映画旅行温泉")
        let katakana = ["スマホ", "アプリ", "カフェ", "サロン", "スポーツ", "ボランティア", "イベント", "オンライン", "タクシー", "スーパー", "マルシェ", "ヨガ", "ウォーキング", "サポート", "ネットワーク"]
        let common = ["高齢者", "地域", "支援", "活動", "提供", "住民", "生活", "事業", "連携", "参加"]
        let particles = ["の", "を", "に", "で", "と", "が", "は", "へ", "から", "として"]
        let endings = ["します。", "しています。", "を行います。", "できます。", "を目指します。"]

        var topics: [Topic] = []
        for t in 0..<60 {
            var words: [String] = []
            for _ in 0..<24 {
                if rng.next() % 5 == 0 {
                    words.append(katakana[Int(rng.next() % UInt64(katakana.count))])
                } else {
                    let length = rng.next() % 3 == 0 ? 3 : 2
                    words.append(String((0..<length).map { _ in kanji[Int(rng.next() % UInt64(kanji.count))] }))
                }
            }
            let tags = Array(words.prefix(8))
            topics.append(Topic(words: words, tags: tags, domain: CollaborationDomain.allCases[t % 3]))
        }

        func sentence(_ topic: Topic, _ length: Int, _ rng: inout SplitMix64) -> String {
            var parts: [String] = []
            for _ in 0..<length {
                let word = rng.next() % 10 < 6
                    ? topic.words[rng.zipf(topic.words.count, exponent: 0.8)]
                    : common[Int(rng.next() % UInt64(common.count))]
                parts.append(word + particles[Int(rng.next() % UInt64(particles.count))])
            }
            return parts.joined() + endings[Int(rng.next() % UInt64(endings.count))]
        }

        var candidateList: [CandidateInput] = []
        for i in 0..<candidates {
            let main = topics[rng.zipf(topics.count, exponent: 0.7)]
            let second = topics[Int(rng.next() % UInt64(topics.count))]
            var domains = [main.domain.rawValue]
            if rng.next() % 3 == 0 { domains.append(second.domain.rawValue) }
            let cityWide = rng.next() % 5 == 0
            var wardCodes: [String] = []
            if !cityWide {
                for _ in 0..<(1 + Int(rng.next() % 2)) { wardCodes.append(wards[Int(rng.next() % 7)]) }
            }
            let districtIds = rng.next() % 10 == 0 ? ["d\(rng.next() % 44)"] : []
            var tags = Set<String>()
            for _ in 0..<(3 + Int(rng.next() % 4)) { tags.insert(main.tags[rng.zipf(main.tags.count)]) }
            if rng.next() % 2 == 0 { tags.insert(second.tags[Int(rng.next() % 8)]) }
            let text = sentence(main, 6 + Int(rng.next() % 8), &rng) + sentence(second, 3 + Int(rng.next() % 4), &rng)
            // Skewed capacity: most members take one or two collaborations, a few take many.
            let capacity = [1, 1, 1, 1, 2, 2, 2, 3, 4, 10][Int(rng.next() % 10)]
            let active = rng.next() % 4 == 0 ? Int(rng.next() % UInt64(capacity + 1)) : 0
            var groups: [String: Int] = [:]
            if rng.next() % 3 == 0 { groups[main.domain.rawValue] = 1 + rng.zipf(6) }
            candidateList.append(CandidateInput(
                id: String(format: "c%06d", i), name: "団体\(i)", domains: domains, wardCodes: wardCodes,
                cityWide: cityWide, districtIds: districtIds, tags: tags.sorted(), text: text,
                capacity: capacity, activeCollaborations: active, workingGroupsByDomain: groups))
        }

        var needList: [NeedInput] = []
        for j in 0..<needs {
            let topic = topics[rng.zipf(topics.count, exponent: 0.7)]
            let ward = Int(rng.next() % 7)
            let district = rng.next() % 3 == 0 ? "d\(rng.next() % 44)" : nil
            var tags = Set<String>()
            for _ in 0..<(2 + Int(rng.next() % 3)) { tags.insert(topic.tags[rng.zipf(topic.tags.count)]) }
            let title = topic.words[rng.zipf(topic.words.count)] + "と" + topic.words[rng.zipf(topic.words.count)] + "の支援"
            needList.append(NeedInput(
                id: String(format: "n%06d", j), domain: topic.domain.rawValue, wardCode: wards[ward], wardName: wards[ward],
                districtId: district, districtName: district.map { "地区\($0)" }, title: title,
                description: sentence(topic, 6 + Int(rng.next() % 8), &rng), tags: tags.sorted(),
                wanted: [1, 1, 1, 2, 3][Int(rng.next() % 5)], priority: 1 + Int(rng.next() % 5)))
        }
        return (candidateList, needList)
    }
}
