import Foundation
import TriageCore

/// Where the classifier's state lives between restarts, and where it learns from.
public protocol ModelStore: Sendable {
    /// The last saved model called `name`, or `nil`.
    func loadModel(named name: String) async throws -> StoredModel?

    /// Saves (replaces) a model.
    func saveModel(_ model: StoredModel) async throws

    /// Resolved incidents whose `target` was decided by a rule (never by the classifier itself, so
    /// it does not learn from its own guesses), newest first.
    func trainingExamples(target: ClassifierSettings.Target, limit: Int) async throws -> [TrainingExample]

    /// Incidents still open that were received at or after `since`, oldest first.
    func openIncidents(since: Date) async throws -> [Incident]
}

/// A serialised model with when it was trained and from how many examples.
public struct StoredModel: Sendable, Equatable {
    public var name: String
    public var body: [UInt8]
    public var trainedAt: Date
    public var examples: Int

    public init(name: String, body: [UInt8], trainedAt: Date, examples: Int) {
        self.name = name
        self.body = body
        self.trainedAt = trainedAt
        self.examples = examples
    }
}

/// One labelled text to learn from.
public struct TrainingExample: Sendable, Equatable {
    public var id: String
    public var text: String
    public var label: String

    public init(id: String, text: String, label: String) {
        self.id = id
        self.text = text
        self.label = label
    }
}
