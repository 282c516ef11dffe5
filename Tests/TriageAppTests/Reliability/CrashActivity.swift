import Foundation
import TriageCurl

/// Which stages the live process is working on: their counters on its `/metrics`, read twice a
/// short interval apart. A stage whose counter moved and that still has pending work is under way,
/// so a kill right then lands in the middle of it (not just while work waits in the store).
struct CrashActivity {
    let url: String
    let client: CurlHTTPClient

    /// The counters that move when a stage does work, summed over their labels.
    static let counters: [CrashStage: [String]] = [
        .ingest: ["triage_webhooks_total"],
        .triage: ["triage_incidents_triaged_total"],
        .delivery: ["triage_deliveries_total"],
        .timers: ["triage_sla_escalations_total", "triage_sla_breaches_total"],
    ]

    init(port: Int, client: CurlHTTPClient) {
        self.url = "http://127.0.0.1:\(port)/metrics"
        self.client = client
    }

    /// Each stage's counters now; empty when the process does not answer.
    func read() async -> [CrashStage: Double] {
        let request = HTTPClientRequest(url: url, connectTimeout: .seconds(1), timeout: .seconds(2))
        guard let response = try? await client.execute(request), response.status == 200 else { return [:] }
        let scrape = MetricsScrape(String(decoding: response.body, as: UTF8.self))
        var totals: [CrashStage: Double] = [:]
        for (stage, names) in Self.counters {
            totals[stage] = scrape.values.filter { series, _ in
                names.contains { series == $0 || series.hasPrefix($0 + "{") }
            }.values.reduce(0, +)
        }
        return totals
    }

    /// The stages whose counters moved over `interval`.
    func moving(over interval: Duration) async throws -> Set<CrashStage> {
        let before = await read()
        try await Task.sleep(for: interval)
        let after = await read()
        return Set(CrashStage.allCases.filter { (after[$0] ?? 0) > (before[$0] ?? 0) })
    }
}
