import Foundation

/// Text normalisation for matching: NFKC, then ASCII lower-case.
/// NFKC folds half-width katakana (ｶﾀｶﾅ → カタカナ) and full-width Latin (ＡＢＣ → ABC), so the
/// same word typed on different keyboards becomes the same tokens. Stored text is never
/// changed; this is for matching only.
public enum Normalisation {
    public static func normalise(_ text: String) -> String {
        // Foundation on Linux returns NFKD-like output for some input (ﾊﾟ → ハ + U+309A, not
        // パ), so compose canonically afterwards: tokens work on scalars, not on Characters.
        let folded = isNFKCStable(text)
            ? text : text.precomposedStringWithCompatibilityMapping.precomposedStringWithCanonicalMapping
        return lowercasedASCII(folded)
    }

    /// Fast path: most Japanese text is already NFKC (kana, kanji, ASCII), and Foundation's
    /// normaliser is the most expensive step of preparing 100,000 documents. Only scalars
    /// from ranges with no compatibility mapping or composition pass this check.
    static func isNFKCStable(_ text: String) -> Bool {
        for scalar in text.unicodeScalars {
            let v = scalar.value
            switch v {
            case 0x20...0x7E, 0x0A, 0x0D, 0x09: continue // printable ASCII and line breaks
            case 0x3041...0x3096, 0x309D...0x309E: continue // hiragana (no combining marks)
            case 0x30A1...0x30FA, 0x30FC...0x30FE: continue // katakana incl. ー (no ヿ)
            case 0x4E00...0x9FFF, 0x3400...0x4DBF: continue // CJK unified ideographs
            case 0x3001...0x3002, 0x3005...0x3006, 0x300C...0x300F: continue // 、。々〆「」『』
            default: return false
            }
        }
        return true
    }

    /// A scalar that is a starter, in NFC, and never composes with a neighbour (ASCII,
    /// kana without the combining marks, CJK ideographs): a string made of these only is
    /// in NFC, so two such strings are equal (canonically) exactly when their bytes are.
    @inline(__always)
    static func isPlain(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x7F, 0x3041...0x3096, 0x30A1...0x30FA, 0x30FC...0x30FE, 0x4E00...0x9FFF, 0x3400...0x4DBF: true
        default: false
        }
    }

    static func lowercasedASCII(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 >= 0x41 && $0 <= 0x5A }) else { return text }
        var bytes = Array(text.utf8)
        for i in bytes.indices where bytes[i] >= 0x41 && bytes[i] <= 0x5A {
            bytes[i] += 0x20
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// A tag's matching key: normalised and trimmed, so `移動販売 ` and `移動販売` agree.
    public static func tagKey(_ tag: String) -> String {
        normalise(tag).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
