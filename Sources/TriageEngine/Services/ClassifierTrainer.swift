import Foundation
import Logging
import ServiceLifecycle
import TriageCore

/// Keeps the classifier trained: at start-up it loads the saved model (or trains one), then it
/// retrains in the background when resolved incidents bring new examples, saves the model and
/// swaps it in. Triage never waits for it.
public struct ClassifierTrainer<Clock: TriageClock>: Service {
    public static var modelName: String { "classifier" }

    let settings: ClassifierSettings
    let store: any ModelStore
    let holder: ClassifierHolder
    let clock: Clock
    /// Examples from the configured history files.
    let baseExamples: [TrainingExample]
    let logger: Logger

    public init(
        settings: ClassifierSettings, store: any ModelStore, holder: ClassifierHolder, clock: Clock,
        baseExamples: [TrainingExample], logger: Logger
    ) {
        self.settings = settings
        self.store = store
        self.holder = holder
        self.clock = clock
        self.baseExamples = baseExamples
        self.logger = logger
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            var learnt: Int?
            do {
                learnt = try await start()
            } catch {
                // Without a model triage goes on with rules alone; the next round tries again.
                if Task.isCancelled { return }
                logger.error("classifier not ready", metadata: ["error": "\(error)"])
            }
            while !Task.isCancelled {
                do {
                    try await clock.sleep(for: .seconds(settings.retrainEvery))
                } catch {
                    return
                }
                guard settings.learnFromResolved || learnt == nil else { continue }
                do {
                    let examples = try await allExamples()
                    guard examples.count != learnt else { continue }
                    learnt = try await train(on: examples, reason: "\(examples.count - baseExamples.count) resolved incidents")
                } catch {
                    if Task.isCancelled { return }
                    // A failed retraining keeps the model in force; the next round tries again.
                    logger.error("classifier retraining failed", metadata: ["error": "\(error)"])
                }
            }
        }
    }

    /// Loads the saved model, or trains one; returns the number of examples it learnt from.
    func start() async throws -> Int {
        let examples = try await allExamples()
        if let saved = try await store.loadModel(named: Self.modelName) {
            do {
                let model = try JSONDecoder().decode(TextClassifier.self, from: Data(saved.body))
                holder.install(
                    model: model, history: ClassifierHolder.history(of: examples, model: model), trainedAt: saved.trainedAt,
                    examples: saved.examples)
                logger.info(
                    "classifier loaded", metadata: ["examples": "\(saved.examples)", "labels": "\(model.labels.count)"])
                return saved.examples
            } catch {
                logger.error("saved classifier unreadable; training a new one", metadata: ["error": "\(error)"])
            }
        }
        return try await train(on: examples, reason: "start-up")
    }

    func allExamples() async throws -> [TrainingExample] {
        var examples = baseExamples
        if settings.learnFromResolved {
            examples += try await store.trainingExamples(target: settings.target, limit: 100_000)
        }
        return examples
    }

    /// Trains off the caller's task, installs and saves; returns the example count.
    func train(on examples: [TrainingExample], reason: String) async throws -> Int {
        guard Set(examples.map(\.label)).count >= 2 else {
            logger.notice(
                "classifier not trained: needs examples of at least two labels",
                metadata: ["examples": "\(examples.count)"])
            return examples.count
        }
        let options = TextClassifier.Options(threshold: settings.threshold)
        let started = clock.now()
        let (model, history) = await Task.detached(priority: .background) {
            let model = TextClassifier.train(texts: examples.map(\.text), labels: examples.map(\.label), options: options)
            return (model, ClassifierHolder.history(of: examples, model: model))
        }.value
        let trainedAt = clock.now()
        let version = holder.install(model: model, history: history, trainedAt: trainedAt, examples: examples.count)
        let body = try JSONEncoder().encode(model)
        try await store.saveModel(
            StoredModel(name: Self.modelName, body: Array(body), trainedAt: trainedAt, examples: examples.count))
        logger.info(
            "classifier trained",
            metadata: [
                "reason": "\(reason)", "version": "\(version)", "examples": "\(examples.count)",
                "labels": "\(model.labels.count)", "seconds": "\(trainedAt.timeIntervalSince(started))",
                "bytes": "\(body.count)",
            ])
        return examples.count
    }
}
