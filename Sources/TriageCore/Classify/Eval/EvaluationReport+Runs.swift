import FoundationEssentials

extension EvaluationReport {
    /// Trains on `training`, predicts every row of `test` and reports on `test` (macro-F1 over
    /// the labels with at least ``minimumTrainingRows`` rows in `training`).
    ///
    /// `predict` returns the top label of a text and the confidence in it (any text, even empty,
    /// must get a label; abstaining is decided here from the confidence and `threshold`).
    public static func holdOut<Model, Failure: Error>(
        training: [LabelledExample], test: [LabelledExample], threshold: Double,
        train: ([LabelledExample]) throws(Failure) -> Model,
        predict: (Model, String) -> (label: String, confidence: Double)
    ) throws(Failure) -> EvaluationReport {
        let model = try train(training)
        let fold = predictions(of: model, on: test, trainedOn: training, predict: predict)
        return make(folds: [fold], threshold: threshold)
    }

    /// K-fold cross-validation on one file: fold f is the test set of rows i with i % k == f
    /// (``folds(count:k:)``), the model is trained on the other rows in file order, and the
    /// out-of-fold predictions are pooled by ``make(folds:threshold:)``. `train` gets the 0-based
    /// fold number (to time or log each fold) and the training rows.
    public static func crossValidate<Model, Failure: Error>(
        _ examples: [LabelledExample], k: Int, threshold: Double,
        train: (_ fold: Int, _ training: [LabelledExample]) throws(Failure) -> Model,
        predict: (Model, String) -> (label: String, confidence: Double)
    ) throws(Failure) -> EvaluationReport {
        precondition(k >= 2, "cross-validation needs at least 2 folds")
        var results: [FoldPredictions] = []
        for (fold, rows) in folds(count: examples.count, k: k).enumerated() {
            let (test, training) = split(examples, fold: fold, k: k)
            assert(test.count == rows.count)
            let model = try train(fold, training)
            results.append(predictions(of: model, on: test, trainedOn: training, predict: predict))
        }
        return make(folds: results, threshold: threshold)
    }

    /// The test rows (i % k == fold) and the training rows (the others), both in file order.
    public static func split(
        _ examples: [LabelledExample], fold: Int, k: Int
    ) -> (test: [LabelledExample], training: [LabelledExample]) {
        var test: [LabelledExample] = []
        var training: [LabelledExample] = []
        for (row, example) in examples.enumerated() {
            if row % k == fold { test.append(example) } else { training.append(example) }
        }
        return (test, training)
    }

    static func predictions<Model>(
        of model: Model, on test: [LabelledExample], trainedOn training: [LabelledExample],
        predict: (Model, String) -> (label: String, confidence: Double)
    ) -> FoldPredictions {
        var top: [String] = []
        var confidence: [Double] = []
        top.reserveCapacity(test.count)
        confidence.reserveCapacity(test.count)
        for example in test {
            let guess = predict(model, example.text)
            top.append(guess.label)
            confidence.append(guess.confidence)
        }
        return FoldPredictions(
            truth: test.map(\.label), top: top, confidence: confidence,
            trainingCounts: labelCounts(training.map(\.label)))
    }
}
