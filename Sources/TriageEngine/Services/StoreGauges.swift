import Foundation
import Logging
import Metrics
import ServiceLifecycle
import Synchronization
import TriageCore

/// Samples the store every `interval` (default 15 s) and publishes what it finds as gauges:
///
/// - `triage_queue_depth`: incidents waiting for a committed decision (queued plus leased);
/// - `triage_queue_oldest_age_seconds`: how long the longest-waiting claimable item has waited (0 when none);
/// - `triage_outbox_pending`, `triage_outbox_dead`: outbox messages not delivered yet, and dead letters;
/// - `triage_open_incidents{vendor}`: each configured vendor's open assigned incidents (its load);
/// - `triage_sla_at_risk{vendor}`: each configured vendor's incidents with a running SLA target
///   due within `atRiskWithin` (default 30 min) or already breached, as `GET /api/sla/at-risk` lists them.
///
/// Vendor labels come from the configuration in force (`vendors`), never from stored rows: a
/// vendor without incidents reads 0, and a vendor a reload removed loses its series. A failed
/// round is logged and the gauges keep their last values; the loop ends at graceful shutdown.
public struct StoreGauges<Clock: TriageClock>: Service {
    /// How often and how far ahead the service looks.
    public struct Configuration: Sendable {
        /// Time between two rounds.
        public var interval: Duration
        /// A running SLA target due within this window (or breached) counts as at risk.
        public var atRiskWithin: Duration
        /// Clocks read per round for the at-risk count, soonest first (the count saturates there).
        public var atRiskLimit: Int

        public init(interval: Duration = .seconds(15), atRiskWithin: Duration = .seconds(30 * 60), atRiskLimit: Int = 500) {
            self.interval = interval
            self.atRiskWithin = atRiskWithin
            self.atRiskLimit = atRiskLimit
        }
    }

    let stats: any OperationalStats
    let vendorStats: any VendorStatsStore
    let risk: SLARiskReport?
    let vendors: @Sendable () -> [String]
    let clock: Clock
    let configuration: Configuration
    let logger: Logger
    let queueDepth = Gauge(label: "triage_queue_depth")
    let oldestAge = Gauge(label: "triage_queue_oldest_age_seconds")
    let outboxPending = Gauge(label: "triage_outbox_pending")
    let outboxDead = Gauge(label: "triage_outbox_dead")
    /// The vendors whose series the last round published, to remove those no longer configured.
    let published = PublishedVendors()

    /// - Parameters:
    ///   - stats: The queue and outbox counts (the store).
    ///   - vendorStats: Each vendor's open load (the store).
    ///   - risk: The at-risk report; `nil` publishes no `triage_sla_at_risk`.
    ///   - vendors: The names of the vendors configured now (read each round, so reloads count).
    public init(
        stats: any OperationalStats, vendorStats: any VendorStatsStore, risk: SLARiskReport?,
        vendors: @escaping @Sendable () -> [String], clock: Clock, configuration: Configuration = Configuration(),
        logger: Logger
    ) {
        self.stats = stats
        self.vendorStats = vendorStats
        self.risk = risk
        self.vendors = vendors
        self.clock = clock
        self.configuration = configuration
        self.logger = logger
    }

    /// Samples at once, then every `interval` of the clock, until graceful shutdown.
    public func run() async throws {
        await cancelWhenGracefulShutdown {
            await PeriodicLoop.run(every: configuration.interval, clock: clock, logger: logger, failure: "store gauges not updated") {
                try await sample()
            }
        }
    }

    /// One round at the clock's now: reads the store and records every gauge. Throws when a read
    /// fails; every gauge then keeps its last value.
    public func sample() async throws {
        // Every read first, then every gauge: a round's values are recorded together or not at all.
        let now = clock.now()
        let queue = try await stats.queueStats(now: now)
        let open = try await vendorStats.vendorStats(since: now)
        var atRisk: [String: Int]?
        if let risk {
            let entries = try await risk.atRisk(
                within: configuration.atRiskWithin, now: now, limit: configuration.atRiskLimit)
            atRisk = Self.atRiskCounts(entries)
        }
        queueDepth.record(queue.depth)
        oldestAge.record(queue.oldestAge(at: now))
        outboxPending.record(queue.outboxPending)
        outboxDead.record(queue.outboxDead)
        let names = Set(vendors())
        for name in names {
            Gauge(label: "triage_open_incidents", dimensions: [("vendor", name)]).record(open[name]?.open ?? 0)
            if let atRisk {
                Gauge(label: "triage_sla_at_risk", dimensions: [("vendor", name)]).record(atRisk[name] ?? 0)
            }
        }
        for gone in published.replace(with: names).subtracting(names) {
            Gauge(label: "triage_open_incidents", dimensions: [("vendor", gone)]).destroy()
            if risk != nil { Gauge(label: "triage_sla_at_risk", dimensions: [("vendor", gone)]).destroy() }
        }
    }

    /// Distinct incidents per vendor among the at-risk entries (an incident with both targets at
    /// risk counts once).
    static func atRiskCounts(_ entries: [SLARiskReport.Entry]) -> [String: Int] {
        var incidents: [String: Set<String>] = [:]
        for entry in entries { incidents[entry.vendor, default: []].insert(entry.incident) }
        return incidents.mapValues(\.count)
    }
}

/// The vendor names a ``StoreGauges`` round published, shared across rounds.
final class PublishedVendors: Sendable {
    private let names = Mutex<Set<String>>([])

    /// Stores `current` and returns the names stored before.
    func replace(with current: Set<String>) -> Set<String> {
        names.withLock { names in
            let previous = names
            names = current
            return previous
        }
    }
}
