import Foundation
import Logging
import Metrics
import ServiceLifecycle
import Synchronization
import TriageCore

/// Delivers outbox messages to vendors, records every attempt, retries with backoff and moves
/// messages that cannot succeed to the dead-letter queue.
public struct Dispatcher<Clock: TriageClock>: Service {
    public struct Configuration: Sendable {
        /// Messages claimed per store round trip.
        public var batchSize = 8
        /// Deliveries in flight at once across all endpoints (the running service's pipeline).
        public var maxInFlight = 64
        /// Deliveries in flight at once to one endpoint, unless its target says otherwise.
        public var endpointConcurrency = 16
        /// Per target (vendor name or `write-back:<source>`): its own endpoint concurrency.
        public var targetConcurrency: [String: Int] = [:]
        /// Must exceed the notifier's total timeout so a lease never expires mid-delivery.
        public var lease: Duration = .seconds(120)
        public var idlePoll: Duration = .milliseconds(500)
        public var retry: RetryPolicy
        public var owner: String
        /// Per vendor: where to deliver while its endpoint's breaker is open.
        public var fallbacks: [String: String] = [:]
        /// A message still failing this long after it was queued goes to the dead-letter queue.
        public var maxAge: Duration?

        public init(owner: String, retry: RetryPolicy = RetryPolicy()) {
            self.owner = owner
            self.retry = retry
        }
    }

    let outbox: any Outbox
    let notifier: any VendorNotifier
    let clock: Clock
    let configuration: Configuration
    let doorbell: Doorbell
    let breakers: BreakerBoard
    let logger: Logger
    let busy = Counter(label: "triage_delivery_postponed_busy_total")
    /// In-flight deliveries per endpoint, and (under the empty key) in the whole pipeline.
    let gate = ConcurrencyGate()

    public init(
        outbox: any Outbox,
        notifier: any VendorNotifier,
        clock: Clock,
        configuration: Configuration,
        doorbell: Doorbell = Doorbell(),
        breakers: BreakerBoard = BreakerBoard(),
        logger: Logger
    ) {
        self.breakers = breakers
        self.outbox = outbox
        self.notifier = notifier
        self.clock = clock
        self.configuration = configuration
        self.doorbell = doorbell
        self.logger = logger
    }

    /// Keeps up to `maxInFlight` deliveries going: claims as many due messages as there are free
    /// slots, starts each as it is claimed and claims again as slots free up, so one slow endpoint
    /// never holds back a whole batch. On shutdown it stops claiming and lets in-flight deliveries end.
    public func run() async throws {
        await cancelWhenGracefulShutdown {
            // Set while the last claim left busy endpoints' messages behind: a finished delivery
            // then wakes the loop, since a slot has opened for them.
            let skipped = SkipFlag()
            await withDiscardingTaskGroup { group in
                while !Task.isCancelled {
                    // Wait for one free slot, then take whatever else is free (up to a batch).
                    _ = await gate.enter("", limit: configuration.maxInFlight)
                    let slots = 1 + gate.take("", limit: configuration.maxInFlight, upTo: configuration.batchSize - 1)
                    var messages: [OutboxMessage] = []
                    do {
                        // Endpoints already at their limit (and queue), and those whose breaker is
                        // cooling down, are left in the store for now.
                        let busy = gate.saturated().filter { !$0.isEmpty }
                        let now = clock.now()
                        messages = try await outbox.claimDue(
                            limit: slots, owner: configuration.owner, now: now, lease: configuration.lease,
                            skipping: busy + cooling(now))
                        skipped.value.store(!busy.isEmpty, ordering: .relaxed)
                    } catch is CancellationError {
                    } catch {
                        logger.error("dispatch claim failed", metadata: ["error": "\(error)"])
                    }
                    gate.leave("", count: slots - messages.count)
                    for message in messages {
                        group.addTask {
                            // Shutdown cancels this loop but not a delivery under way: an unstructured
                            // task does not inherit cancellation, so its outcome is still recorded.
                            await Task { await deliverLogged(message, queueing: true) }.value
                            gate.leave("")
                            if skipped.value.load(ordering: .relaxed) { doorbell.ring() }
                        }
                    }
                    if messages.isEmpty, !Task.isCancelled {
                        await doorbell.wait(upTo: configuration.idlePoll, clock: clock)
                    }
                }
            }
        }
    }

    func deliverLogged(_ message: OutboxMessage, queueing: Bool) async {
        do {
            try await deliver(message, queueing: queueing)
        } catch {
            // The lease runs out and the message is claimed again: at least once, never lost.
            logger.error(
                "recording a delivery failed", metadata: ["message.id": "\(message.id)", "error": "\(error)"])
        }
    }

    /// Claims the messages due now and tries each once, concurrently. Returns how many it tried.
    public func runOnce() async throws -> Int {
        let now = clock.now()
        let messages = try await outbox.claimDue(
            limit: configuration.batchSize, owner: configuration.owner, now: now, lease: configuration.lease,
            skipping: cooling(now))
        try await withThrowingTaskGroup(of: Void.self) { group in
            for message in messages {
                group.addTask { try await deliver(message) }
            }
            try await group.waitForAll()
        }
        return messages.count
    }

    /// Endpoints not to claim for now: their breaker is open, and no vendor sending there has a fallback.
    func cooling(_ now: Date) -> [String] {
        breakers.cooling(now: now, except: Set(configuration.fallbacks.keys))
    }

    /// The message to send now — to its endpoint, or to the vendor's fallback while the endpoint's
    /// breaker is open — or `nil` with the instant to try again.
    func route(_ message: OutboxMessage, now: Date) -> (OutboxMessage?, wait: Date?) {
        switch breakers.verdict(message.endpoint, now: now) {
        case .send, .probe:
            return (message, nil)
        case .wait(let until):
            if let fallback = configuration.fallbacks[message.vendor], fallback != message.endpoint {
                switch breakers.verdict(fallback, now: now) {
                case .send, .probe:
                    var rerouted = message
                    rerouted.endpoint = fallback
                    return (rerouted, nil)
                case .wait(let fallbackUntil):
                    return (nil, min(until, fallbackUntil))
                }
            }
            return (nil, until)
        }
    }

    /// - Parameter queueing: Wait for the endpoint's slot however many wait already (the pipeline,
    ///   which stops claiming for saturated endpoints); else at most `limit` wait and the rest are
    ///   postponed.
    func deliver(_ original: OutboxMessage, queueing: Bool = false) async throws {
        let routedAt = clock.now()
        let (routed, wait) = route(original, now: routedAt)
        guard let message = routed else {
            // Breaker open and no usable fallback: no attempt is spent, the message waits.
            try await outbox.postpone(original, until: wait ?? routedAt.addingTimeInterval(30))
            Self.countPostponedOpen(target: original.vendor)
            logger.notice(
                "delivery postponed: endpoint circuit open",
                metadata: ["vendor.name": "\(original.vendor)", "message.id": "\(original.id)"])
            return
        }
        // At most `limit` deliveries to one endpoint at once; past as many waiting, the message
        // goes back to the queue for a second, without spending an attempt.
        let limit = configuration.targetConcurrency[message.vendor] ?? configuration.endpointConcurrency
        guard await gate.enter(message.endpoint, limit: limit, maxWaiting: queueing ? .max : limit) else {
            try await outbox.postpone(original, until: routedAt.addingTimeInterval(1))
            busy.increment()
            return
        }
        defer { gate.leave(message.endpoint) }
        let started = clock.now()
        let (result, externalRef) = await notifier.deliverReceipt(message)
        let finished = clock.now()
        if case .failure(let failure) = result {
            breakers.record(message.endpoint, vendor: message.vendor, failure: failure, now: finished)
        } else {
            breakers.record(message.endpoint, vendor: message.vendor, failure: nil, now: finished)
        }
        let number = message.attempts + 1
        let milliseconds = Int((finished.timeIntervalSince(started) * 1000).rounded())
        let metadata: Logger.Metadata = [
            "incident.id": "\(message.incidentID)", "vendor.name": "\(message.vendor)",
            "message.id": "\(message.id)", "attempt": "\(number)",
        ]
        switch result {
        case .success(let status):
            var attempt = DeliveryAttempt(
                number: number, startedAt: started, durationMilliseconds: milliseconds, httpStatus: status, failure: nil)
            attempt.externalRef = externalRef
            try await outbox.record(attempt, for: message, then: .delivered(at: finished))
            Self.countDelivery(target: message.vendor, outcome: "delivered")
            logger.info("delivered to vendor", metadata: metadata)
        case .failure(let failure):
            let attempt = DeliveryAttempt(
                number: number, startedAt: started, durationMilliseconds: milliseconds,
                httpStatus: failure.status, failure: failure)
            let outcome: OutboxOutcome
            let seed = UInt64(truncatingIfNeeded: message.id.hashValueStable)
            let age = message.createdAt.map { finished.timeIntervalSince($0) } ?? 0
            if failure.isRetryable, let maxAge = configuration.maxAge, age >= maxAge.timeInterval {
                outcome = .dead(reason: "still failing \(Int(age))s after it was queued (max age); last: \(failure)", at: finished)
            } else if failure.isRetryable, let delay = configuration.retry.delay(afterAttempt: number, seed: seed) {
                // The endpoint's own Retry-After wins over a shorter backoff (capped at an hour).
                let wait = max(delay.timeInterval, min(failure.retryAfter ?? 0, 3600))
                outcome = .retry(at: finished.addingTimeInterval(wait))
                Self.recordBackoff(target: message.vendor, seconds: wait)
            } else if failure.isRetryable {
                outcome = .dead(reason: "gave up after \(number) attempts; last: \(failure)", at: finished)
            } else {
                outcome = .dead(reason: "not retryable: \(failure)", at: finished)
            }
            try await outbox.record(attempt, for: message, then: outcome)
            let label: String
            if case .dead = outcome { label = "dead" } else { label = "retry" }
            Self.countDelivery(target: message.vendor, outcome: label)
            logger.warning(
                "delivery failed",
                metadata: metadata.merging(["failure": "\(failure)", "next": "\(label)"]) { $1 }
            )
        }
    }
}

extension Dispatcher {
    /// Counts one recorded attempt in `triage_deliveries_total{target,outcome}` (outcome
    /// `delivered`, `retry` or `dead`), and a dead one in `triage_dead_letters_total{target}`.
    /// `target` is the outbox message's target: a vendor, `write-back:<source>` or a notify
    /// endpoint, all named by the configuration.
    static func countDelivery(target: String, outcome: String) {
        Counter(label: "triage_deliveries_total", dimensions: [("target", target), ("outcome", outcome)]).increment()
        if outcome == "dead" { Counter(label: "triage_dead_letters_total", dimensions: [("target", target)]).increment() }
    }

    /// Records the wait before a retry (backoff, or the endpoint's longer `Retry-After`) in
    /// `triage_delivery_retry_delay_seconds{target}`, a histogram: its count is the retries
    /// scheduled, its sum their total wait, its buckets how far backoff has grown.
    static func recordBackoff(target: String, seconds: Double) {
        Timer(label: "triage_delivery_retry_delay_seconds", dimensions: [("target", target)])
            .recordNanoseconds(Int64((seconds * 1_000_000_000).rounded()))
    }

    /// Counts a message given back untried because its endpoint's breaker is open (and no fallback
    /// is usable) in `triage_delivery_postponed_open_total{target}`.
    static func countPostponedOpen(target: String) {
        Counter(label: "triage_delivery_postponed_open_total", dimensions: [("target", target)]).increment()
    }
}

/// Whether the dispatcher's last claim skipped busy endpoints.
final class SkipFlag: Sendable {
    let value = Atomic<Bool>(false)
}

extension String {
    /// FNV-1a over the UTF-8 bytes: stable across runs, unlike `hashValue`.
    var hashValueStable: UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return hash
    }
}
