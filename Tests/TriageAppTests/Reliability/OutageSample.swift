import Foundation
import TriageCurl
import TriageTesting

/// One look at a running `triage serve` during an outage: its resident memory and the delivery
/// metrics that show the circuit breaker and the retry backoff of one target.
struct OutageSample {
    var residentBytes: Int
    /// `triage_circuit_open{vendor}`: 1 while the breaker is open or probing.
    var circuitOpen: Double
    /// `triage_circuit_opened_total{vendor}`: times it opened (again after each failed probe).
    var opened: Double
    /// `triage_deliveries_total{target,outcome="retry"}`: failed attempts scheduled for a retry.
    var retries: Double
    /// `triage_delivery_retry_delay_seconds{target}`: retries scheduled, their total wait, and how
    /// many waited more than one second (backoff grown past its first steps).
    var delays: Double
    var delaySeconds: Double
    var delaysOverOneSecond: Double
    /// `triage_delivery_postponed_open_total{target}`: messages given back untried, breaker open.
    var postponed: Double

    var residentMB: Double { Double(residentBytes) / 1_048_576 }

    /// Reads process `pid` and scrapes `/metrics` on `port` for `target`.
    static func take(pid: Int32, port: Int, target: String, client: CurlHTTPClient) async throws -> OutageSample {
        let response = try await client.execute(
            HTTPClientRequest(url: "http://127.0.0.1:\(port)/metrics", connectTimeout: .seconds(2), timeout: .seconds(5))
        ).requireSuccess()
        let scrape = MetricsScrape(String(decoding: response.body, as: UTF8.self))
        let vendor = "vendor=\"\(target)\""
        let label = "target=\"\(target)\""
        let buckets = series(scrape, "triage_delivery_retry_delay_seconds_bucket", label)
        // Cumulative buckets: those up to 1 s count the delays of at most one second.
        let withinOneSecond = buckets.filter { bound($0.key).map { $0 <= 1 } ?? false }.map(\.value).max() ?? 0
        let delays = total(scrape, "triage_delivery_retry_delay_seconds_count", label)
        return OutageSample(
            residentBytes: ProcessResources.of(pid: pid)?.residentBytes ?? 0,
            circuitOpen: total(scrape, "triage_circuit_open", vendor),
            opened: total(scrape, "triage_circuit_opened_total", vendor),
            retries: total(scrape, "triage_deliveries_total", label, "outcome=\"retry\""),
            delays: delays,
            delaySeconds: total(scrape, "triage_delivery_retry_delay_seconds_sum", label),
            delaysOverOneSecond: delays - withinOneSecond,
            postponed: total(scrape, "triage_delivery_postponed_open_total", label))
    }

    /// Series named `name` whose labels include every one of `labels`.
    static func series(_ scrape: MetricsScrape, _ name: String, _ labels: String...) -> [String: Double] {
        scrape.values.filter { key, _ in
            (key == name || key.hasPrefix(name + "{")) && labels.allSatisfy { key.contains($0) }
        }
    }

    static func total(_ scrape: MetricsScrape, _ name: String, _ labels: String...) -> Double {
        scrape.values.filter { key, _ in
            (key == name || key.hasPrefix(name + "{")) && labels.allSatisfy { key.contains($0) }
        }.values.reduce(0, +)
    }

    /// The `le` bound of a bucket series, `nil` for `+Inf`.
    static func bound(_ key: String) -> Double? {
        guard let range = key.range(of: "le=\"") else { return nil }
        return Double(key[range.upperBound...].prefix { $0 != "\"" })
    }
}
