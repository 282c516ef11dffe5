import Foundation
import Logging
import Testing
import TriageCore
import TriageCurl
import TriageEngine
import TriageHTTP
import TriageStoreSQLite
import TriageTesting

/// Delivery with the real parts: SQLite outbox, libcurl, a local vendor endpoint; time from a test clock.
struct DispatcherTests {
    let logger = Logger(label: "test")

    /// Stores one incident and triages it to `vendor`, leaving one pending outbox message.
    func storeWithOneMessage(_ directory: TemporaryDirectory, clock: TestClock, vendor: Vendor) async throws
        -> (SQLiteStore, IncidentID)
    {
        let store = try SQLiteStore(path: directory.path("t.sqlite"))
        let raw = RawPayload(source: "generic", contentType: nil, body: [], receivedAt: clock.now())
        let id = try await store.accept([IncidentDraft(source: "generic", title: "db down")], raw: raw)[0].id
        let policy = TriagePolicy(rules: RuleSet(rules: []), vendors: [vendor], defaultVendor: vendor.name)
        let worker = TriageWorker(
            queue: store, policies: PolicyHolder(policy), clock: clock, configuration: .init(owner: "w"), logger: logger)
        #expect(try await worker.runOnce() == 1)
        return (store, id)
    }

    /// A dispatcher over `store` delivering to `vendor` through libcurl, on the test clock.
    func dispatcher(
        _ store: SQLiteStore, _ vendor: Vendor, clock: TestClock, retry: RetryPolicy = RetryPolicy(),
        threshold: Int = 5, fallbacks: [String: String] = [:], maxAge: Duration? = nil,
        environment: @escaping @Sendable (String) -> String? = { ProcessInfo.processInfo.environment[$0] }
    ) -> Dispatcher<TestClock> {
        var configuration = Dispatcher<TestClock>.Configuration(owner: "d", retry: retry)
        configuration.fallbacks = fallbacks
        configuration.maxAge = maxAge
        return Dispatcher(
            outbox: store,
            notifier: CurlVendorNotifier(
                client: CurlHTTPClient(), vendors: [vendor], settings: DeliverySettings(), environment: environment),
            clock: clock, configuration: configuration, breakers: BreakerBoard(threshold: threshold, cooldown: 60),
            logger: logger)
    }

    func freePort() async throws -> Int {
        try await RunningService.withSink(VendorSink()) { $0 }
    }

    @Test func retriesWithBackoffUntilTheEndpointComesUp() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let clock = TestClock()
        let port = try await freePort()  // nothing listens there now
        let vendor = Vendor(name: "acme", endpoint: "http://127.0.0.1:\(port)/acme")
        let (store, id) = try await storeWithOneMessage(directory, clock: clock, vendor: vendor)
        let retry = RetryPolicy(initial: .seconds(10), multiplier: 2, maximum: .seconds(600), maxAttempts: 5, jitter: 0)
        let dispatcher = dispatcher(store, vendor, clock: clock, retry: retry)

        #expect(try await dispatcher.runOnce() == 1)  // attempt 1: refused, next in 10 s
        clock.advance(by: .seconds(9))
        #expect(try await dispatcher.runOnce() == 0)  // not due yet
        clock.advance(by: .seconds(1))
        #expect(try await dispatcher.runOnce() == 1)  // attempt 2: refused, next in 20 s
        clock.advance(by: .seconds(19))
        #expect(try await dispatcher.runOnce() == 0)

        let sink = VendorSink()
        try await RunningService.withSink(sink, port: port) { (_: Int) async throws -> Void in
            clock.advance(by: .seconds(1))
            #expect(try await dispatcher.runOnce() == 1)  // attempt 3: delivered
            #expect(sink.received.count == 1)
        }
        let delivery = try #require(try await store.incident(id)?.deliveries.first)
        #expect(delivery.status == "delivered")
        #expect(delivery.attempts.map(\.number) == [1, 2, 3])
        #expect(delivery.attempts.map { $0.failure?.reason } == [.refused, .refused, nil])
        #expect(delivery.attempts.map(\.startedAt) == [0, 10, 30].map { TestClock().now().addingTimeInterval($0) })
        clock.advance(by: .seconds(3600))
        #expect(try await dispatcher.runOnce() == 0)  // delivered exactly once
    }

    @Test func nonRetryableAnswersAndExhaustedRetriesGoToTheDeadLetterQueue() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let clock = TestClock()
        let vendor = Vendor(name: "acme", endpoint: "http://127.0.0.1:1/acme")
        let (store, id) = try await storeWithOneMessage(directory, clock: clock, vendor: vendor)
        let retry = RetryPolicy(initial: .seconds(1), maxAttempts: 2, jitter: 0)
        let dispatcher = dispatcher(store, vendor, clock: clock, retry: retry)
        #expect(try await dispatcher.runOnce() == 1)
        clock.advance(by: .seconds(1))
        #expect(try await dispatcher.runOnce() == 1)
        clock.advance(by: .seconds(3600))
        #expect(try await dispatcher.runOnce() == 0)
        let detail = try #require(try await store.incident(id))
        #expect(detail.deliveries.first?.status == "dead")
        #expect(detail.events.last?.detail.contains("gave up after 2 attempts") == true)
    }

    @Test func clientErrorIsDeadLetteredAfterOneAttempt() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let clock = TestClock()
        let sink = VendorSink(failFirst: 1, failStatus: 422)
        try await RunningService.withSink(sink) { (port: Int) async throws -> Void in
            let vendor = Vendor(name: "acme", endpoint: "http://127.0.0.1:\(port)/acme")
            let (store, id) = try await storeWithOneMessage(directory, clock: clock, vendor: vendor)
            let dispatcher = dispatcher(store, vendor, clock: clock)
            #expect(try await dispatcher.runOnce() == 1)
            clock.advance(by: .seconds(3600))
            #expect(try await dispatcher.runOnce() == 0)
            let delivery = try #require(try await store.incident(id)?.deliveries.first)
            #expect(delivery.status == "dead")
            #expect(delivery.attempts.map(\.httpStatus) == [422])
            #expect(delivery.attempts.first?.failure?.reason == .clientError)
            #expect(sink.received.count == 1)
        }
    }

    @Test func missingCredentialIsDeadLetteredWithoutSending() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let clock = TestClock()
        let sink = VendorSink()
        try await RunningService.withSink(sink) { (port: Int) async throws -> Void in
            let vendor = Vendor(
                name: "acme", endpoint: "http://127.0.0.1:\(port)/acme", headerEnv: ["Authorization": "NOPE"])
            let (store, id) = try await storeWithOneMessage(directory, clock: clock, vendor: vendor)
            let dispatcher = dispatcher(store, vendor, clock: clock, environment: { _ in nil })
            #expect(try await dispatcher.runOnce() == 1)
            let delivery = try #require(try await store.incident(id)?.deliveries.first)
            #expect(delivery.status == "dead")
            #expect(delivery.attempts.first?.failure?.reason == .auth)
            #expect(sink.received.isEmpty)
        }
    }
}

extension DispatcherTests {
    /// A 429 with `Retry-After: 30` waits 30 seconds even though the backoff would retry after 1.
    @Test func honoursRetryAfterOverAShorterBackoff() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let clock = TestClock()
        let sink = VendorSink(failFirst: 1, failStatus: 429, retryAfter: 30)
        try await RunningService.withSink(sink) { (port: Int) async throws -> Void in
            let vendor = Vendor(name: "acme", endpoint: "http://127.0.0.1:\(port)/acme")
            let (store, id) = try await storeWithOneMessage(directory, clock: clock, vendor: vendor)
            let retry = RetryPolicy(initial: .seconds(1), multiplier: 2, maximum: .seconds(600), maxAttempts: 5, jitter: 0)
            let dispatcher = dispatcher(store, vendor, clock: clock, retry: retry)
            #expect(try await dispatcher.runOnce() == 1)  // 429, Retry-After: 30
            clock.advance(by: .seconds(29))
            #expect(try await dispatcher.runOnce() == 0)  // the backoff alone would have retried by now
            clock.advance(by: .seconds(1))
            #expect(try await dispatcher.runOnce() == 1)
            let delivery = try #require(try await store.incident(id)?.deliveries.first)
            #expect(delivery.status == "delivered")
            #expect(delivery.attempts.map(\.httpStatus) == [429, 200])
            #expect(sink.received.count == 2)
        }
    }

    @Test func retryAfterAcceptsSecondsAndHTTPDates() {
        let now = Date(timeIntervalSince1970: 784_111_777)  // Sun, 06 Nov 1994 08:49:37 GMT
        #expect(DeliveryFailure.retryAfter("120", now: now) == 120)
        #expect(DeliveryFailure.retryAfter("Sun, 06 Nov 1994 08:51:37 GMT", now: now) == 120)
        #expect(DeliveryFailure.retryAfter("Sun, 06 Nov 1994 08:00:00 GMT", now: now) == 0)  // in the past
        #expect(DeliveryFailure.retryAfter("soon", now: now) == nil)
        #expect(DeliveryFailure.retryAfter(nil, now: now) == nil)
    }
}

extension DispatcherTests {
    /// Two refusals open the breaker: the next round spends no attempt, the message waits for the
    /// cool-down, then one probe goes through and delivers.
    @Test func breakerOpensWaitsAndRecovers() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let clock = TestClock()
        let port = try await freePort()
        let vendor = Vendor(name: "acme", endpoint: "http://127.0.0.1:\(port)/acme")
        let (store, id) = try await storeWithOneMessage(directory, clock: clock, vendor: vendor)
        let dispatcher = dispatcher(
            store, vendor, clock: clock,
            retry: RetryPolicy(initial: .seconds(1), multiplier: 1, maximum: .seconds(1), maxAttempts: 10, jitter: 0), threshold: 2)
        #expect(try await dispatcher.runOnce() == 1)  // refused (1)
        clock.advance(by: .seconds(1))
        #expect(try await dispatcher.runOnce() == 1)  // refused (2): breaker opens for 60 s
        clock.advance(by: .seconds(1))
        #expect(try await dispatcher.runOnce() == 0)  // not even claimed while the breaker cools down
        #expect(try await store.incident(id)?.deliveries.first?.attempts.count == 2)
        clock.advance(by: .seconds(30))
        #expect(try await dispatcher.runOnce() == 0)  // still waiting for the cool-down
        let sink = VendorSink()
        try await RunningService.withSink(sink, port: port) { (_: Int) async throws -> Void in
            clock.advance(by: .seconds(30))
            #expect(try await dispatcher.runOnce() == 1)  // the probe
            #expect(sink.received.count == 1)
        }
        let delivery = try #require(try await store.incident(id)?.deliveries.first)
        #expect(delivery.status == "delivered")
        #expect(delivery.attempts.count == 3)
    }

    /// While the primary endpoint's breaker is open, deliveries go to the vendor's fallback.
    @Test func fallbackEndpointIsUsedWhileTheBreakerIsOpen() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let clock = TestClock()
        let port = try await freePort()
        let sink = VendorSink()
        try await RunningService.withSink(sink) { (fallbackPort: Int) async throws -> Void in
            let vendor = Vendor(name: "acme", endpoint: "http://127.0.0.1:\(port)/primary")
            let (store, id) = try await storeWithOneMessage(directory, clock: clock, vendor: vendor)
            let dispatcher = dispatcher(
                store, vendor, clock: clock,
                retry: RetryPolicy(initial: .seconds(1), multiplier: 1, maximum: .seconds(1), maxAttempts: 10, jitter: 0),
                threshold: 1, fallbacks: ["acme": "http://127.0.0.1:\(fallbackPort)/fallback"])
            #expect(try await dispatcher.runOnce() == 1)  // primary refused: breaker opens
            clock.advance(by: .seconds(1))
            #expect(try await dispatcher.runOnce() == 1)  // to the fallback
            #expect(sink.received.map(\.path) == ["/fallback"])
            #expect(try await store.incident(id)?.deliveries.first?.status == "delivered")
        }
    }

    /// Endpoints whose breaker cools down are the ones the dispatcher leaves in the store, unless a
    /// vendor sending there has a fallback (its messages must be claimed to be rerouted).
    @Test func coolingEndpointsAreThoseWithAnOpenBreakerAndNoFallback() {
        let board = BreakerBoard(threshold: 2, cooldown: 10)
        let t0 = Date(timeIntervalSince1970: 1_790_000_000)
        let down = DeliveryFailure(reason: .refused, message: "down")
        board.record("http://a/", vendor: "acme", failure: down, now: t0)
        #expect(board.cooling(now: t0).isEmpty, "one failure does not open it")
        board.record("http://a/", vendor: "acme", failure: down, now: t0)
        board.record("http://b/", vendor: "globex", failure: nil, now: t0)
        board.record("http://c/", vendor: "initech", failure: down, now: t0)
        board.record("http://c/", vendor: "initech", failure: down, now: t0)
        #expect(board.cooling(now: t0 + 5) == ["http://a/", "http://c/"])
        #expect(board.cooling(now: t0 + 5, except: ["acme"]) == ["http://c/"])
        #expect(board.cooling(now: t0 + 10).isEmpty, "once the cool-down ends, a probe must be claimed")
    }

    @Test func breakerStateMachine() {
        var breaker = CircuitBreaker(threshold: 2, cooldown: 10)
        let t0 = Date(timeIntervalSince1970: 0)
        #expect(breaker.verdict(now: t0) == .send)
        breaker.record(DeliveryFailure(reason: .clientError, status: 400, message: "HTTP 400"), now: t0)
        #expect(breaker.state == .closed(failures: 0))  // the endpoint answered: it is up
        breaker.record(DeliveryFailure(reason: .serverError, status: 503, message: "HTTP 503"), now: t0)
        breaker.record(DeliveryFailure(reason: .timeout, message: "slow"), now: t0)
        #expect(breaker.state == .open(until: t0 + 10))
        #expect(breaker.verdict(now: t0 + 5) == .wait(until: t0 + 10))
        #expect(breaker.verdict(now: t0 + 10) == .probe)
        #expect(breaker.verdict(now: t0 + 10) == .wait(until: t0 + 15))  // one probe at a time
        breaker.record(DeliveryFailure(reason: .refused, message: "down"), now: t0 + 11)
        #expect(breaker.state == .open(until: t0 + 21))
        _ = breaker.verdict(now: t0 + 21)
        breaker.record(nil, now: t0 + 22)
        #expect(breaker.state == .closed(failures: 0))
    }
}

extension DispatcherTests {
    /// A message still failing after its maximum age is dead-lettered even with attempts left.
    @Test func messagesOlderThanTheMaximumAgeAreDeadLettered() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let clock = TestClock()
        let port = try await freePort()
        let vendor = Vendor(name: "acme", endpoint: "http://127.0.0.1:\(port)/acme")
        let (store, id) = try await storeWithOneMessage(directory, clock: clock, vendor: vendor)
        let dispatcher = dispatcher(
            store, vendor, clock: clock,
            retry: RetryPolicy(initial: .seconds(60), multiplier: 1, maximum: .seconds(60), maxAttempts: 100, jitter: 0),
            threshold: 100, maxAge: .seconds(150))
        #expect(try await dispatcher.runOnce() == 1)  // t+0: refused, retry at +60
        clock.advance(by: .seconds(60))
        #expect(try await dispatcher.runOnce() == 1)  // t+60
        clock.advance(by: .seconds(60))
        #expect(try await dispatcher.runOnce() == 1)  // t+120: still under 150 s
        #expect(try await store.incident(id)?.deliveries.first?.status == "pending")
        clock.advance(by: .seconds(60))
        #expect(try await dispatcher.runOnce() == 1)  // t+180: over the maximum age
        let delivery = try #require(try await store.incident(id)?.deliveries.first)
        #expect(delivery.status == "dead")
        #expect(delivery.attempts.count == 4)
        let dead = try await store.outboxEntries(status: "dead", limit: 5)
        #expect(dead.first?.reason?.contains("(max age)") == true)
    }
}
