import FoundationEssentials

/// The figures of `triage eval`, computed the same way by `scripts/sklearn_baseline.py`.
///
/// Every row of the test set has a *top* label (the classifier's best guess) and a confidence
/// in it. With `n` rows and `correct(i)` meaning top(i) == truth(i):
/// - `accuracy` = #correct / n, on the top label of every row (the threshold plays no part);
/// - per label L: `precision` = #(top = L and correct) / #(top = L), `recall` = #(top = L and
///   correct) / `support`, `f1` = 2PR / (P + R), `support` = #(truth = L); each is 0 when its
///   denominator is 0. `per_label` lists every label that is a truth, a top label or counts
///   toward macro-F1;
/// - `macro_f1` = the mean f1 over the labels with at least ``minimumTrainingRows`` training rows
///   (from `trainingCounts`, whether or not they occur in the test set); 0 when there is none;
/// - `coverage` = #(confidence ≥ threshold) / n, the share the service would assign by itself;
/// - `precision_at_threshold` = #correct among those / their number (0 when there is none);
/// - `coverage_at_precision_90`: rows sorted by confidence, descending; for every cut-off c among
///   the confidences, keep the rows with confidence ≥ c (ties are kept or dropped together); the
///   largest kept / n whose precision is at least 0.90 (compared exactly: 10·correct ≥ 9·kept);
///   0 when no cut-off reaches 0.90.
/// All shares are 0 when n is 0.
public struct EvaluationReport: Sendable, Codable, Equatable {
    /// The figures of one label, on the top prediction of every row.
    public struct LabelScore: Sendable, Codable, Equatable {
        public var precision: Double
        public var recall: Double
        public var f1: Double
        public var support: Int

        public init(precision: Double, recall: Double, f1: Double, support: Int) {
            self.precision = precision
            self.recall = recall
            self.f1 = f1
            self.support = support
        }
    }

    /// A label counts toward macro-F1 when it has at least this many training rows.
    public static let minimumTrainingRows = 40
    /// The precision `coverage_at_precision_90` is about, as the fraction 9/10.
    static let targetPrecision = (numerator: 9, denominator: 10)

    public var accuracy: Double
    public var macroF1: Double
    public var coverage: Double
    public var precisionAtThreshold: Double
    public var coverageAtPrecision90: Double
    public var perLabel: [String: LabelScore]
    /// The confidence threshold of `coverage` (not encoded; for ``text``).
    public var threshold: Double = 0
    /// The labels macro-F1 averages over, sorted (not encoded; for ``text``).
    public var macroLabels: [String] = []

    enum CodingKeys: String, CodingKey {
        case accuracy
        case macroF1 = "macro_f1"
        case coverage
        case precisionAtThreshold = "precision_at_threshold"
        case coverageAtPrecision90 = "coverage_at_precision_90"
        case perLabel = "per_label"
    }

    /// The report of one test set. `truth`, `top` and `confidence` are parallel (one entry per
    /// test row); `trainingCounts` is the number of training rows of each label.
    public static func make(
        truth: [String], top: [String], confidence: [Double], trainingCounts: [String: Int], threshold: Double
    ) -> EvaluationReport {
        precondition(truth.count == top.count && top.count == confidence.count, "truth, top, confidence differ in length")
        let n = truth.count
        func share(_ part: Int, _ whole: Int) -> Double { whole == 0 ? 0 : Double(part) / Double(whole) }

        var support: [String: Int] = [:]
        var predicted: [String: Int] = [:]
        var hits: [String: Int] = [:]
        var correct = 0
        var kept = 0
        var keptCorrect = 0
        for i in 0..<n {
            support[truth[i], default: 0] += 1
            predicted[top[i], default: 0] += 1
            let right = top[i] == truth[i]
            if right {
                correct += 1
                hits[top[i], default: 0] += 1
            }
            if confidence[i] >= threshold {
                kept += 1
                if right { keptCorrect += 1 }
            }
        }

        let macroLabels = trainingCounts.filter { $0.value >= minimumTrainingRows }.keys.sorted()
        var perLabel: [String: LabelScore] = [:]
        for label in Set(support.keys).union(predicted.keys).union(macroLabels) {
            let tp = hits[label] ?? 0
            let precision = share(tp, predicted[label] ?? 0)
            let recall = share(tp, support[label] ?? 0)
            let f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall)
            perLabel[label] = LabelScore(precision: precision, recall: recall, f1: f1, support: support[label] ?? 0)
        }
        var f1Sum = 0.0
        for label in macroLabels { f1Sum += perLabel[label]?.f1 ?? 0 }

        return EvaluationReport(
            accuracy: share(correct, n),
            macroF1: macroLabels.isEmpty ? 0 : f1Sum / Double(macroLabels.count),
            coverage: share(kept, n),
            precisionAtThreshold: share(keptCorrect, kept),
            coverageAtPrecision90: share(largestPreciseCut(truth: truth, top: top, confidence: confidence), n),
            perLabel: perLabel,
            threshold: threshold,
            macroLabels: macroLabels)
    }

    /// The most rows a confidence cut-off can keep with precision ≥ 0.90 (see the type's notes).
    static func largestPreciseCut(truth: [String], top: [String], confidence: [Double]) -> Int {
        let order = confidence.indices.sorted { confidence[$0] > confidence[$1] }
        var best = 0
        var kept = 0
        var correct = 0
        var position = 0
        while position < order.count {
            let level = confidence[order[position]]
            while position < order.count, confidence[order[position]] == level {
                let row = order[position]
                kept += 1
                if top[row] == truth[row] { correct += 1 }
                position += 1
            }
            if correct * targetPrecision.denominator >= kept * targetPrecision.numerator { best = kept }
        }
        return best
    }

    /// The predictions of one fold of a cross-validation, or of a whole hold-out test set.
    public struct FoldPredictions: Sendable, Equatable {
        public var truth: [String]
        public var top: [String]
        public var confidence: [Double]
        /// The number of training rows of each label for this fold.
        public var trainingCounts: [String: Int]

        public init(truth: [String], top: [String], confidence: [Double], trainingCounts: [String: Int]) {
            self.truth = truth
            self.top = top
            self.confidence = confidence
            self.trainingCounts = trainingCounts
        }
    }

    /// The report of a cross-validation: the out-of-fold predictions of all folds pooled into
    /// one test set (concatenated in fold order), with a label's training count taken as its
    /// smallest count over the folds, so that a label counts toward macro-F1 only when every
    /// fold's model was trained on at least ``minimumTrainingRows`` of its rows.
    public static func make(folds: [FoldPredictions], threshold: Double) -> EvaluationReport {
        let labels = folds.reduce(into: Set<String>()) { $0.formUnion($1.trainingCounts.keys) }
        var counts: [String: Int] = [:]
        for label in labels { counts[label] = folds.map { $0.trainingCounts[label] ?? 0 }.min() ?? 0 }
        return make(
            truth: folds.flatMap(\.truth), top: folds.flatMap(\.top), confidence: folds.flatMap(\.confidence),
            trainingCounts: counts, threshold: threshold)
    }

    /// The row indices of each of `k` folds: row i (0-based, in file order) is in fold i % k.
    public static func folds(count: Int, k: Int) -> [[Int]] {
        precondition(k >= 1, "at least one fold")
        var folds = Array(repeating: [Int](), count: k)
        for row in 0..<max(count, 0) { folds[row % k].append(row) }
        return folds
    }

    /// The number of rows of each label.
    public static func labelCounts(_ labels: some Sequence<String>) -> [String: Int] {
        var counts: [String: Int] = [:]
        for label in labels { counts[label, default: 0] += 1 }
        return counts
    }
}
