import Foundation
import Testing
import TriageCore
import TriageEngine

/// VendorStatsStore, ReassignmentStore and SLAHistoryStore: what the store keeps per vendor.
extension StoreConformance {
    /// Open counts follow dispatched assignments and resolutions; resolutions count as met or missed.
    public func vendorStatsFollowAssignmentsAndResolutions() async throws {
        let store = try await makeStore()
        let since = t0 - 86_400
        #expect(try await store.vendorStats(since: since).isEmpty)
        var billing = draft("a")
        billing.service = "Billing"
        try await dispatch(store, billing, vendor: "acme", priority: .p1, clock: terms("acme", priority: .p1, resolve: 3600))
        try await dispatch(store, draft("b"), vendor: "globex", clock: terms("globex", resolve: 3600), at: t0 + 1)
        try await dispatch(store, draft("c"), vendor: nil, at: t0 + 2)  // no vendor: counted nowhere
        var stats = try await store.vendorStats(since: since)
        #expect(Set(stats.keys) == ["acme", "globex"])
        #expect(stats["acme"]?.open == 1)
        #expect(stats["acme"]?.openByPriority == [.p1: 1])
        #expect(stats["acme"]?.assigned == 1)
        #expect(stats["acme"]?.affinity == ["billing": 1])
        #expect(stats["acme"]?.attainment == nil)
        #expect(stats["globex"]?.openByPriority == [.p3: 1])
        #expect(stats["globex"]?.affinity == [:])
        #expect(stats["globex"]?.attainment == nil)
        // acme resolves within its hour, globex after two.
        _ = try await store.accept([draft("a", .resolve)], raw: raw(at: t0 + 1800))
        stats = try await store.vendorStats(since: since)
        #expect(stats["acme"]?.open == 0)
        #expect(stats["acme"]?.openByPriority == [:])
        #expect(stats["acme"]?.met == 1)
        #expect(stats["acme"]?.missed == 0)
        #expect(stats["acme"]?.attainment == 1)
        #expect(stats["acme"]?.assigned == 1)
        _ = try await store.accept([draft("b", .resolve)], raw: raw(at: t0 + 7200))
        stats = try await store.vendorStats(since: since)
        #expect(stats["globex"]?.open == 0)
        #expect(stats["globex"]?.met == 0)
        #expect(stats["globex"]?.missed == 1)
        #expect(stats["globex"]?.attainment == 0)
        // Results older than `since` are not counted; assignments always are.
        let later = try await store.vendorStats(since: t0 + 2 * 86_400)
        #expect(later["acme"]?.met == 0)
        #expect(later["globex"]?.missed == 0)
        #expect(later["acme"]?.assigned == 1)
        #expect(later["globex"]?.assigned == 1)
    }

    /// A reassignment replaces the decision, queues the new vendor's message, restarts the clocks as
    /// the next generation and moves the open count; without new terms the clocks just stop.
    public func reassignmentMovesDecisionDeliveryClocksAndLoad() async throws {
        let store = try await makeStore()
        let id = try await dispatch(store, draft("r"), vendor: "acme", priority: .p2, clock: terms("acme", priority: .p2))
        let moved = decision(id, vendor: "globex", priority: .p2, at: t0 + 600)
        let reason = "from 'acme' to 'globex': no answer"
        try await store.reassign(
            id, decision: moved, outbox: message("r-r2", vendor: "globex"),
            clock: SLAClockStart(snapshot: terms("globex", priority: .p2, acknowledge: 1800, resolve: 7200), startedAt: t0 + 600),
            reason: reason, now: t0 + 600)
        let after = try await detail(store, id)
        #expect(after.decision == moved)
        #expect(after.incident.status == .assigned)
        #expect(after.phase == .assigned)
        #expect(after.deliveries.map(\.messageID) == ["r-1", "r-r2"])
        #expect(after.deliveries.map(\.vendor) == ["acme", "globex"])
        #expect(after.deliveries.map(\.status) == ["pending", "pending"])
        #expect(after.timers.filter { $0.generation == 1 }.map(\.status) == ["stopped", "stopped"])
        let pending = after.timers.filter { $0.status == "pending" }
        #expect(pending.map(\.generation) == [2, 2])
        #expect(pending.map(\.dueAt) == [t0 + 2400, t0 + 7800])
        #expect(after.events.map(\.kind) == ["received", "triaged", "reassigned"])
        #expect(after.events.last?.detail == reason)
        #expect(after.events.last?.at == t0 + 600)
        var stats = try await store.vendorStats(since: t0 - 86_400)
        #expect(stats["acme"]?.open == 0)
        #expect(stats["acme"]?.assigned == 1)
        #expect(stats["globex"]?.open == 1)
        #expect(stats["globex"]?.openByPriority == [.p2: 1])
        #expect(stats["globex"]?.assigned == 1)
        // Back to acme without terms: the clocks stop, nothing replaces them.
        try await store.reassign(
            id, decision: decision(id, vendor: "acme", priority: .p2, at: t0 + 900), outbox: message("r-r3", vendor: "acme"),
            clock: nil, reason: "back to acme", now: t0 + 900)
        let back = try await detail(store, id)
        #expect(back.decision?.vendor == "acme")
        #expect(back.timers.filter { $0.status == "pending" }.isEmpty)
        #expect(back.deliveries.map(\.vendor) == ["acme", "globex", "acme"])
        stats = try await store.vendorStats(since: t0 - 86_400)
        #expect(stats["acme"]?.open == 1)
        #expect(stats["acme"]?.assigned == 2)
        #expect(stats["globex"]?.open == 0)
        #expect(try await store.nextTimerDue() == nil)
    }

    /// Every vendor's turn on an incident is kept: ended turns with their end, the current one open.
    public func slaHistoryKeepsEveryVendorsTurn() async throws {
        let store = try await makeStore()
        let window = (from: t0 - 60, to: t0 + 3600)
        #expect(try await store.slaClockEntries(from: window.from, to: window.to, vendor: nil).isEmpty)
        let id = try await dispatch(store, draft("h"), vendor: "acme", clock: terms("acme"))
        try await dispatch(store, draft("other"), vendor: "initech", clock: terms("initech"), at: t0 + 7200)  // outside
        let first = try await store.slaClockEntries(from: window.from, to: window.to, vendor: nil)
        #expect(first == [SLAClockEntry(
            incidentID: id.rawValue, generation: 1, snapshot: terms("acme"), state: SLAClockState(startedAt: t0), endedAt: nil)])
        let globex = terms("globex", acknowledge: 1800, resolve: 7200)
        try await store.reassign(
            id, decision: decision(id, vendor: "globex", at: t0 + 600), outbox: message("h-r2", vendor: "globex"),
            clock: SLAClockStart(snapshot: globex, startedAt: t0 + 600), reason: "no answer", now: t0 + 600)
        _ = try await store.accept([draft("h", .resolve)], raw: raw(at: t0 + 1200))
        let entries = try await store.slaClockEntries(from: window.from, to: window.to, vendor: nil)
        #expect(entries == [
            SLAClockEntry(
                incidentID: id.rawValue, generation: 1, snapshot: terms("acme"), state: SLAClockState(startedAt: t0),
                endedAt: t0 + 600, reassignments: 1),
            SLAClockEntry(
                incidentID: id.rawValue, generation: 2, snapshot: globex,
                state: SLAClockState(startedAt: t0 + 600, resolvedAt: t0 + 1200), endedAt: nil, reassignments: 1),
        ])
        #expect(try await store.slaClockEntries(from: window.from, to: window.to, vendor: "acme").map(\.generation) == [1])
        #expect(try await store.slaClockEntries(from: window.from, to: window.to, vendor: "globex").map(\.generation) == [2])
        #expect(try await store.slaClockEntries(from: t0 + 1, to: window.to, vendor: nil).map(\.generation) == [2])
        #expect(try await store.slaClockEntries(from: t0 + 601, to: window.to, vendor: nil).isEmpty)
        // Re-fired after resolution: the incident counts as reopened.
        _ = try await store.accept([draft("h", .trigger)], raw: raw(at: t0 + 1300))
        let reopened = try await store.slaClockEntries(from: window.from, to: window.to, vendor: nil)
        #expect(reopened.map(\.reopened) == [true, true])
        #expect(try await store.slaClockEntries(from: t0 + 7000, to: t0 + 8000, vendor: nil).map(\.snapshot.vendor) == ["initech"])
    }
}
