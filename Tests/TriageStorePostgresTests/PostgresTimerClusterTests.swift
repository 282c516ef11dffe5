import Foundation
import Logging
import PostgresNIO
import Testing
import TriageCore
import TriageEngine
@testable import TriageStorePostgres
import TriageTesting

/// SLA timers shared by several instances: each step fires once, whichever instance claims it.
@Suite(.enabled(if: PostgresTestDatabase.available, PostgresTestDatabase.skipReason))
struct PostgresTimerClusterTests {
    static let base = Date(timeIntervalSince1970: 1_790_000_000)

    /// Eight escalation steps of several kinds on the resolve clock.
    static let terms = SLASnapshot(
        source: "contract 'cluster'", vendor: "cluster", priority: .p3, acknowledge: .seconds(3600), resolve: .seconds(86_400),
        ladder: "cluster",
        steps: [
            [.notify("vendor")], [.addTag("watch")], [.notify("duty")], [.raisePriority(1)], [.notify("vendor")],
            [.addTag("late")], [.notify("duty")], [.notify("vendor")],
        ].enumerated().map { index, actions in EscalationStep(trigger: .percent(Double(10 * (index + 1))), actions: actions) })

    /// 1,000 incidents with ten timers each, all due within the first minute after `base`.
    static func seed(_ store: PostgresStore) async throws {
        var generator = SystemRandomNumberGenerator()
        let clocks = (0..<1_000).map { index -> (id: IncidentID, title: String, clock: SLAClockStart) in
            var clock = SLAClockStart(snapshot: terms, startedAt: base)
            clock.timers = (0..<10).map { slot in
                let due = base.addingTimeInterval(Double((slot * 1_000 + index) % 60))
                switch slot {
                case 8: return PlannedTimer(target: .acknowledge, step: SLASchedule.deadlineStep, dueAt: due)
                case 9: return PlannedTimer(target: .resolve, step: SLASchedule.deadlineStep, dueAt: due)
                default: return PlannedTimer(target: .resolve, step: slot, dueAt: due)
                }
            }
            return (IncidentID(now: base, using: &generator), "incident \(index)", clock)
        }
        try await store.seedClocks(clocks, now: base)
    }

    static let quiet: Logger = {
        var logger = Logger(label: "test")
        logger.logLevel = .warning
        return logger
    }()

    static func watcher(_ store: PostgresStore, owner: String, clock: TestClock) -> SLAWatcher<TestClock> {
        let policies = PolicyHolder(
            TriagePolicy(rules: RuleSet(rules: []), vendors: [Vendor(name: "cluster", endpoint: "http://127.0.0.1:9/cluster")]))
        var configuration = SLAWatcher<TestClock>.Configuration(owner: owner)
        configuration.batchSize = 250
        return SLAWatcher(
            store: store, policies: policies, notify: [NotifyEndpoint(name: "duty", url: "http://127.0.0.1:9/duty")],
            zones: { _ in nil }, clock: clock, configuration: configuration, logger: quiet)
    }

    /// Everything the firing wrote: timers by status, events and outbox messages.
    static func effects(_ store: PostgresStore) async throws -> (fired: Int, events: Int, outbox: Int) {
        try await store.read { connection in
            let row = try await connection.row(
                """
                SELECT (SELECT COUNT(*) FROM slaTimer WHERE status = 'fired') AS fired,
                    (SELECT COUNT(*) FROM incidentEvent) AS events,
                    (SELECT COUNT(*) FROM outboxMessage) AS outbox
                """, logger: store.logger)
            return (
                try row?.get("fired", as: Int.self) ?? -1, try row?.get("events", as: Int.self) ?? -1,
                try row?.get("outbox", as: Int.self) ?? -1
            )
        }
    }

    @Test func tenThousandDueTimersFireOnceEachAcrossThreeInstances() async throws {
        let clock = TestClock(now: Self.base.addingTimeInterval(3_600))
        // The reference: one instance fires everything alone.
        let reference = try await PostgresTestDatabase.fresh()
        defer { reference.close() }
        try await Self.seed(reference)
        let alone = Self.watcher(reference, owner: "alone", clock: clock)
        while try await alone.runOnce() > 0 {}
        let expected = try await Self.effects(reference)
        #expect(expected.fired == 10_000)
        #expect(expected.outbox > 0)

        // Three instances, each with its own connections, on one database, all at once.
        let settings = try await PostgresTestDatabase.freshSettings()
        let seeding = try await PostgresStore.open(settings)
        defer { seeding.close() }
        try await Self.seed(seeding)
        var instances: [PostgresStore] = []
        for _ in 0..<3 { instances.append(try await PostgresStore.open(settings)) }
        defer { for instance in instances { instance.close() } }
        let handled = try await withThrowingTaskGroup(of: Int.self, returning: [Int].self) { group in
            for (index, instance) in instances.enumerated() {
                let watcher = Self.watcher(instance, owner: "instance-\(index)", clock: clock)
                group.addTask {
                    var total = 0
                    while case let count = try await watcher.runOnce(), count > 0 { total += count }
                    return total
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        let shared = try await Self.effects(seeding)
        // Each timer fired once: the same effects as one instance alone, not one more.
        #expect(shared.fired == 10_000)
        #expect(shared.events == expected.events)
        #expect(shared.outbox == expected.outbox)
        #expect(handled.reduce(0, +) == 10_000)
        // And the work was really shared (not one instance doing it all while the others waited).
        #expect(handled.filter { $0 > 0 }.count >= 2, "timers fired per instance: \(handled)")
    }
}
