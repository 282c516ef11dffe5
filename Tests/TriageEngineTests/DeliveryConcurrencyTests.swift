import Foundation
import Logging
import NIOPosix
import Testing
import TriageCore
import TriageCurl
import TriageEngine
import TriageHTTP
import TriageStoreSQLite
import TriageTesting

/// Per-endpoint concurrency limits and the dispatcher's pipeline, against a slow local endpoint.
struct DeliveryConcurrencyTests {
    let logger = Logger(label: "test")

    /// Queues `count` incidents triaged to `vendor` (one outbox message each).
    func queue(_ count: Int, to vendor: Vendor, in store: SQLiteStore, clock: some TriageClock) async throws {
        let raw = RawPayload(source: "generic", contentType: nil, body: [], receivedAt: clock.now())
        let drafts = (0..<count).map { IncidentDraft(source: "generic", dedupKey: "\(vendor.name)-\($0)", title: "db down \($0)") }
        _ = try await store.accept(drafts, raw: raw)
        let policy = TriagePolicy(rules: RuleSet(rules: []), vendors: [vendor], defaultVendor: vendor.name)
        var configuration = TriageWorker<TestClock>.Configuration(owner: "w")
        configuration.batchSize = count
        let worker = TriageWorker(
            queue: store, policies: PolicyHolder(policy), clock: TestClock(now: clock.now()), configuration: configuration,
            logger: logger)
        #expect(try await worker.runOnce() == count)
    }

    /// Threads of these tests' own: on the shared singleton pool (one thread per core), curl calls
    /// of suites running in parallel could leave a single thread free, and two deliveries that
    /// should overlap at the endpoint would run one after the other (as `triage serve` has its own pool).
    static let threads: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: 16)
        pool.start()
        return pool
    }()

    func notifier(_ vendors: [Vendor]) -> CurlVendorNotifier {
        CurlVendorNotifier(
            client: CurlHTTPClient(threadPool: Self.threads, maxIdleHandles: 16), vendors: vendors,
            settings: DeliverySettings())
    }

    @Test func anEndpointNeverGetsMoreThanItsLimitAndTheRestWaitWithoutSpendingAnAttempt() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let clock = TestClock()
        let sink = VendorSink(delay: .milliseconds(150))
        try await RunningService.withSink(sink) { (port: Int) async throws -> Void in
            var vendor = Vendor(name: "acme", endpoint: "http://127.0.0.1:\(port)/acme")
            vendor.maxConcurrency = 2
            let store = try SQLiteStore(path: directory.path("t.sqlite"))
            try await queue(8, to: vendor, in: store, clock: clock)
            var configuration = Dispatcher<TestClock>.Configuration(owner: "d")
            configuration.batchSize = 8
            configuration.targetConcurrency = [vendor.name: 2]
            let dispatcher = Dispatcher(
                outbox: store, notifier: notifier([vendor]), clock: clock, configuration: configuration, logger: logger)

            // 2 deliver at once, 2 wait for their slot, 4 go back to the queue for a second.
            #expect(try await dispatcher.runOnce() == 8)
            #expect(sink.received.count == 4)
            #expect(sink.maxInFlight == 2)
            #expect(try await dispatcher.runOnce() == 0)  // the 4 are not due yet
            clock.advance(by: .seconds(1))
            #expect(try await dispatcher.runOnce() == 4)
            #expect(sink.received.count == 8)
            #expect(sink.maxInFlight == 2)
            let pending = try await store.outboxEntries(status: "pending", limit: 100)
            #expect(pending.isEmpty)
            let delivered = try await store.outboxEntries(status: "delivered", limit: 100)
            #expect(delivered.count == 8)
            // Waiting for a slot is not an attempt: every message was delivered on its first.
            #expect(delivered.allSatisfy { $0.attempts == 1 })
        }
    }

    @Test func thePipelineKeepsEachEndpointWithinItsLimitAndDeliversEverything() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let sink = VendorSink(delay: .milliseconds(20))
        let clock = SystemClock()
        try await RunningService.withSink(sink) { (port: Int) async throws -> Void in
            var slow = Vendor(name: "slow", endpoint: "http://127.0.0.1:\(port)/slow")
            slow.maxConcurrency = 2
            let fast = Vendor(name: "fast", endpoint: "http://127.0.0.1:\(port)/fast")
            let store = try SQLiteStore(path: directory.path("t.sqlite"), durability: .normal)
            try await queue(30, to: slow, in: store, clock: clock)
            try await queue(60, to: fast, in: store, clock: clock)
            var configuration = Dispatcher<SystemClock>.Configuration(owner: "d")
            configuration.maxInFlight = 10
            configuration.endpointConcurrency = 6
            configuration.targetConcurrency = ["slow": 2]
            configuration.idlePoll = .milliseconds(20)
            let threads = NIOThreadPool(numberOfThreads: 10)
            threads.start()
            let dispatcher = Dispatcher(
                outbox: store,
                notifier: CurlVendorNotifier(
                    client: CurlHTTPClient(threadPool: threads), vendors: [slow, fast], settings: DeliverySettings()),
                clock: clock, configuration: configuration, logger: logger)
            let running = Task { try await dispatcher.run() }
            for _ in 0..<3000 where sink.received.count < 90 { try await Task.sleep(for: .milliseconds(10)) }
            running.cancel()
            _ = try? await running.value
            try await threads.shutdownGracefully()

            let byPath = Dictionary(grouping: sink.received, by: \.path)
            #expect(byPath["/slow"]?.count == 30)
            #expect(byPath["/fast"]?.count == 60)
            // Never more than the pipeline's 10 at once, nor than each endpoint's limit.
            #expect(sink.maxInFlight <= 10)
            #expect((1...2).contains(sink.maxInFlight(path: "/slow")))
            #expect((1...6).contains(sink.maxInFlight(path: "/fast")))
            let keys = Set(sink.received.compactMap { $0.headers["idempotency-key"] })
            #expect(keys.count == 90)
            #expect(try await store.outboxEntries(status: "delivered", limit: 200).count == 90)
        }
    }

    @Test func gateCountsPerKeyAndHandsSlotsToWaitersInOrder() async throws {
        let gate = ConcurrencyGate()
        #expect(await gate.enter("a", limit: 1))
        #expect(await gate.enter("b", limit: 1))  // another key has its own slots
        #expect(await gate.enter("a", limit: 1, maxWaiting: 0) == false)  // full, nobody may wait
        let waiter = Task { await gate.enter("a", limit: 1, maxWaiting: 1) }
        while gate.waiting("a") == 0 { await Task.yield() }
        #expect(await gate.enter("a", limit: 1, maxWaiting: 1) == false)  // one waits already
        gate.leave("a")  // the slot passes to the waiter
        #expect(await waiter.value)
        #expect(gate.active("a") == 1)
        gate.leave("a")
        #expect(gate.active("a") == 0)
        #expect(gate.take("c", limit: 3, upTo: 5) == 3)
        gate.leave("c", count: 3)
        #expect(gate.active("c") == 0)
    }
}
