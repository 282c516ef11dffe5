import Foundation
import Logging
import Metrics
import ServiceLifecycle
import TriageCore

/// Publishes the SLA report of a sliding window (default the last 30 days) as gauges, every
/// `interval` (default 60 s), one series per vendor, priority and target:
///
/// - `triage_sla_attainment_ratio{vendor,priority,target}`: met / with a verdict, 0…1;
/// - `triage_sla_breaches{vendor,priority,target}`: breaches in the window;
/// - `triage_sla_time_to_target_seconds{vendor,priority,target,quantile="0.5"|"0.9",clock="business"|"wall"}`:
///   nearest-rank median and p90 over the clocks that stopped;
/// - `triage_sla_incidents{vendor,priority}`: distinct incidents.
///
/// A figure that does not exist (no verdict, nothing stopped) is not published, and a series that
/// disappears from the window is removed rather than left at its last value. A failed round is
/// logged and the next one tries again; the loop ends at graceful shutdown.
public struct SLAReportMetrics<Clock: TriageClock>: Service {
    public struct Configuration: Sendable {
        /// Time between two rounds.
        public var interval: Duration
        /// The window ending at each round: the clocks started within it are counted.
        public var window: Duration

        public init(interval: Duration = .seconds(60), window: Duration = .seconds(30 * 86_400)) {
            self.interval = interval
            self.window = window
        }
    }

    /// One published series: a gauge label and its dimensions, in order.
    struct Series: Hashable {
        var label: String
        var names: [String]
        var values: [String]

        var dimensions: [(String, String)] { Array(zip(names, values)) }
    }

    let store: any SLAHistoryStore
    let zones: @Sendable (String) -> ZoneRules?
    let clock: Clock
    let configuration: Configuration
    let logger: Logger

    public init(
        store: any SLAHistoryStore, zones: @escaping @Sendable (String) -> ZoneRules?, clock: Clock,
        configuration: Configuration = Configuration(), logger: Logger
    ) {
        self.store = store
        self.zones = zones
        self.clock = clock
        self.configuration = configuration
        self.logger = logger
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            var published: Set<Series> = []
            while !Task.isCancelled {
                do {
                    let values = Self.gaugeValues(of: try await report())
                    Self.publish(values, replacing: published)
                    published = Set(values.map(\.series))
                    logger.debug("SLA report gauges updated", metadata: ["series": "\(values.count)"])
                } catch is CancellationError {
                    return
                } catch {
                    if Task.isCancelled { return }
                    // The gauges keep their last values; the next round tries again.
                    logger.error("SLA report gauges not updated", metadata: ["error": "\(error)"])
                }
                do {
                    try await clock.sleep(for: configuration.interval)
                } catch {
                    return
                }
            }
        }
    }

    /// The report of the window ending now.
    public func report() async throws -> SLAReport {
        let now = clock.now()
        let from = now.addingTimeInterval(-configuration.window.timeInterval)
        let records = try await SLARecordLoader.records(
            store: store, from: from, to: now, vendor: nil, zones: zones, now: now)
        return SLAReport(records: records, from: from, to: now)
    }

    /// Every series of `report`'s (vendor, priority) rows with its value; totals are left to queries.
    static func gaugeValues(of report: SLAReport) -> [(series: Series, value: Double)] {
        var values: [(series: Series, value: Double)] = []
        for section in report.vendors {
            for row in section.priorities {
                guard let priority = row.priority?.rawValue else { continue }
                let cell = [section.vendor, priority]
                let incidents = Series(label: "triage_sla_incidents", names: ["vendor", "priority"], values: cell)
                values.append((incidents, Double(row.incidents)))
                for target in SLATimer.Kind.allCases {
                    let figures = row[target]
                    let names = ["vendor", "priority", "target"]
                    let labels = cell + [target.rawValue]
                    if let attainment = figures.attainment {
                        values.append((Series(label: "triage_sla_attainment_ratio", names: names, values: labels), attainment))
                    }
                    values.append((Series(label: "triage_sla_breaches", names: names, values: labels), Double(figures.breaches)))
                    let times: [(String, SLAReport.Quantiles?)] = [("business", figures.business), ("wall", figures.wall)]
                    for (clockName, quantiles) in times {
                        guard let quantiles else { continue }
                        for (quantile, seconds) in [("0.5", quantiles.median), ("0.9", quantiles.p90)] {
                            let series = Series(
                                label: "triage_sla_time_to_target_seconds", names: names + ["quantile", "clock"],
                                values: labels + [quantile, clockName])
                            values.append((series, Double(seconds)))
                        }
                    }
                }
            }
        }
        return values
    }

    /// Records `values` and removes the series of `previous` that are no longer among them.
    static func publish(_ values: [(series: Series, value: Double)], replacing previous: Set<Series>) {
        for (series, value) in values {
            Gauge(label: series.label, dimensions: series.dimensions).record(value)
        }
        let current = Set(values.map(\.series))
        for series in previous.subtracting(current) {
            Gauge(label: series.label, dimensions: series.dimensions).destroy()
        }
    }
}
