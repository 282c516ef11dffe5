/// Turns text into hashed features: the classifier's and the neighbour index's view of a text.
///
/// Features (of `TextNormalizer.normalize`d text):
/// - word features: the tokens of `TextNormalizer` (stop words removed, lightly stemmed, host
///   names / paths / error codes whole and split), and consecutive token pairs (bigrams) of the
///   text's words (whole joined chunks do not take part in pairs);
/// - character n-grams (`characterNGrams`, 2…4 by default: 2…5 was no better on inner splits and
///   20% slower) of each word of the text, padded with a space at both ends (`" db"`, `"db "` …),
///   so that inflections, compounds and typos share features.
///
/// Each feature is hashed with 64-bit FNV-1a from a fixed seed (one per family) and a final
/// avalanche mix, so indices are the same in every process and on every platform: a saved model
/// stays valid. Word features land in the lower half of `0..<dimensions`, character n-grams in the
/// upper half (`isWordFeature(_:)` tells them apart). Counts are dampened (`1 + ln(count)`, sublinear
/// TF); the result is not normalised (`TextClassifier` weighs it by IDF and normalises it).
public struct FeatureHasher: Sendable, Equatable, Codable {
    /// The size of the index space, a power of two (at least 4).
    public let dimensions: Int
    /// Whether consecutive word pairs are features.
    public var wordBigrams: Bool
    /// Lengths of character n-grams, `nil` for none.
    public var characterNGrams: ClosedRange<Int>?

    /// A hasher into `dimensions` indices (rounded up to a power of two); 2^20 by default, where
    /// collisions among the ~10^5–10^6 distinct features of a ticket corpus are rare.
    public init(dimensions: Int = 1 << 20, wordBigrams: Bool = true, characterNGrams: ClosedRange<Int>? = 2...4) {
        var size = 4
        while size < dimensions { size *= 2 }
        self.dimensions = size
        self.wordBigrams = wordBigrams
        self.characterNGrams = characterNGrams
    }

    /// The hashed features of `text` with sublinear term frequencies, sorted by index.
    public func features(_ text: String) -> SparseVector {
        counted(indices(TextNormalizer.normalize(text)))
    }

    /// Whether `index` is a word feature (token or token pair) rather than a character n-gram.
    public func isWordFeature(_ index: UInt32) -> Bool {
        Int(index) < dimensions / 2
    }

    /// The feature index of every occurrence of every feature of already-normalised text.
    func indices(_ normalized: String) -> [UInt32] {
        let (tokens, words) = TextNormalizer.analyze(normalized: normalized)
        var result: [UInt32] = []
        result.reserveCapacity(tokens.count * 2 + normalized.utf8.count * 4)
        let half = UInt64(dimensions / 2)
        func place(_ hash: UInt64, upper: Bool) -> UInt32 {
            UInt32(truncatingIfNeeded: Self.mix(hash) & (half - 1) + (upper ? half : 0))
        }
        var previous: UInt64?
        for token in tokens {
            let hash = Self.fnv(token.text.utf8, seed: Self.wordSeed)
            result.append(place(hash, upper: false))
            guard !token.isCompound, wordBigrams else { continue }
            if let previous {
                result.append(place(Self.fnv(token.text.utf8, seed: previous ^ Self.pairSeed), upper: false))
            }
            previous = hash
        }
        guard let lengths = characterNGrams, lengths.lowerBound >= 1 else { return result }
        var padded: [UInt32] = []
        for word in words {
            padded.removeAll(keepingCapacity: true)
            padded.append(0x20)
            for scalar in word.unicodeScalars { padded.append(scalar.value) }
            padded.append(0x20)
            for start in 0..<padded.count {
                var hash = Self.gramSeed
                for length in 1...lengths.upperBound where start + length <= padded.count {
                    hash = Self.fnvStep(hash, padded[start + length - 1])
                    if length >= lengths.lowerBound && !(length == 1 && padded[start] == 0x20) {
                        result.append(place(hash ^ UInt64(length), upper: true))
                    }
                }
            }
        }
        return result
    }

    /// Occurrence indices → a vector of `1 + ln(count)` per distinct index.
    func counted(_ occurrences: [UInt32]) -> SparseVector {
        let sorted = Self.radixSorted(occurrences)
        var indices: [UInt32] = []
        var values: [Float] = []
        indices.reserveCapacity(sorted.count)
        values.reserveCapacity(sorted.count)
        var position = 0
        while position < sorted.count {
            var end = position + 1
            while end < sorted.count && sorted[end] == sorted[position] { end += 1 }
            indices.append(sorted[position])
            values.append(Float(1 + ClassifierMath.log(Double(end - position))))
            position = end
        }
        return SparseVector(uncheckedIndices: indices, values: values)
    }

    /// The values in ascending order: four passes of an 8-bit LSD radix sort (several times faster
    /// than a comparison sort for the thousands of indices of a long text).
    static func radixSorted(_ values: [UInt32]) -> [UInt32] {
        guard values.count > 64 else { return values.sorted() }
        var source = values
        var target = [UInt32](repeating: 0, count: values.count)
        var counts = [Int](repeating: 0, count: 256)
        for shift: UInt32 in [0, 8, 16, 24] {
            for index in counts.indices { counts[index] = 0 }
            for value in source { counts[Int((value >> shift) & 0xFF)] += 1 }
            var total = 0
            for index in counts.indices {
                let count = counts[index]
                counts[index] = total
                total += count
            }
            for value in source {
                let bucket = Int((value >> shift) & 0xFF)
                target[counts[bucket]] = value
                counts[bucket] += 1
            }
            swap(&source, &target)
        }
        return source
    }

    static let wordSeed: UInt64 = 0xCBF2_9CE4_8422_2325  // the FNV-1a offset basis
    static let pairSeed: UInt64 = 0x9E37_79B9_7F4A_7C15
    static let gramSeed: UInt64 = 0x84222325_CBF29CE4

    /// 64-bit FNV-1a of the bytes, from `seed`.
    static func fnv(_ bytes: String.UTF8View, seed: UInt64) -> UInt64 {
        var hash = seed
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        return hash
    }

    /// One FNV-1a step over a whole scalar value (its four bytes at once, then the prime).
    static func fnvStep(_ hash: UInt64, _ value: UInt32) -> UInt64 {
        (hash ^ UInt64(value)) &* 0x0000_0100_0000_01B3
    }

    /// The murmur3 finaliser: spreads FNV's weak low bits over the whole word.
    static func mix(_ value: UInt64) -> UInt64 {
        var x = value
        x ^= x >> 33
        x &*= 0xFF51_AFD7_ED55_8CCD
        x ^= x >> 33
        x &*= 0xC4CE_B9FE_1A85_EC53
        x ^= x >> 33
        return x
    }
}

/// `ln` and `exp` without Foundation or the C library (TriageCore imports neither): series with range
/// reduction, accurate to about one ULP, fast enough for training (a few dozen operations).
enum ClassifierMath {
    /// Natural logarithm: `ln(x) = e·ln2 + 2·atanh((m−1)/(m+1))` with `x = m·2^e`, `m` in [1, 2).
    /// `-infinity` for 0, `nan` for negative `x`.
    static func log(_ x: Double) -> Double {
        guard x > 0 else { return x == 0 ? -.infinity : .nan }
        guard x.isFinite else { return x }
        let exponent = Double(x.exponent)
        let mantissa = x.significand
        let t = (mantissa - 1) / (mantissa + 1)
        let t2 = t * t
        var term = t
        var sum = 0.0
        var k = 1.0
        while true {
            let next = sum + term / k
            if next == sum { break }
            sum = next
            term *= t2
            k += 2
        }
        return 2 * sum + exponent * ln2
    }

    /// e^x: `x = n·ln2 + r` with |r| ≤ ln2/2, then a Taylor series for e^r.
    static func exp(_ x: Double) -> Double {
        if x.isNaN { return x }
        if x > 709 { return .infinity }
        if x < -745 { return 0 }
        let n = (x / ln2).rounded()
        let r = x - n * ln2
        var term = 1.0
        var sum = 1.0
        var k = 1.0
        while true {
            term *= r / k
            let next = sum + term
            if next == sum { break }
            sum = next
            k += 1
        }
        return sum * Double(sign: .plus, exponent: Int(n), significand: 1)
    }

    static let ln2 = 0.693_147_180_559_945_309_4
}
