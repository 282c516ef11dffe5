import Foundation
import Synchronization
import TriageCore

/// The classifier in force and the index of the past incidents it learnt from, swapped atomically
/// when the background trainer finishes; triage reads it and never waits for training.
public final class ClassifierHolder: Sendable {
    public struct State: Sendable {
        public var model: TextClassifier
        /// The labelled past incidents, for "most similar past incidents" in explanations.
        public var history: NeighbourIndex
        public var trainedAt: Date
        public var examples: Int
        public var version: Int

        /// The `k` past incidents most similar to `text`.
        public func similar(to text: String, k: Int) -> [Neighbour] {
            guard k > 0 else { return [] }
            return history.nearest(model.vector(text), k: k)
        }
    }

    private let state = Mutex<State?>(nil)

    public init() {}

    public var current: State? { state.withLock { $0 } }

    /// Installs a newly trained model with its history index; returns its version.
    @discardableResult
    public func install(model: TextClassifier, history: NeighbourIndex, trainedAt: Date, examples: Int) -> Int {
        state.withLock { state in
            let version = (state?.version ?? 0) + 1
            state = State(model: model, history: history, trainedAt: trainedAt, examples: examples, version: version)
            return version
        }
    }

    /// The index of `examples` under `model`'s features.
    public static func history(of examples: [TrainingExample], model: TextClassifier) -> NeighbourIndex {
        var index = NeighbourIndex()
        for example in examples {
            index.add(id: example.id, vector: model.vector(example.text), label: example.label, time: nil, scope: nil)
        }
        return index
    }
}
