import Testing
@testable import Matching

@Suite("Features and their explanations")
struct FeatureTests {
    @Test func domainMatchIsOneAndExplained() throws {
        let r = try MatchingEngine.run(
            candidates: [Fixture.candidate("a", domains: ["prevention"]), Fixture.candidate("b", domains: ["participation"])],
            needs: [Fixture.need("n", domain: "prevention")])
        let a = try #require(Fixture.pair(r, "a", "n")), b = try #require(Fixture.pair(r, "b", "n"))
        #expect(a.values.domain == 1)
        #expect(a.explanations.domain == "「予防・自立支援」の領域で活動")
        #expect(b.values.domain == 0)
        #expect(b.explanations.domain == "「予防・自立支援」の領域での活動なし")
        #expect(a.contributions.domain == WeightSet.standard.weights["domain"])
    }

    @Test func areaIsOneLocallyPointEightCityWideZeroElsewhere() throws {
        let r = try MatchingEngine.run(
            candidates: [Fixture.candidate("local"), Fixture.candidate("city", wards: [], cityWide: true),
                         Fixture.candidate("far", wards: ["麻生区"]),
                         Fixture.candidate("district", wards: [], districts: ["d1"])],
            needs: [Fixture.need("n", district: "d1")])
        #expect(Fixture.pair(r, "local", "n")?.values.area == 1)
        #expect(Fixture.pair(r, "local", "n")?.explanations.area == "多摩区で活動")
        #expect(Fixture.pair(r, "city", "n")?.values.area == 0.8)
        #expect(Fixture.pair(r, "city", "n")?.explanations.area == "市内全域で活動")
        #expect(Fixture.pair(r, "far", "n")?.values.area == 0)
        #expect(Fixture.pair(r, "far", "n")?.explanations.area == "多摩区での活動なし")
        #expect(Fixture.pair(r, "district", "n")?.values.area == 1)
        #expect(Fixture.pair(r, "district", "n")?.explanations.area == "d1地区で活動")
    }

    @Test func cityWideNeedFavoursCityWideCandidates() throws {
        let r = try MatchingEngine.run(
            candidates: [Fixture.candidate("city", wards: [], cityWide: true), Fixture.candidate("local"),
                         Fixture.candidate("nowhere", wards: [])],
            needs: [Fixture.need("n", ward: nil)])
        #expect(Fixture.pair(r, "city", "n")?.values.area == 1)
        #expect(Fixture.pair(r, "local", "n")?.values.area == 0.5)
        #expect(Fixture.pair(r, "nowhere", "n")?.values.area == 0)
    }

    @Test func tagsCountTheShareOfTheNeedsTagsAfterNFKC() throws {
        let r = try MatchingEngine.run(
            candidates: [Fixture.candidate("a", tags: ["移動販売", "買い物支援 ", "ＩＴ活用"]), Fixture.candidate("b", tags: ["体操"])],
            needs: [Fixture.need("n", tags: ["移動販売", "買い物支援", "見守り", "IT活用"]), Fixture.need("m")])
        let a = try #require(Fixture.pair(r, "a", "n"))
        #expect(a.values.tags == 0.75)
        #expect(a.explanations.tags == "タグ一致: 移動販売, 買い物支援, IT活用")
        #expect(Fixture.pair(r, "b", "n")?.values.tags == 0)
        #expect(Fixture.pair(r, "b", "n")?.explanations.tags == "タグ一致なし")
        #expect(Fixture.pair(r, "a", "m")?.explanations.tags == "ニーズにタグなし")
    }

    @Test func textIsBM25OverSelfScoreAndQuotesMergedSpans() throws {
        let r = try MatchingEngine.run(
            candidates: [Fixture.candidate("shop", text: "スーパーの移動販売車で買い物を支えます"),
                         Fixture.candidate("gym", text: "健康体操教室"),
                         Fixture.candidate("club", text: "囲碁と将棋の集まり"),
                         Fixture.candidate("cafe", text: "認知症カフェを運営")],
            needs: [Fixture.need("n", title: "移動販売の誘致", description: "近くに店がなく買い物に困っている")])
        let shop = try #require(Fixture.pair(r, "shop", "n"))
        #expect(shop.values.text > 0 && shop.values.text <= 1)
        #expect(shop.explanations.text == "本文の一致: 「移動販売」「買い物」")
        let gym = try #require(Fixture.pair(r, "gym", "n"))
        #expect(gym.values.text == 0)
        #expect(gym.explanations.text == "本文の一致なし")
    }

    @Test func textOfANeedAgainstAnIdenticalDocumentIsOne() throws {
        let body = "移動販売の誘致と買い物支援"
        let r = try MatchingEngine.run(
            candidates: [Fixture.candidate("same", text: body), Fixture.candidate("other", text: "健康体操"),
                         Fixture.candidate("third", text: "囲碁将棋"), Fixture.candidate("fourth", text: "料理教室"),
                         Fixture.candidate("fifth", text: "防災訓練")],
            needs: [Fixture.need("n", title: body)])
        #expect(Fixture.pair(r, "same", "n")?.values.text == 1)
    }

    @Test func capacityIsRemainingShareAndFullCandidatesAreNotEligible() throws {
        let r = try MatchingEngine.run(
            candidates: [Fixture.candidate("room", capacity: 3, active: 1), Fixture.candidate("full", capacity: 2, active: 2),
                         Fixture.candidate("zero", capacity: 0)],
            needs: [Fixture.need("n")])
        let room = try #require(Fixture.pair(r, "room", "n"))
        #expect(abs(room.values.capacity - 2.0 / 3.0) < 1e-12)
        #expect(room.explanations.capacity == "受入余力 2/3")
        #expect(Fixture.pair(r, "full", "n") == nil)
        #expect(Fixture.pair(r, "zero", "n") == nil)
    }

    @Test func experienceSaturatesAtThreeWorkingGroupsInTheDomain() throws {
        let r = try MatchingEngine.run(
            candidates: [Fixture.candidate("two", groups: ["daily_life": 2]), Fixture.candidate("five", groups: ["daily_life": 5]),
                         Fixture.candidate("other", groups: ["prevention": 4])],
            needs: [Fixture.need("n")])
        #expect(abs((Fixture.pair(r, "two", "n")?.values.experience ?? 0) - 2.0 / 3.0) < 1e-12)
        #expect(Fixture.pair(r, "two", "n")?.explanations.experience == "同領域のWG実績 2件")
        #expect(Fixture.pair(r, "five", "n")?.values.experience == 1)
        #expect(Fixture.pair(r, "other", "n")?.values.experience == 0)
        #expect(Fixture.pair(r, "other", "n")?.explanations.experience == "同領域のWG実績なし")
    }

    @Test func scoreIsTheSumOfContributions() throws {
        let data = SyntheticData.council(candidates: 60, needs: 10, seed: 7)
        let r = try MatchingEngine.run(candidates: data.candidates, needs: data.needs)
        for pair in r.pairs {
            let sum = Feature.allCases.reduce(0.0) { $0 + pair.contributions[$1] }
            #expect(abs(sum - pair.score) < 1e-12)
            #expect(pair.scoreUnits == Int((pair.score * 10_000).rounded()))
            for f in Feature.allCases {
                #expect(pair.values[f] >= 0 && pair.values[f] <= 1)
                #expect(!pair.explanations[f].isEmpty)
            }
        }
    }

    @Test func invalidInputNamesTheField() {
        #expect(throws: MatchingError.self) {
            try MatchingEngine.run(candidates: [Fixture.candidate("a", domains: ["health"])], needs: [])
        }
        do {
            _ = try MatchingEngine.run(candidates: [], needs: [Fixture.need("n", wanted: 0)])
            Issue.record("expected an error")
        } catch {
            #expect(error.code == "invalid_wanted")
            #expect(error.field == "needs[n].wanted")
        }
        do {
            var weights = WeightSet.standard
            weights.weights["colour"] = 1
            _ = try MatchingEngine.run(candidates: [], needs: [], parameters: RoundParameters(weights: weights))
            Issue.record("expected an error")
        } catch {
            #expect(error.code == "unknown_feature")
        }
    }
}
