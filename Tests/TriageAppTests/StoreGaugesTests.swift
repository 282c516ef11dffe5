import Foundation
import Logging
import Metrics
import Prometheus
import Synchronization
import Testing
import TriageCore
import TriageEngine
import TriageStoreSQLite
import TriageTesting

/// The store gauges on a test clock: queue depth and age, outbox, vendor load and SLA risk, with
/// vendor labels from the configuration only; and the loop samples again when its interval passes.
struct StoreGaugesTests {
    let logger = Logger(label: "test")
    let acme = Vendor(
        name: "acme", endpoint: "http://127.0.0.1:1/acme", skills: ["database"],
        contract: Contract(targets: [.p1: SLATarget(acknowledge: .seconds(900), resolve: .seconds(7200))]))
    let globex = Vendor(name: "globex", endpoint: "http://127.0.0.1:1/globex", skills: ["network"])

    var policy: TriagePolicy {
        TriagePolicy(
            rules: RuleSet(rules: [
                Rule(name: "db", when: .text(.text, .containsAny(["database"])), then: RuleActions(category: "database", priority: .p1))
            ]),
            vendors: [acme, globex])
    }

    /// A store with three queued "database" incidents received at the clock's now.
    func storeWithThreeIncidents(_ directory: TemporaryDirectory, clock: TestClock) async throws -> SQLiteStore {
        let store = try SQLiteStore(path: directory.path("t.sqlite"))
        let raw = RawPayload(source: "generic", contentType: nil, body: Array("{}".utf8), receivedAt: clock.now())
        let drafts = (1...3).map { IncidentDraft(source: "generic", dedupKey: "k\($0)", title: "database down \($0)") }
        _ = try await store.accept(drafts, raw: raw)
        return store
    }

    func worker(_ store: SQLiteStore, clock: TestClock) -> TriageWorker<TestClock> {
        var configuration = TriageWorker<TestClock>.Configuration(owner: "w")
        configuration.batchSize = 1
        return TriageWorker(
            queue: store, policies: PolicyHolder(policy), clock: clock, configuration: configuration, vendorStats: store,
            logger: logger)
    }

    @Test func eachRoundPublishesTheQueueOutboxLoadAndRisk() async throws {
        let registry = PrometheusCollectorRegistry()
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try await withMetricsFactory(PrometheusMetricsFactory(registry: registry)) {
            let clock = TestClock()
            let store = try await storeWithThreeIncidents(directory, clock: clock)
            let vendors = Mutex(["acme", "globex"])
            let gauges = StoreGauges(
                stats: store, vendorStats: store, risk: SLARiskReport(store: store, zones: { _ in nil }),
                vendors: { vendors.withLock { $0 } }, clock: clock, logger: logger)
            clock.advance(by: .seconds(60))
            try await gauges.sample()
            var scrape = MetricsScrape(registry)
            #expect(scrape.declares("triage_queue_depth", as: "gauge"))
            #expect(scrape["triage_queue_depth"] == 3)
            #expect(scrape["triage_queue_oldest_age_seconds"] == 60)
            #expect(scrape["triage_outbox_pending"] == 0)
            #expect(scrape["triage_outbox_dead"] == 0)
            #expect(scrape[#"triage_open_incidents{vendor="acme"}"#] == 0)
            #expect(scrape[#"triage_open_incidents{vendor="globex"}"#] == 0)
            #expect(scrape[#"triage_sla_at_risk{vendor="acme"}"#] == 0)

            // One triaged to acme: a message queued and a 15 min acknowledge target running.
            #expect(try await worker(store, clock: clock).runOnce() == 1)
            try await gauges.sample()
            scrape = MetricsScrape(registry)
            #expect(scrape["triage_queue_depth"] == 2)
            #expect(scrape["triage_queue_oldest_age_seconds"] == 60)
            #expect(scrape["triage_outbox_pending"] == 1)
            #expect(scrape[#"triage_open_incidents{vendor="acme"}"#] == 1)
            #expect(scrape[#"triage_open_incidents{vendor="globex"}"#] == 0)
            #expect(scrape[#"triage_sla_at_risk{vendor="acme"}"#] == 1)
            #expect(scrape[#"triage_sla_at_risk{vendor="globex"}"#] == 0)

            // A reload drops globex: its series go rather than stay at their last values.
            vendors.withLock { $0 = ["acme"] }
            try await gauges.sample()
            scrape = MetricsScrape(registry)
            #expect(scrape[#"triage_open_incidents{vendor="globex"}"#] == nil)
            #expect(scrape[#"triage_sla_at_risk{vendor="globex"}"#] == nil)
            #expect(scrape[#"triage_open_incidents{vendor="acme"}"#] == 1)
        }
    }

    @Test func theRunningServiceSamplesAgainWhenItsIntervalPasses() async throws {
        #expect(StoreGauges<TestClock>.Configuration().interval == .seconds(15))
        let registry = PrometheusCollectorRegistry()
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try await withMetricsFactory(PrometheusMetricsFactory(registry: registry)) {
            let clock = TestClock()
            let store = try await storeWithThreeIncidents(directory, clock: clock)
            let gauges = StoreGauges(
                stats: store, vendorStats: store, risk: nil, vendors: { ["acme"] }, clock: clock, logger: logger)
            let ready = PortWaiter()
            await ready.report(0)
            try await RunningService.with([gauges], ready: ready) { (_: Int) async throws -> Void in
                // The first round runs at start.
                #expect(await waitFor(registry, advancing: nil) { $0["triage_queue_depth"] == 3 })
                #expect(try await worker(store, clock: clock).runOnce() == 1)
                // The loop sleeps on the clock: nothing changes until 15 s of it pass.
                #expect(MetricsScrape(registry)["triage_queue_depth"] == 3)
                // A round records its gauges one after the other: wait for the last one too.
                #expect(
                    await waitFor(registry, advancing: clock) {
                        $0["triage_queue_depth"] == 2 && $0[#"triage_open_incidents{vendor="acme"}"#] == 1
                    })
                // Without a risk report, no at-risk series.
                #expect(MetricsScrape(registry)[#"triage_sla_at_risk{vendor="acme"}"#] == nil)
            }
        }
    }

    /// Polls (up to ten seconds of real time) until a scrape satisfies `done`; with `clock`, moves
    /// it 15 s per try, since the loop may not have gone to sleep yet when the first move comes.
    func waitFor(
        _ registry: PrometheusCollectorRegistry, advancing clock: TestClock?, until done: (MetricsScrape) -> Bool
    ) async -> Bool {
        for _ in 0..<100 {
            clock?.advance(by: .seconds(15))
            for _ in 0..<10 {
                if done(MetricsScrape(registry)) { return true }
                try? await Task.sleep(for: .milliseconds(10))
            }
        }
        return false
    }
}
