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
        let dispatcher = Dispatcher(
            outbox: store,
            notifier: CurlVendorNotifier(client: CurlHTTPClient(), vendors: [vendor], settings: DeliverySettings()),
            clock: clock, configuration: .init(owner: "d", retry: retry), logger: logger)

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
        let dispatcher = Dispatcher(
            outbox: store,
            notifier: CurlVendorNotifier(client: CurlHTTPClient(), vendors: [vendor], settings: DeliverySettings()),
            clock: clock, configuration: .init(owner: "d", retry: retry), logger: logger)
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
            let dispatcher = Dispatcher(
                outbox: store,
                notifier: CurlVendorNotifier(client: CurlHTTPClient(), vendors: [vendor], settings: DeliverySettings()),
                clock: clock, configuration: .init(owner: "d"), logger: logger)
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
            let dispatcher = Dispatcher(
                outbox: store,
                notifier: CurlVendorNotifier(
                    client: CurlHTTPClient(), vendors: [vendor], settings: DeliverySettings(), environment: { _ in nil }),
                clock: clock, configuration: .init(owner: "d"), logger: logger)
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
            let dispatcher = Dispatcher(
                outbox: store,
                notifier: CurlVendorNotifier(client: CurlHTTPClient(), vendors: [vendor], settings: DeliverySettings()),
                clock: clock, configuration: .init(owner: "d", retry: retry), logger: logger)
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
