import Foundation
import Logging
import Metrics
import ServiceLifecycle
import TriageCore

/// Delivers outbox messages to vendors, records every attempt, retries with backoff and moves
/// messages that cannot succeed to the dead-letter queue.
public struct Dispatcher<Clock: TriageClock>: Service {
    public struct Configuration: Sendable {
        public var batchSize = 8
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

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            await PollingLoop.run(
                doorbell: doorbell, idle: configuration.idlePoll, clock: clock, logger: logger, what: "dispatch"
            ) { try await runOnce() }
        }
    }

    /// Claims the messages due now and tries each once, concurrently. Returns how many it tried.
    public func runOnce() async throws -> Int {
        let messages = try await outbox.claimDue(
            limit: configuration.batchSize,
            owner: configuration.owner,
            now: clock.now(),
            lease: configuration.lease
        )
        try await withThrowingTaskGroup(of: Void.self) { group in
            for message in messages {
                group.addTask { try await deliver(message) }
            }
            try await group.waitForAll()
        }
        return messages.count
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

    func deliver(_ original: OutboxMessage) async throws {
        let started = clock.now()
        let (routed, wait) = route(original, now: started)
        guard let message = routed else {
            // Breaker open and no usable fallback: no attempt is spent, the message waits.
            try await outbox.postpone(original, until: wait ?? started.addingTimeInterval(30))
            logger.notice(
                "delivery postponed: endpoint circuit open",
                metadata: ["vendor.name": "\(original.vendor)", "message.id": "\(original.id)"])
            return
        }
        let result = await notifier.deliver(message)
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
            let attempt = DeliveryAttempt(
                number: number, startedAt: started, durationMilliseconds: milliseconds, httpStatus: status, failure: nil)
            try await outbox.record(attempt, for: message, then: .delivered(at: finished))
            Counter(label: "triage_deliveries_total", dimensions: [("vendor", message.vendor), ("outcome", "delivered")])
                .increment()
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
            } else if failure.isRetryable {
                outcome = .dead(reason: "gave up after \(number) attempts; last: \(failure)", at: finished)
            } else {
                outcome = .dead(reason: "not retryable: \(failure)", at: finished)
            }
            try await outbox.record(attempt, for: message, then: outcome)
            let label: String
            if case .dead = outcome { label = "dead" } else { label = "retry" }
            Counter(label: "triage_deliveries_total", dimensions: [("vendor", message.vendor), ("outcome", label)])
                .increment()
            logger.warning(
                "delivery failed",
                metadata: metadata.merging(["failure": "\(failure)", "next": "\(label)"]) { $1 }
            )
        }
    }
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
