/// Tokens for BM25 over Japanese text (input must already be normalised).
/// A run of kanji, hiragana and katakana (incl. ー) becomes its character bigrams — no
/// dictionary needed, and compounds like 移動販売 match across 移動/動販/販売. A one-character
/// run becomes a unigram so it still counts. Runs of ASCII letters and digits stay whole words.
/// Everything else (spaces, 、。「」・ …) separates runs.
public enum Tokenizer {
    /// Readable tokens, for tests and debugging.
    public static func tokens(of normalisedText: String) -> [String] {
        var table = WordTable()
        var keys: [UInt64] = []
        scan(Array(normalisedText.unicodeScalars), words: &table) { keys.append($0.key) }
        return keys.map { table.display($0) }
    }

    enum ScalarClass { case cjk, word, separator }

    static func classify(_ s: Unicode.Scalar) -> ScalarClass {
        let v = s.value
        switch v {
        case 0x61...0x7A, 0x30...0x39: return .word
        case 0x41...0x5A: return .word // only if the caller skipped lower-casing
        case 0x3041...0x309F, 0x30A1...0x30FA, 0x30FC...0x30FF: return .cjk // kana incl. ー
        case 0x4E00...0x9FFF, 0x3400...0x4DBF, 0x3005...0x3007, 0xF900...0xFAFF, 0x20000...0x2FFFF:
            return .cjk
        case 0..<0x80: return .separator
        default:
            return s.properties.isAlphabetic ? .word : .separator
        }
    }

    /// Calls `emit` for each token in text order. Positions are scalar offsets into `scalars`.
    static func scan(_ scalars: [Unicode.Scalar], words: inout WordTable, emit: (Token) -> Void) {
        var i = 0
        let n = scalars.count
        while i < n {
            let kind = classify(scalars[i])
            if kind == .separator { i += 1; continue }
            var j = i + 1
            while j < n, classify(scalars[j]) == kind { j += 1 }
            if kind == .cjk {
                if j - i == 1 {
                    emit(Token(key: TermKey.unigram(scalars[i]), start: Int32(i), length: 1))
                } else {
                    for k in i..<(j - 1) {
                        emit(Token(key: TermKey.bigram(scalars[k], scalars[k + 1]), start: Int32(k), length: 2))
                    }
                }
            } else {
                var word = String.UnicodeScalarView()
                word.append(contentsOf: scalars[i..<j])
                emit(Token(key: words.key(for: String(word)), start: Int32(i), length: Int32(j - i)))
            }
            i = j
        }
    }
}

/// One token occurrence.
struct Token: Sendable {
    var key: UInt64
    var start: Int32
    var length: Int32
}

/// Terms packed into one integer so the dictionary hashes a UInt64, not a String.
/// Scalars need 21 bits, so a bigram fits in 42; the top bits say which kind of term it is.
enum TermKey {
    static let bigramFlag: UInt64 = 1 << 62
    static let unigramFlag: UInt64 = 1 << 61
    static let wordFlag: UInt64 = 1 << 60

    static func bigram(_ a: Unicode.Scalar, _ b: Unicode.Scalar) -> UInt64 {
        bigramFlag | UInt64(a.value) << 21 | UInt64(b.value)
    }

    static func unigram(_ a: Unicode.Scalar) -> UInt64 { unigramFlag | UInt64(a.value) }
}

/// Interns ASCII/Latin words so they too become packed integer terms.
struct WordTable: Sendable {
    private var ids: [String: UInt64] = [:]
    private var words: [String] = []

    mutating func key(for word: String) -> UInt64 {
        if let id = ids[word] { return TermKey.wordFlag | id }
        let id = UInt64(words.count)
        ids[word] = id
        words.append(word)
        return TermKey.wordFlag | id
    }

    func display(_ key: UInt64) -> String {
        if key & TermKey.wordFlag != 0 { return words[Int(key & ~TermKey.wordFlag)] }
        if key & TermKey.bigramFlag != 0 {
            let a = Unicode.Scalar(UInt32((key >> 21) & 0x1F_FFFF))!
            let b = Unicode.Scalar(UInt32(key & 0x1F_FFFF))!
            return String(Character(a)) + String(Character(b))
        }
        return String(Character(Unicode.Scalar(UInt32(key & 0x1F_FFFF))!))
    }
}
