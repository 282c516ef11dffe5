import Foundation
import TriageCore
import TriageEngine
import TriageHTTP

/// Reads what the dashboard shows from the store and the configuration in force: the queue,
/// the incidents at risk within four hours, each vendor's load against its capacity, the 20
/// latest decisions and the 20 latest dead letters.
struct DashboardSource: Sendable {
    let store: any TriageStore
    let policies: PolicyHolder
    let risk: SLARiskReport
    let instance: String
    let clock: any TriageClock
    /// Delivery target names by endpoint URL (the page never shows a URL).
    let targets: [String: String]

    static let atRiskWithin: Duration = .seconds(4 * 3600)

    func snapshot() async throws -> DashboardSnapshot {
        let now = clock.now()
        let snapshot = policies.snapshot
        let queue = try await store.queueStats(now: now)
        let atRisk = try await risk.atRisk(within: Self.atRiskWithin, now: now, limit: 20)
        let stats = try await store.vendorStats(since: now.addingTimeInterval(-30 * 86_400))
        let load = snapshot.policy.assigner.vendors.map { vendor in
            DashboardSnapshot.VendorLoadRow(vendor: vendor.name, open: stats[vendor.name]?.open ?? 0, capacity: vendor.capacity)
        }
        let recent = try await store.incidents(matching: IncidentFilter(), limit: 40, before: nil)
        let decisions = recent.compactMap { summary -> DashboardSnapshot.DecisionRow? in
            guard let decidedAt = summary.decidedAt else { return nil }
            return DashboardSnapshot.DecisionRow(
                decidedAt: decidedAt, incidentID: summary.id.rawValue, title: summary.title,
                priority: summary.priority?.rawValue ?? "-", vendor: summary.vendor, reason: summary.reason ?? "",
                abstained: summary.abstained ?? false)
        }.prefix(20)
        let dead = try await store.outboxEntries(status: "dead", limit: 20).map { entry in
            DashboardSnapshot.DeadLetterRow(entry, target: targets[entry.endpoint] ?? entry.vendor)
        }
        return DashboardSnapshot(
            renderedAt: now, instance: instance, configVersion: snapshot.version,
            queue: DashboardSnapshot.QueueFigures(
                queued: queue.queued, oldestQueuedAt: queue.oldestQueuedAt, leased: queue.leased,
                outboxPending: queue.outboxPending, deadLetters: queue.outboxDead),
            atRiskWithin: Self.atRiskWithin, atRisk: atRisk.map(DashboardSnapshot.AtRiskRow.init), vendorLoad: load,
            decisions: Array(decisions), deadLetters: dead)
    }
}
