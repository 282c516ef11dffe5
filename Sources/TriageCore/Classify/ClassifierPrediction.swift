/// What `TextClassifier` predicts for one text.
public struct ClassifierPrediction: Sendable, Codable, Equatable {
    /// The predicted label, `nil` when the classifier abstained.
    public var label: String?
    /// The calibrated probability of the top-ranked label (0…1), whether or not it was applied.
    public var confidence: Double
    /// Whether the confidence is below the threshold: the text is left for a human.
    public var abstained: Bool
    /// The most probable labels, best first (at most three).
    public var ranked: [LabelScore]
    /// `false` when no word of the text occurs (often enough) in the training data: the
    /// probabilities then only reflect character fragments and label frequencies. Triage abstains
    /// on such texts whatever the confidence; `triage eval` measures the model without that guard.
    public var knownWords: Bool

    public init(label: String?, confidence: Double, abstained: Bool, ranked: [LabelScore], knownWords: Bool = true) {
        self.label = label
        self.confidence = confidence
        self.abstained = abstained
        self.ranked = ranked
        self.knownWords = knownWords
    }

    enum CodingKeys: String, CodingKey {
        case label, confidence, abstained, ranked, knownWords
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        label = try container.decodeIfPresent(String.self, forKey: .label)
        confidence = try container.decode(Double.self, forKey: .confidence)
        abstained = try container.decode(Bool.self, forKey: .abstained)
        ranked = try container.decode([LabelScore].self, forKey: .ranked)
        knownWords = try container.decodeIfPresent(Bool.self, forKey: .knownWords) ?? true
    }
}

/// A label and its calibrated probability.
public struct LabelScore: Sendable, Codable, Equatable {
    public var label: String
    /// 0…1; the probabilities of all of a classifier's labels add up to 1.
    public var probability: Double

    public init(label: String, probability: Double) {
        self.label = label
        self.probability = probability
    }
}
