import Foundation
import Logging
import Synchronization
import TriageEngine

/// What `GET /readyz` checks: the store answers, the rules are loaded, and the store's schema is
/// migrated. ``problems()`` lists what is wrong, one `"<check>: <what>"` line per failed check
/// (`store: …`, `rules: …`, `migrations: …`), empty when the process is ready.
///
/// The answers say which check failed but never carry an error's text (it may name files or
/// hosts): that goes to the log.
public struct Readiness: Sendable {
    let store: any IncidentStore
    let rulesLoaded: @Sendable () -> Bool
    let migrations: (any OperationalStats)?
    let timeout: Duration
    let logger: Logger

    /// - Parameters:
    ///   - store: Pinged; a store that throws or takes longer than `timeout` is not ready.
    ///   - rulesLoaded: Whether a rule set is in force (for `triage serve`: the policy holder has one).
    ///   - migrations: Asked for pending migrations; `nil` skips the check (a store opened by
    ///     `triage serve` has applied them when it opened).
    ///   - timeout: How long each store check may take (a PostgreSQL pool waits for a connection
    ///     as long as the server is away).
    public init(
        store: any IncidentStore, rulesLoaded: @escaping @Sendable () -> Bool = { true },
        migrations: (any OperationalStats)? = nil, timeout: Duration = .seconds(2),
        logger: Logger = Logger(label: "triage.readiness")
    ) {
        self.store = store
        self.rulesLoaded = rulesLoaded
        self.migrations = migrations
        self.timeout = timeout
        self.logger = logger
    }

    /// Every failed check, `"store: …"` first; empty when ready.
    public func problems() async -> [String] {
        var problems: [String] = []
        var storeAnswers = true
        do {
            try await within(timeout) { try await store.ping() }
        } catch is ReadinessTimeout {
            storeAnswers = false
            problems.append("store: no answer within \(Self.describe(timeout))")
        } catch {
            storeAnswers = false
            logger.error("readiness: store ping failed", metadata: ["error": "\(error)"])
            problems.append("store: not answering (the error is in the log)")
        }
        if !rulesLoaded() { problems.append("rules: no rule set loaded") }
        if let migrations, storeAnswers {
            do {
                let pending = try await within(timeout) { try await migrations.pendingMigrations() }
                if !pending.isEmpty {
                    problems.append("migrations: \(pending.count) pending (\(pending.joined(separator: ", ")))")
                }
            } catch {
                logger.error("readiness: migrations unreadable", metadata: ["error": "\(error)"])
                problems.append("migrations: could not be read (the error is in the log)")
            }
        }
        return problems
    }

    /// `body`'s result, or ``ReadinessTimeout`` once `limit` has passed (real time: a network
    /// wait). A body that ignores cancellation is left to finish on its own; the answer does not wait.
    func within<T: Sendable>(_ limit: Duration, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            let answer = FirstAnswer(continuation)
            let work = Task {
                do { answer.give(.success(try await body())) } catch { answer.give(.failure(error)) }
            }
            let timer = Task {
                try await Task.sleep(for: limit)
                answer.give(.failure(ReadinessTimeout()))
                work.cancel()
            }
            answer.onAnswer { timer.cancel() }
        }
    }

    /// `2s`, `1.5s`: a timeout as the answer states it.
    static func describe(_ duration: Duration) -> String {
        let milliseconds = duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
        return milliseconds % 1000 == 0 ? "\(milliseconds / 1000)s" : "\(Double(milliseconds) / 1000)s"
    }
}

/// A readiness check that took longer than its limit.
struct ReadinessTimeout: Error {}

/// Resumes a continuation with the first result given; later ones are dropped.
final class FirstAnswer<T: Sendable>: Sendable {
    private let state: Mutex<(continuation: CheckedContinuation<T, any Error>?, done: [@Sendable () -> Void])>

    init(_ continuation: CheckedContinuation<T, any Error>) {
        state = Mutex((continuation, []))
    }

    func give(_ result: Result<T, any Error>) {
        let (continuation, done) = state.withLock { state in
            let taken = (state.continuation, state.continuation == nil ? [] : state.done)
            state.continuation = nil
            return taken
        }
        continuation?.resume(with: result)
        for action in done { action() }
    }

    /// Runs `action` once an answer was given (at once if it was already).
    func onAnswer(_ action: @escaping @Sendable () -> Void) {
        let answered = state.withLock { state in
            if state.continuation == nil { return true }
            state.done.append(action)
            return false
        }
        if answered { action() }
    }
}
