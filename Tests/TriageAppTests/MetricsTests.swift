import Foundation
import Logging
import Metrics
import Prometheus
import Testing
import TriageApp
import TriageConfig
import TriageCore
import TriageCurl
import TriageEngine
import TriageHTTP
import TriageStoreSQLite
import TriageTesting

/// `GET /metrics` of a whole server in one process, scraped over HTTP as Prometheus would: the
/// webhook, decision, assignment, triage-time and delivery series move as incidents go through.
/// Each test has its own registry (a task-local metrics factory), so counts are exact.
struct MetricsTests {
    let client = CurlHTTPClient()

    /// Runs a whole server over a fresh SQLite store, its vendors delivering to `sink`, with
    /// metrics into `registry`.
    func withServer(
        registry: PrometheusCollectorRegistry, sink: VendorSink, _ body: @Sendable (String) async throws -> Void
    ) async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try await withMetricsFactory(PrometheusMetricsFactory(registry: registry)) {
            try await RunningService.withSink(sink) { (sinkPort: Int) async throws -> Void in
                let configPath = try ConfigDirectory.write(in: directory, vendorEndpoint: "http://127.0.0.1:\(sinkPort)")
                let configuration = try ConfigLoader.load(directory: configPath)
                let store = try SQLiteStore(path: directory.path("triage.sqlite"))
                var options = TriageServer.Options()
                options.port = 0
                options.environment = [:]
                options.workerPoll = .milliseconds(50)
                options.dispatcherPoll = .milliseconds(50)
                let ready = PortWaiter()
                let server = TriageServer(
                    configuration: configuration, store: store, clock: SystemClock(), options: options, metrics: registry,
                    logger: Logger(label: "metrics"), onServerRunning: { await ready.report($0) })
                try await RunningService.with(server.services, ready: ready) { port in
                    try await body("http://127.0.0.1:\(port)")
                }
            }
        }
    }

    func scrape(_ base: String) async throws -> MetricsScrape {
        let response = try await client.execute(HTTPClientRequest(url: "\(base)/metrics"))
        #expect(response.status == 200)
        return MetricsScrape(String(decoding: response.body, as: UTF8.self))
    }

    /// Scrapes until `done` holds (up to ten seconds of real time: a counter moves just after the
    /// store commits what the API shows), and returns that scrape or the last one.
    func scrape(_ base: String, until done: (MetricsScrape) -> Bool) async throws -> MetricsScrape {
        var metrics = try await scrape(base)
        for _ in 0..<1000 where !done(metrics) {
            try await Task.sleep(for: .milliseconds(10))
            metrics = try await scrape(base)
        }
        return metrics
    }

    /// Posts the sample Alertmanager alert (a database alert a rule sends to acme-dba); returns its incident id.
    func postAlert(_ base: String) async throws -> String {
        let response = try await client.execute(
            HTTPClientRequest(
                method: "POST", url: "\(base)/webhooks/alertmanager", headers: [("Content-Type", "application/json")],
                body: try Fixtures.bytes("payloads/alertmanager-firing.json")))
        #expect(response.status == 202)
        let accepted = try JSONDecoder().decode(AcceptedView.self, from: Data(response.body))
        return try #require(accepted.incidents.first?.id)
    }

    /// Polls the incident (up to ten seconds of real time) until its first delivery has `status`.
    func waitForDelivery(_ base: String, _ id: String, status: String) async throws {
        for _ in 0..<1000 {
            let response = try await client.execute(HTTPClientRequest(url: "\(base)/api/incidents/\(id)"))
            let detail = try JSONDecoder().decode(IncidentDetailView.self, from: Data(response.body))
            if detail.deliveries.first?.status == status { return }
            try await Task.sleep(for: .milliseconds(10))
        }
        Issue.record("incident \(id) never had a \(status) delivery")
    }

    @Test func webhooksDecisionsAssignmentsAndDeliveriesAreCounted() async throws {
        let registry = PrometheusCollectorRegistry()
        try await withServer(registry: registry, sink: VendorSink()) { base in
            let accepted = #"triage_webhooks_total{source="alertmanager",outcome="accepted"}"#
            var metrics = try await scrape(base)
            #expect(metrics[accepted] == 0)
            #expect(metrics[#"triage_assignments_total{vendor="acme-dba"}"#] == 0)

            let id = try await postAlert(base)
            metrics = try await scrape(base)
            #expect(metrics[accepted] == 1)

            try await waitForDelivery(base, id, status: "delivered")
            metrics = try await scrape(base) {
                $0[#"triage_deliveries_total{target="acme-dba",outcome="delivered"}"#] != nil
                    && $0[#"triage_decisions_total{by="rule"}"#] == 1
            }
            #expect(metrics.declares("triage_decisions_total", as: "counter"))
            #expect(metrics[#"triage_decisions_total{by="rule"}"#] == 1)
            for other in ["classifier", "abstained", "default", "internal_queue", "suppressed"] {
                #expect(metrics[#"triage_decisions_total{by="\#(other)"}"#] == 0, "by=\(other)")
            }
            #expect(metrics[#"triage_assignments_total{vendor="acme-dba"}"#] == 1)
            #expect(metrics[#"triage_assignments_total{vendor="globex-infra"}"#] == 0)
            #expect(metrics.declares("triage_triage_duration_seconds", as: "histogram"))
            #expect(metrics["triage_triage_duration_seconds_count"] == 1)
            #expect(metrics[#"triage_triage_duration_seconds_bucket{le="+Inf"}"#] == 1)
            #expect(metrics[#"triage_deliveries_total{target="acme-dba",outcome="delivered"}"#] == 1)
            #expect(metrics[#"triage_dead_letters_total{target="acme-dba"}"#] == nil)

            // The re-fire is accepted again (deduplicated): the webhook counter moves, nothing is decided again.
            _ = try await postAlert(base)
            metrics = try await scrape(base)
            #expect(metrics[accepted] == 2)
            #expect(metrics[#"triage_decisions_total{by="rule"}"#] == 1)

            let ready = try await client.execute(HTTPClientRequest(url: "\(base)/readyz"))
            #expect(ready.status == 200)
        }
    }

    @Test func aMessageTheVendorRefusesIsCountedDead() async throws {
        let registry = PrometheusCollectorRegistry()
        // 400 is not retryable: the first attempt sends the message to the dead-letter queue.
        try await withServer(registry: registry, sink: VendorSink(failFirst: 100, failStatus: 400)) { base in
            let id = try await postAlert(base)
            try await waitForDelivery(base, id, status: "dead")
            let metrics = try await scrape(base) { $0[#"triage_dead_letters_total{target="acme-dba"}"#] != nil }
            #expect(metrics[#"triage_deliveries_total{target="acme-dba",outcome="dead"}"#] == 1)
            #expect(metrics[#"triage_deliveries_total{target="acme-dba",outcome="delivered"}"#] == nil)
            #expect(metrics[#"triage_dead_letters_total{target="acme-dba"}"#] == 1)
            #expect(metrics[#"triage_assignments_total{vendor="acme-dba"}"#] == 1)
        }
    }
}
