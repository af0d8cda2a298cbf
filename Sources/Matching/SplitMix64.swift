import Foundation

/// A tiny seeded generator (SplitMix64): the same seed gives the same synthetic data on
/// every machine, which the system generator does not promise.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// An index drawn with probability ∝ 1 / (i + 1)^s: a few popular items, a long tail.
    public mutating func zipf(_ count: Int, exponent s: Double = 1.0) -> Int {
        var total = 0.0
        for i in 0..<count { total += 1 / pow(Double(i + 1), s) }
        var x = Double.random(in: 0..<total, using: &self)
        for i in 0..<count {
            x -= 1 / pow(Double(i + 1), s)
            if x < 0 { return i }
        }
        return count - 1
    }
}
