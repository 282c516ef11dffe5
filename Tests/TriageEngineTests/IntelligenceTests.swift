import Foundation
import Logging
import Testing
import TriageCore
@testable import TriageEngine
import TriageStoreSQLite
import TriageTesting

/// The classifier and duplicate finder as the worker uses them, over a real SQLite store.
struct IntelligenceTests {
    static let examples: [TrainingExample] = (0..<40).flatMap { index in
        [
            TrainingExample(id: "db\(index)", text: "postgres replication lag on db-\(index) database slow queries", label: "database"),
            TrainingExample(id: "net\(index)", text: "vpn tunnel down packet loss on router rtr-\(index) network", label: "network"),
            TrainingExample(id: "acc\(index)", text: "user locked out password reset account login \(index)", label: "access"),
        ]
    }

    func incident(_ title: String, service: String? = "billing", at now: Date) -> Incident {
        var generator = SystemRandomNumberGenerator()
        return Incident(
            id: IncidentID(now: now, using: &generator), draft: IncidentDraft(source: "generic", title: title, service: service),
            receivedAt: now, rawPayloadID: 1)
    }

    @Test func duplicatesAreFoundWithinTheWindowAndScopeOnly() async throws {
        let finder = DuplicateFinder(settings: DuplicateSettings(enabled: true, threshold: 0.8, window: 3600, scope: .service))
        let t0 = Date(timeIntervalSince1970: 1_790_000_000)
        let first = incident("Checkout latency above 2 seconds on web-3", at: t0)
        #expect(await finder.check(first, now: t0, isOpen: { _ in true }) == nil)
        // Same text, same service, 10 minutes later: a duplicate.
        let again = incident("Checkout latency above 2 seconds on web-3", at: t0 + 600)
        let match = await finder.check(again, now: t0 + 600, isOpen: { _ in true })
        #expect(match?.id == first.id)
        #expect((match?.score ?? 0) > 0.99)
        // Another service: not a duplicate.
        let elsewhere = incident("Checkout latency above 2 seconds on web-3", service: "search", at: t0 + 700)
        #expect(await finder.check(elsewhere, now: t0 + 700, isOpen: { _ in true }) == nil)
        // Different text: not a duplicate.
        let other = incident("Disk full on db-7", at: t0 + 800)
        #expect(await finder.check(other, now: t0 + 800, isOpen: { _ in true }) == nil)
        // Outside the window (two hours after the last similar one): not a duplicate.
        let late = incident("Checkout latency above 2 seconds on web-3", at: t0 + 8000)
        #expect(await finder.check(late, now: t0 + 8000, isOpen: { _ in true }) == nil)
        // A candidate the store says is resolved does not count.
        let closed = incident("Checkout latency above 2 seconds on web-3", at: t0 + 8100)
        #expect(await finder.check(closed, now: t0 + 8100, isOpen: { _ in false }) == nil)
    }

    @Test func theDuplicateIndexForgetsIncidentsOlderThanTheWindow() async throws {
        let finder = DuplicateFinder(settings: DuplicateSettings(enabled: true, threshold: 0.8, window: 600, scope: .service))
        let t0 = Date(timeIntervalSince1970: 1_790_000_000)
        // 5,000 distinct incidents, one a second: the window holds 600 of them. Without pruning the
        // index held every one it ever saw.
        for n in 0..<5_000 {
            let at = t0 + Double(n)
            _ = await finder.check(incident("Disk \(n) of host-\(n * 7919) is failing", at: at), now: at, isOpen: { _ in true })
        }
        #expect(finder.count >= 600 && finder.count <= 600 + 1_300, "index holds \(finder.count)")
    }

    @Test func theModelSurvivesARestartAndDecidesWhenNoRuleDoes() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("t.sqlite")
        let settings = ClassifierSettings(enabled: true, threshold: 0.6, learnFromResolved: false, retrainEvery: 3600)
        let clock = TestClock(now: Date(timeIntervalSince1970: 1_790_000_000))
        let logger = Logger(label: "test")
        let first = ClassifierHolder()
        do {
            let store = try SQLiteStore(path: path)
            let trainer = ClassifierTrainer(
                settings: settings, store: store, holder: first, clock: clock, baseExamples: Self.examples, logger: logger)
            #expect(try await trainer.start() == Self.examples.count)
            #expect(try await store.loadModel(named: "classifier") != nil)
        }
        let trained = try #require(first.current)
        // A new process: the trainer finds the saved model instead of training again.
        let second = ClassifierHolder()
        let reopened = try SQLiteStore(path: path)
        let trainer = ClassifierTrainer(
            settings: settings, store: reopened, holder: second, clock: clock, baseExamples: Self.examples, logger: logger)
        _ = try await trainer.start()
        let loaded = try #require(second.current)
        #expect(loaded.model.labels == trained.model.labels)
        #expect(loaded.trainedAt == trained.trainedAt)
        let text = "replication lag on the orders postgres database"
        #expect(loaded.model.predict(text) == trained.model.predict(text))

        // No rule sets a category: the classifier does, and the decision says so with neighbours.
        let policy = TriagePolicy(rules: RuleSet(rules: []), vendors: [], classifier: settings)
        let similar = loaded.similar(to: text, k: 3)
        #expect(similar.count == 3)
        #expect(similar.allSatisfy { $0.label == "database" })
        let decision = policy.triage(incident(text, at: clock.now()), now: clock.now(), model: loaded.model, similar: similar)
        #expect(decision.category == "database")
        #expect(decision.prediction?.label == "database")
        #expect(decision.abstained == false)
        #expect(decision.explanation.contains { $0.hasPrefix("classifier predicts category 'database' with confidence") })
        #expect(decision.explanation.contains { $0.hasPrefix("similar past incident db") })
        // Gibberish: the classifier abstains and says so; nothing is guessed.
        let unsure = policy.triage(incident("zxqv blorf wibble", at: clock.now()), now: clock.now(), model: loaded.model)
        #expect(unsure.category == nil)
        #expect(unsure.abstained)
        #expect(unsure.prediction?.abstained == true)
        #expect(unsure.prediction?.knownWords == false)
        #expect(unsure.explanation.contains("classifier abstained: no word of this text occurs in its training data; left for a human"))
        // Known words but a high bar: below the threshold it abstains with its best guess.
        let strict = TriagePolicy(
            rules: RuleSet(rules: []), vendors: [], classifier: ClassifierSettings(enabled: true, threshold: 0.999))
        let torn = strict.triage(incident("postgres vpn password", at: clock.now()), now: clock.now(), model: loaded.model)
        #expect(torn.category == nil)
        #expect(torn.prediction?.knownWords == true)
        #expect(torn.explanation.contains { $0.hasPrefix("classifier abstained: best guess '") })
        // A rule that decides wins; the classifier is not asked.
        let ruled = TriagePolicy(
            rules: RuleSet(rules: [Rule(name: "all-net", when: .always, then: RuleActions(category: "network"))]), vendors: [],
            classifier: settings)
        let byRule = ruled.triage(incident(text, at: clock.now()), now: clock.now(), model: loaded.model)
        #expect(byRule.category == "network")
        #expect(byRule.prediction == nil)
    }
}
