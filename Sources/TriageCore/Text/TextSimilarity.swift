/// Scores how similar an incident's text is to an example text of a rule
/// (`text: {similar_to: ["database connection pool exhausted"], threshold: 0.6}`), from 0 (nothing in
/// common) to 1 (same content).
///
/// A scorer turns each text into a `ScoringVector` and compares vectors. Compute the example's
/// vector once when the rule is loaded and the incident's vector once per incident (for the first
/// `similar_to` condition evaluated); each comparison is then a merge of two short sorted arrays.
/// `WordOverlapScorer` is the default until the similarity work supplies a trained scorer behind
/// this same protocol (an embedding model fits: a dense vector is a `ScoringVector` with keys
/// `0..<dimension`).
public protocol TextScorer: Sendable {
    /// The vector of `text`; compute it once per text and reuse it.
    func vector(for text: AnalyzedText) -> ScoringVector
    /// Similarity of two precomputed vectors, 0...1. Defaults to their cosine.
    func similarity(_ text: ScoringVector, to example: ScoringVector) -> Double
    /// Similarity of two texts, 0...1; computes both vectors, so prefer the vector form in loops.
    func similarity(_ text: AnalyzedText, to example: AnalyzedText) -> Double
}

extension TextScorer {
    /// The cosine of the two vectors, clamped to 0...1.
    public func similarity(_ text: ScoringVector, to example: ScoringVector) -> Double {
        text.cosine(example)
    }

    /// `similarity(vector(for: text), to: vector(for: example))`.
    public func similarity(_ text: AnalyzedText, to example: AnalyzedText) -> Double {
        similarity(vector(for: text), to: vector(for: example))
    }
}

/// A sparse vector of weighted features, L2-normalised, keys sorted and unique. Keys may depend on a
/// per-process hash seed: compare vectors made in the same process only.
public struct ScoringVector: Sendable, Equatable {
    /// Feature keys, ascending.
    public let keys: [UInt64]
    /// Weight of each key; the vector has length 1 unless it is empty.
    public let weights: [Float]

    /// The empty vector: similarity 0 to everything.
    public static let empty = ScoringVector(uncheckedKeys: [], weights: [])

    /// Builds a vector from features in any order; duplicate keys add up, the result is normalised.
    public init(features: [(key: UInt64, weight: Float)]) {
        let sorted = features.sorted { $0.key < $1.key }
        var keys: [UInt64] = []
        var weights: [Float] = []
        keys.reserveCapacity(sorted.count)
        weights.reserveCapacity(sorted.count)
        for feature in sorted where feature.weight != 0 {
            if keys.last == feature.key {
                weights[weights.count - 1] += feature.weight
            } else {
                keys.append(feature.key)
                weights.append(feature.weight)
            }
        }
        let norm = weights.reduce(Float(0)) { $0 + $1 * $1 }.squareRoot()
        self.init(uncheckedKeys: keys, weights: norm > 0 ? weights.map { $0 / norm } : [])
    }

    /// A vector counting each key's occurrences, normalised.
    init(counting keys: [UInt64]) {
        var keys = keys
        keys.sort()
        var unique: [UInt64] = []
        var counts: [Float] = []
        unique.reserveCapacity(keys.count)
        counts.reserveCapacity(keys.count)
        for key in keys {
            if unique.last == key {
                counts[counts.count - 1] += 1
            } else {
                unique.append(key)
                counts.append(1)
            }
        }
        let norm = counts.reduce(Float(0)) { $0 + $1 * $1 }.squareRoot()
        self.init(uncheckedKeys: unique, weights: norm > 0 ? counts.map { $0 / norm } : [])
    }

    init(uncheckedKeys keys: [UInt64], weights: [Float]) {
        self.keys = weights.isEmpty ? [] : keys
        self.weights = weights
    }

    /// Whether the vector has no feature (an empty or all-stop-word text).
    public var isEmpty: Bool { keys.isEmpty }

    /// Dot product of two normalised vectors, clamped to 0...1; 0 when either is empty.
    public func cosine(_ other: ScoringVector) -> Double {
        var i = 0
        var j = 0
        var dot: Float = 0
        while i < keys.count && j < other.keys.count {
            let a = keys[i]
            let b = other.keys[j]
            if a == b {
                dot += weights[i] * other.weights[j]
                i += 1
                j += 1
            } else if a < b {
                i += 1
            } else {
                j += 1
            }
        }
        return min(max(Double(dot), 0), 1)
    }
}

/// The default scorer: a bag-of-character-trigrams cosine, no model. Until a trained scorer exists
/// (the similarity issue will supply one behind `TextScorer`), it is a sound simple baseline.
///
/// Stop words of English, French and German (`StopWords`) and numbers are dropped; each remaining
/// word contributes its character trigrams, padded at both ends (`^d`, `^da`, `dat` … `se$`). That
/// credits inflections and compounds (`exhausted`/`exhaustion`, `connection`/`connexions`,
/// `Datenbank-Verbindungspool`/`Verbindungspool der Datenbank`), where whole-word overlap gives
/// them nothing, and it ignores word order. Identical texts score 1; texts with no stem in common
/// score near 0; an empty (or all stop words) text scores 0 against everything.
///
/// Whole words and consecutive word pairs can be mixed in (`wordWeight`, `pairWeight`): each family
/// is normalised on its own and scaled by the square root of its weight, so the cosine is about
/// the weighted mean of the families' cosines. On our examples (see `TextSimilarityTests`) they
/// separated paraphrases from unrelated alerts less well than trigrams alone, so they default to 0.
public struct WordOverlapScorer: TextScorer {
    /// Weight of whole-word overlap.
    public var wordWeight: Float
    /// Weight of consecutive word pairs (after stop words are dropped).
    public var pairWeight: Float
    /// Weight of character trigrams.
    public var trigramWeight: Float

    /// A scorer with the given weights (relative; they need not add up to 1).
    public init(wordWeight: Float = 0, pairWeight: Float = 0, trigramWeight: Float = 1) {
        self.wordWeight = wordWeight
        self.pairWeight = pairWeight
        self.trigramWeight = trigramWeight
    }

    public func vector(for text: AnalyzedText) -> ScoringVector {
        var words: [UInt64] = []
        var pairs: [UInt64] = []
        var trigrams: [UInt64] = []
        trigrams.reserveCapacity(trigramWeight > 0 ? text.storage.count + 2 * text.wordCount : 0)
        var previous: UInt64?
        text.storage.withUnsafeBufferPointer { bytes in
            for position in 0..<text.wordCount {
                let hash = text.hashes[position]
                let word = bytes[Int(text.offsets[position])..<Int(text.offsets[position + 1])]
                if StopWords.contains(hash: hash) || word.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) { continue }
                words.append(hash & Self.wordMask)
                if let previous { pairs.append(AnalyzedText.mix(previous ^ Self.pairSalt, hash) & Self.wordMask) }
                previous = hash
                guard trigramWeight > 0 else { continue }
                var window: (UInt64, UInt64) = (0, 2)  // 2 marks the start of the word
                var index = word.startIndex
                while index < word.endIndex {
                    let (value, length) = AnalyzedText.decode(bytes, at: index)
                    trigrams.append(Self.trigramKey(window.0, window.1, UInt64(value)))
                    window = (window.1, UInt64(value))
                    index += length
                }
                trigrams.append(Self.trigramKey(window.0, window.1, 3))  // 3 marks its end
            }
        }
        if wordWeight <= 0 && pairWeight <= 0 { return ScoringVector(counting: trigrams) }
        var features: [(key: UInt64, weight: Float)] = []
        for (keys, weight) in [(words, wordWeight), (pairs, pairWeight), (trigrams, trigramWeight)] where weight > 0 {
            let family = ScoringVector(counting: keys)
            let scale = weight.squareRoot()
            for (key, value) in zip(family.keys, family.weights) { features.append((key, value * scale)) }
        }
        return ScoringVector(features: features)
    }

    /// Word and pair keys have the top bit clear; trigram keys have it set (three 21-bit scalars).
    static let wordMask: UInt64 = ~(1 << 63)
    static let pairSalt: UInt64 = 0x9E37_79B9_7F4A_7C15

    static func trigramKey(_ a: UInt64, _ b: UInt64, _ c: UInt64) -> UInt64 {
        1 << 63 | a << 42 | b << 21 | c
    }
}
