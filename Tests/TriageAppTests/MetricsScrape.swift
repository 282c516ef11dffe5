import Foundation
import Prometheus

/// One scrape of Prometheus text: each series (`name{labels}` as written) with its value.
struct MetricsScrape {
    let values: [String: Double]
    let text: String

    init(_ text: String) {
        self.text = text
        var values: [String: Double] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else { continue }
            values[String(line[..<space])] = value
        }
        self.values = values
    }

    init(_ registry: PrometheusCollectorRegistry) {
        self.init(registry.emitToString())
    }

    /// The value of `series` (`triage_webhooks_total{source="generic",outcome="accepted"}`), `nil` when absent.
    subscript(_ series: String) -> Double? { values[series] }

    /// Whether a `# TYPE name type` line declares `name` as `type`.
    func declares(_ name: String, as type: String) -> Bool {
        text.split(separator: "\n").contains { $0 == "# TYPE \(name) \(type)" }
    }
}
