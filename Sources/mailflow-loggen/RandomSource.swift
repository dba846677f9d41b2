/// A small, fast, seedable pseudo-random generator (SplitMix64).
///
/// The generator is deterministic: the same seed always yields the same sequence on every
/// platform, which is what makes a generated log reproducible for a given `--seed`.
struct RandomSource {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed &+ 0x9E37_79B9_7F4A_7C15
    }

    /// Returns the next 64 random bits.
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Returns a value in `0..<upperBound` (the modulo bias is negligible for the small bounds used here).
    mutating func below(_ upperBound: Int) -> Int {
        precondition(upperBound > 0, "upper bound (\(upperBound)) must be greater than zero")
        return Int(next() % UInt64(upperBound))
    }

    /// Returns a value in `range`.
    mutating func within(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + below(range.upperBound - range.lowerBound + 1)
    }

    /// Returns `true` with the given probability, expressed in percent.
    mutating func percent(_ chance: Int) -> Bool {
        below(100) < chance
    }

    /// Returns a random element of a non-empty array.
    mutating func pick<T>(_ elements: [T]) -> T {
        elements[below(elements.count)]
    }
}
