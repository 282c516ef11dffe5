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

    public init(label: String?, confidence: Double, abstained: Bool, ranked: [LabelScore]) {
        self.label = label
        self.confidence = confidence
        self.abstained = abstained
        self.ranked = ranked
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
