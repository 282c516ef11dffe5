import FoundationEssentials

/// Predicts a label (an assignment group, a category) for incident text from past incidents, with a
/// calibrated confidence, and abstains below a threshold.
///
/// The model (see `train(texts:labels:options:)`):
/// - features from `FeatureHasher` (word tokens and pairs, character 2…4-grams); features seen in
///   fewer than `minimumDocumentFrequency` training texts are dropped; the rest are weighted by
///   smoothed IDF, `ln((1 + n) / (1 + df)) + 1`; the word and character families are L2-normalised
///   separately, mixed by `wordShare`, and the whole vector normalised again;
/// - one-vs-rest linear SVMs (squared hinge loss, L2 regularisation `cost`, a bias feature), trained
///   together by dual coordinate descent (as liblinear), with per-class weights on the positives;
/// - probabilities: a softmax of the SVM margins with a temperature fitted (maximum likelihood) on an
///   inner held-out split of the training texts, before the final training on all of them.
public struct TextClassifier: Sendable, Codable {
    /// Training settings; the defaults were chosen on inner splits of the training folds only.
    public struct Options: Sendable, Codable, Equatable {
        /// Below this confidence the classifier abstains.
        public var threshold: Double = 0.6
        /// The SVM's regularisation cost `C` (larger fits the training data more closely).
        public var cost: Double = 1
        /// Exponent of the class weights on positives, `(n / (k · n_class))^classBalance`; 0 for none.
        public var classBalance: Double = 0.5
        /// Passes of coordinate descent over the training texts.
        public var epochs: Int = 12
        /// Training stops early once, for every class, the projected gradients span at most this (liblinear's test).
        public var tolerance: Double = 0.1
        /// Features in fewer training texts than this are ignored.
        public var minimumDocumentFrequency: Int = 2
        /// Share of the vector's squared length given to word features (the rest to n-grams).
        public var wordShare: Double = 0.5
        /// Share of the training texts held out to fit the temperature (0 for none: temperature 1).
        public var calibrationShare: Double = 0.2
        /// Seed of the shuffles, so training is deterministic.
        public var seed: UInt64 = 0x5EED
        /// The feature hasher.
        public var hasher = FeatureHasher()

        public init(threshold: Double = 0.6) {
            self.threshold = threshold
        }
    }

    /// The labels, in training order of first appearance.
    public private(set) var labels: [String]
    /// The options it was trained with (the threshold may be changed afterwards).
    public var options: Options
    /// The softmax temperature applied to the margins.
    public private(set) var temperature: Double
    /// Kept features (hashed indices, ascending) and their IDF.
    let vocabulary: [UInt32]
    let idf: [Float]
    /// `weights[slot * labels.count + label]`; the last row (`slot == vocabulary.count`) is the bias.
    let weights: [Float]
    /// Hashed index → vocabulary slot, -1 when not kept; derived, not encoded.
    let slots: [Int32]

    /// The calibrated prediction for `text`.
    public func predict(_ text: String) -> ClassifierPrediction {
        predict(features: vector(text))
    }

    /// The prediction for a vector made by `vector(_:)` (so one vector serves prediction and the
    /// neighbour index).
    public func predict(features: SparseVector) -> ClassifierPrediction {
        let probabilities = self.probabilities(features)
        let order = probabilities.indices.sorted { probabilities[$0] > probabilities[$1] || probabilities[$0] == probabilities[$1] && $0 < $1 }
        let ranked = order.prefix(3).map { LabelScore(label: labels[$0], probability: probabilities[$0]) }
        let confidence = ranked.first?.probability ?? 0
        let knownWords = features.indices.contains { options.hasher.isWordFeature($0) }
        let abstained = ranked.isEmpty || confidence < options.threshold
        return ClassifierPrediction(
            label: abstained ? nil : ranked[0].label, confidence: confidence, abstained: abstained, ranked: ranked,
            knownWords: knownWords)
    }

    /// The text's model vector: IDF-weighted kept features, families balanced, length 1. Indices are
    /// `FeatureHasher` indices, so it also serves as a `NeighbourIndex` vector.
    public func vector(_ text: String) -> SparseVector {
        Self.weigh(options.hasher.features(text), hasher: options.hasher, slots: slots, idf: idf, wordShare: options.wordShare)
    }

    /// The calibrated probability of each label (in `labels` order) for a `vector(_:)`.
    public func probabilities(_ features: SparseVector) -> [Double] {
        let margins = Self.margins(features, weights: weights, slots: slots, bias: vocabulary.count, classes: labels.count)
        return Self.softmax(margins, temperature: temperature)
    }

    /// Trains on `texts` and their `labels` (same count). Deterministic for given inputs and options.
    public static func train(texts: [String], labels: [String], options: Options = .init()) -> TextClassifier {
        precondition(texts.count == labels.count, "one label per text")
        var names: [String] = []
        var ids: [String: Int] = [:]
        let y = labels.map { label in
            if let id = ids[label] { return id }
            ids[label] = names.count
            names.append(label)
            return names.count - 1
        }
        let raw = texts.map { options.hasher.features($0) }
        // Vocabulary and IDF from all training texts.
        var documentFrequency: [UInt32: Int32] = [:]
        for vector in raw { for index in vector.indices { documentFrequency[index, default: 0] += 1 } }
        let vocabulary = documentFrequency.filter { $0.value >= Int32(max(options.minimumDocumentFrequency, 1)) }.keys.sorted()
        let n = Double(texts.count)
        let idf = vocabulary.map { Float(ClassifierMath.log((1 + n) / (1 + Double(documentFrequency[$0]!))) + 1) }
        var slots = [Int32](repeating: -1, count: options.hasher.dimensions)
        for (slot, index) in vocabulary.enumerated() { slots[Int(index)] = Int32(slot) }
        let vectors = raw.map { weigh($0, hasher: options.hasher, slots: slots, idf: idf, wordShare: options.wordShare) }
        let problem = LinearSVM(
            vectors: vectors, labels: y, classes: names.count, slots: slots, features: vocabulary.count, options: options)
        // Temperature from an inner held-out split.
        var temperature = 1.0
        let heldOut = Int(Double(texts.count) * options.calibrationShare)
        if heldOut >= 10 && names.count > 1 {
            var generator = SplitMix64(seed: options.seed ^ 0xCA1B)
            let order = Array(0..<texts.count).shuffled(using: &generator)
            let fit = problem.solve(rows: Array(order[heldOut...]))
            let margins = order[..<heldOut].map { Self.margins(vectors[$0], weights: fit, slots: slots, bias: vocabulary.count, classes: names.count) }
            temperature = fitTemperature(margins, order[..<heldOut].map { y[$0] })
        }
        let weights = problem.solve(rows: Array(0..<texts.count))
        return TextClassifier(
            labels: names, options: options, temperature: temperature, vocabulary: vocabulary, idf: idf, weights: weights,
            slots: slots)
    }

    init(labels: [String], options: Options, temperature: Double, vocabulary: [UInt32], idf: [Float], weights: [Float], slots: [Int32]) {
        self.labels = labels
        self.options = options
        self.temperature = temperature
        self.vocabulary = vocabulary
        self.idf = idf
        self.weights = weights
        self.slots = slots
    }

    /// Raw hasher features → model vector (see `vector(_:)`).
    static func weigh(_ raw: SparseVector, hasher: FeatureHasher, slots: [Int32], idf: [Float], wordShare: Double) -> SparseVector {
        var indices: [UInt32] = []
        var values: [Float] = []
        indices.reserveCapacity(raw.count)
        values.reserveCapacity(raw.count)
        var wordSquares: Float = 0
        var gramSquares: Float = 0
        for (index, value) in zip(raw.indices, raw.values) {
            let slot = slots[Int(index)]
            guard slot >= 0 else { continue }
            let weight = value * idf[Int(slot)]
            indices.append(index)
            values.append(weight)
            if hasher.isWordFeature(index) { wordSquares += weight * weight } else { gramSquares += weight * weight }
        }
        let share = Float(min(max(wordShare, 0), 1))
        let wordScale = wordSquares > 0 ? (share / wordSquares).squareRoot() : 0
        let gramScale = gramSquares > 0 ? ((1 - share) / gramSquares).squareRoot() : 0
        for position in indices.indices {
            values[position] *= hasher.isWordFeature(indices[position]) ? wordScale : gramScale
        }
        return SparseVector(uncheckedIndices: indices, values: values).normalised()
    }

    /// The margin of each class for a model vector.
    static func margins(_ vector: SparseVector, weights: [Float], slots: [Int32], bias: Int, classes: Int) -> [Float] {
        var margins = Array(weights[(bias * classes)..<((bias + 1) * classes)])
        weights.withUnsafeBufferPointer { w in
            margins.withUnsafeMutableBufferPointer { m in
                for (index, value) in zip(vector.indices, vector.values) {
                    let slot = Int(slots[Int(index)])
                    guard slot >= 0 else { continue }
                    let row = w.baseAddress! + slot * classes
                    for c in 0..<classes { m[c] += value * row[c] }
                }
            }
        }
        return margins
    }

    static func softmax(_ margins: [Float], temperature: Double) -> [Double] {
        guard let top = margins.max() else { return [] }
        let exps = margins.map { ClassifierMath.exp(Double($0 - top) / temperature) }
        let sum = exps.reduce(0, +)
        return exps.map { $0 / sum }
    }

    /// The temperature minimising the held-out negative log-likelihood (golden-section search on
    /// its logarithm, 0.01…10).
    static func fitTemperature(_ margins: [[Float]], _ truth: [Int]) -> Double {
        func loss(_ logT: Double) -> Double {
            let t = ClassifierMath.exp(logT)
            return zip(margins, truth).reduce(0) { sum, pair in
                sum - ClassifierMath.log(max(softmax(pair.0, temperature: t)[pair.1], 1e-12))
            }
        }
        var low = ClassifierMath.log(0.01)
        var high = ClassifierMath.log(10)
        let ratio = (5.0.squareRoot() - 1) / 2
        for _ in 0..<40 {
            let a = high - ratio * (high - low)
            let b = low + ratio * (high - low)
            if loss(a) < loss(b) { high = b } else { low = a }
        }
        return ClassifierMath.exp((low + high) / 2)
    }

    enum CodingKeys: String, CodingKey {
        case labels, options, temperature, vocabulary, idf, weights
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        labels = try container.decode([String].self, forKey: .labels)
        options = try container.decode(Options.self, forKey: .options)
        temperature = try container.decode(Double.self, forKey: .temperature)
        vocabulary = try Self.decodeArray(UInt32.self, container, .vocabulary)
        idf = try Self.decodeArray(Float.self, container, .idf)
        weights = try Self.decodeArray(Float.self, container, .weights)
        let (vocabulary, dimensions) = (vocabulary, options.hasher.dimensions)
        guard idf.count == vocabulary.count, weights.count == (vocabulary.count + 1) * labels.count,
            vocabulary.allSatisfy({ Int($0) < dimensions }), zip(vocabulary, vocabulary.dropFirst()).allSatisfy({ $0 < $1 })
        else {
            throw DecodingError.dataCorruptedError(forKey: .weights, in: container, debugDescription: "inconsistent model sizes")
        }
        var slots = [Int32](repeating: -1, count: options.hasher.dimensions)
        for (slot, index) in vocabulary.enumerated() { slots[Int(index)] = Int32(slot) }
        self.slots = slots
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(labels, forKey: .labels)
        try container.encode(options, forKey: .options)
        try container.encode(temperature, forKey: .temperature)
        try container.encode(Self.bytes(of: vocabulary), forKey: .vocabulary)
        try container.encode(Self.bytes(of: idf), forKey: .idf)
        try container.encode(Self.bytes(of: weights), forKey: .weights)
    }

    /// Large arrays are encoded as their little-endian bytes (`Data`: base64 in JSON), exactly.
    static func bytes<T: FixedWidthInteger>(of array: [T]) -> Data {
        var data = Data(capacity: array.count * MemoryLayout<T>.size)
        for value in array { withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) } }
        return data
    }

    static func bytes(of array: [Float]) -> Data { bytes(of: array.map(\.bitPattern)) }

    static func decodeArray<T: FixedWidthInteger>(
        _ type: T.Type, _ container: KeyedDecodingContainer<CodingKeys>, _ key: CodingKeys
    ) throws -> [T] {
        let data = try container.decode(Data.self, forKey: key)
        let size = MemoryLayout<T>.size
        guard data.count % size == 0 else {
            throw DecodingError.dataCorruptedError(forKey: key, in: container, debugDescription: "truncated array")
        }
        return data.withUnsafeBytes { raw in
            (0..<(data.count / size)).map { T(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * size, as: T.self)) }
        }
    }

    static func decodeArray(_ type: Float.Type, _ container: KeyedDecodingContainer<CodingKeys>, _ key: CodingKeys) throws -> [Float] {
        try decodeArray(UInt32.self, container, key).map(Float.init(bitPattern:))
    }
}
