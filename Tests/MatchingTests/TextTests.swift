import Testing
@testable import Matching

@Suite("Normalisation, tokens and BM25")
struct TextTests {
    @Test func halfWidthKatakanaAndFullWidthLatinFoldTogether() {
        #expect(Normalisation.normalise("ｶﾀｶﾅ") == "カタカナ")
        #expect(Normalisation.normalise("ｶﾞｲﾄﾞ") == "ガイド")
        // Compare scalars too: String == is canonical equivalence and would hide ハ + ゚ vs パ.
        #expect(Array(Normalisation.normalise("ﾊﾟｶﾞ").unicodeScalars) == Array("パガ".unicodeScalars))
        #expect(Normalisation.normalise("ＡＢＣ１２３") == "abc123")
        #expect(Normalisation.normalise("IT活用") == "it活用")
        #expect(Normalisation.tagKey(" 移動販売　") == "移動販売")
    }

    @Test func mixedScriptsBecomeWordsAndBigrams() {
        let tokens = Tokenizer.tokens(of: Normalisation.normalise("IT活用で見守り"))
        #expect(tokens == ["it", "活用", "用で", "で見", "見守", "守り"])
    }

    @Test func katakanaWithLongVowelMarkStaysOneRun() {
        #expect(Tokenizer.tokens(of: Normalisation.normalise("ｽｰﾊﾟｰ")) == ["スー", "ーパ", "パー"])
    }

    @Test func singleCharacterRunIsAUnigramAndPunctuationSeparates() {
        #expect(Tokenizer.tokens(of: "食、見守り。abc 12") == ["食", "見守", "守り", "abc", "12"])
    }

    @Test func fullWidthAndHalfWidthSpellingsGiveTheSameTokens() {
        let a = Tokenizer.tokens(of: Normalisation.normalise("ＳＮＳでｶﾌｪ"))
        let b = Tokenizer.tokens(of: Normalisation.normalise("snsでカフェ"))
        #expect(a == b)
        #expect(a == ["sns", "でカ", "カフ", "フェ"])
    }

    /// Corpus of 4 candidates + 1 need (N = 5, lengths 3, 3, 2, 3, 3, avgdl = 2.8).
    /// 移動, 動販: df 2 → idf = ln(3.5 / 2.5); 販売: df 3 → ln(2.5 / 3.5) < 0 → 0.
    /// Candidate 0 shares 移動 and 動販 with tf 1, dl 3:
    /// 2 · idf · 2.2 / (1 + 1.2 · (0.25 + 0.75 · 3 / 2.8)) = 0.653838794191379.
    @Test func bm25MatchesHandComputedValues() {
        let index = BM25Index(candidateTexts: ["移動販売", "販売促進", "見守り", "健康体操"],
                              needTexts: ["移動販売"], includeInPostings: [true, true, true, true])
        #expect(index.documentCount == 5)
        #expect(abs(index.averageLength - 2.8) < 1e-12)
        let score = Double(index.pairScore(candidate: 0, need: 0)) / BM25Index.scale
        #expect(abs(score - 0.653838794191379) < 1e-6)
        // 販売 is in 3 of 5 documents: it weighs nothing, so candidate 1 scores 0.
        #expect(index.pairScore(candidate: 1, need: 0) == 0)
        #expect(index.pairScore(candidate: 2, need: 0) == 0)
        // Same length as the need → the need's score against itself equals candidate 0's.
        #expect(index.selfScore[0] == index.pairScore(candidate: 0, need: 0))
    }

    @Test func frequentBigramsGetZeroIDFAndNoPostings() {
        let index = BM25Index(candidateTexts: ["地域の見守り", "地域の体操", "地域の食事"],
                              needTexts: ["地域の移動"], includeInPostings: [true, true, true])
        // 地域 and 域の are in all 4 documents.
        #expect(index.idf.filter { $0 == 0 }.count >= 2)
        #expect(index.pairScore(candidate: 0, need: 0) == 0)
    }
}
