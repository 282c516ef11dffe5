import Foundation
import Logging
import Testing
import TriageCore
import TriageEngine
import TriageStoreSQLite
import TriageTesting

/// The escalation ladder driven by a test clock over a real SQLite store: no sleeping.
struct SLAWatcherTests {
    let logger = Logger(label: "test")
    static let ladder = EscalationLadder(name: "standard", steps: [
        EscalationStep(trigger: .percent(50), actions: [.notify("vendor")]),
        EscalationStep(trigger: .percent(75), actions: [.notify("duty")]),
        EscalationStep(trigger: .percent(90), actions: [.raisePriority(1), .addTag("sla-at-risk")]),
        EscalationStep(trigger: .percent(100), actions: [.reassignToBackup, .notify("duty")]),
        EscalationStep(target: .acknowledge, trigger: .remaining(.seconds(300)), actions: [.notify("vendor")]),
    ])

    /// acme: acknowledge P3 in 1 h, resolve in 4 h, around the clock, with the ladder; backup globex.
    static func vendors(ladder: EscalationLadder? = ladder, calendar: BusinessCalendar? = nil) -> [Vendor] {
        var contract = Contract(targets: [.p3: SLATarget(acknowledge: .seconds(3600), resolve: .seconds(14_400))])
        contract.escalation = ladder
        contract.pauseOn = ["waiting-on-customer"]
        var acme = Vendor(name: "acme", endpoint: "http://127.0.0.1:1/acme", backup: "globex", contract: contract)
        acme.calendar = calendar
        acme.hoursRequiredFor = []
        let globexTarget = SLATarget(acknowledge: .seconds(1800), resolve: .seconds(7200))
        var globexContract = Contract(targets: [.p2: globexTarget, .p3: globexTarget])
        globexContract.escalation = EscalationLadder(name: "short", steps: [
            EscalationStep(trigger: .percent(50), actions: [.notify("vendor")])
        ])
        let globex = Vendor(name: "globex", endpoint: "http://127.0.0.1:1/globex", contract: globexContract)
        return [acme, globex]
    }

    struct Setup {
        let store: SQLiteStore
        let clock: TestClock
        let id: IncidentID
        let watcher: SLAWatcher<TestClock>
        let policies: PolicyHolder

        func events(_ kind: String) async throws -> [String] {
            try await store.incident(id)?.events.filter { $0.kind == kind }.map(\.detail) ?? []
        }
        func send(_ action: IncidentDraft.Action, labels: [String: String] = [:]) async throws {
            let raw = RawPayload(source: "generic", contentType: nil, body: [], receivedAt: clock.now())
            _ = try await store.accept(
                [IncidentDraft(source: "generic", dedupKey: "k", title: "Payroll export fails", labels: labels, action: action)],
                raw: raw)
        }
    }

    func setUp(_ directory: TemporaryDirectory, vendors: [Vendor] = vendors(), owner: String = "w") async throws -> Setup {
        let clock = TestClock(now: try #require(RFC3339.parse("2026-03-02T08:00:00Z")))  // a Monday
        let store = try SQLiteStore(path: directory.path("t.sqlite"))
        let raw = RawPayload(source: "generic", contentType: nil, body: [], receivedAt: clock.now())
        let id = try await store.accept(
            [IncidentDraft(source: "generic", dedupKey: "k", title: "Payroll export fails", severity: .warning)], raw: raw)[0].id
        let policies = PolicyHolder(TriagePolicy(rules: RuleSet(rules: []), vendors: vendors, defaultVendor: "acme"))
        let worker = TriageWorker(queue: store, policies: policies, clock: clock, configuration: .init(owner: "w"), logger: logger)
        #expect(try await worker.runOnce() == 1)
        return Setup(store: store, clock: clock, id: id, watcher: watcher(store, policies, clock, owner: owner), policies: policies)
    }

    func watcher(_ store: SQLiteStore, _ policies: PolicyHolder, _ clock: TestClock, owner: String = "w") -> SLAWatcher<TestClock> {
        SLAWatcher(
            store: store, policies: policies, notify: [NotifyEndpoint(name: "duty", url: "http://127.0.0.1:1/duty")],
            reassigner: Reassigner(policies: policies, incidents: store, store: store),
            zones: { _ in nil }, clock: clock, configuration: .init(owner: owner), logger: logger)
    }

    @Test func stepsFireInOrderOnceEachAsTheBudgetIsSpent() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let s = try await setUp(directory)
        #expect(try await s.watcher.runOnce() == 0)  // nothing due at the start

        s.clock.advance(by: .seconds(3300))  // 55 min: 5 min of the acknowledge budget left
        #expect(try await s.watcher.runOnce() == 1)
        #expect(try await s.events("sla-escalation") == [
            "acknowledge 5m left reached for 'acme' (1h around the clock under contract 'acme'): notify vendor"
        ])
        s.clock.advance(by: .seconds(300))  // 1 h: the acknowledge deadline passes
        #expect(try await s.watcher.runOnce() == 1)
        #expect(try await s.events("sla-breach").count == 1)
        #expect(try await s.events("sla-breach")[0].hasPrefix("acknowledge target breached by 'acme': 1h around the clock"))

        s.clock.advance(by: .seconds(3600))  // 2 h = 50 % of resolve
        _ = try await s.watcher.runOnce()
        s.clock.advance(by: .seconds(3600))  // 3 h = 75 %
        _ = try await s.watcher.runOnce()
        s.clock.advance(by: .seconds(2160))  // 3 h 36 min = 90 %
        _ = try await s.watcher.runOnce()
        #expect(try await s.watcher.runOnce() == 0)  // each step once
        let steps = try await s.events("sla-escalation").map { String($0.prefix { $0 != "(" }) }
        #expect(steps == [
            "acknowledge 5m left reached for 'acme' ", "resolve 50% reached for 'acme' ", "resolve 75% reached for 'acme' ",
            "resolve 90% reached for 'acme' ",
        ])
        let detail = try #require(try await s.store.incident(s.id))
        #expect(detail.decision?.priority == .p2)  // raised at 90 %
        #expect(detail.decision?.tags == ["sla-at-risk"])
        let notices = detail.deliveries.filter { $0.messageID.contains("-sla") }
        #expect(notices.map(\.vendor) == ["acme", "acme", "notify:duty"])
        #expect(detail.timers.filter { $0.status == "fired" }.count == 5)
        #expect(detail.timers.allSatisfy { $0.late == false })
    }

    @Test func atTheDeadlineTheIncidentGoesToTheBackupWhoseClocksStartAfresh() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let s = try await setUp(directory)
        try await s.send(.acknowledge)  // acme acknowledges in time: no acknowledge steps
        s.clock.advance(by: .seconds(14_400))  // resolve deadline: 50/75/90/100 % and the breach, all due
        _ = try await s.watcher.runOnce()
        let detail = try #require(try await s.store.incident(s.id))
        #expect(detail.decision?.vendor == "globex")
        #expect(try await s.events("sla-breach").count == 1)
        #expect(try await s.events("reassigned").first?.contains("SLA escalation resolve 100%") == true)
        // globex's own clocks (at P2, raised at 90 %): 30 min acknowledge and 2 h resolve, its ladder, generation 2.
        let pending = detail.timers.filter { $0.status == "pending" }
        #expect(pending.map(\.generation) == [2, 2, 2])
        #expect(pending.map(\.label) == ["acknowledge deadline", "resolve 50%", "resolve deadline"])
        #expect(pending.map(\.dueAt) == [1800, 3600, 7200].map { s.clock.now().addingTimeInterval($0) })
        s.clock.advance(by: .seconds(3600))
        _ = try await s.watcher.runOnce()
        #expect(try await s.events("sla-escalation").last?.hasPrefix("resolve 50% reached for 'globex'") == true)
    }

    @Test func acknowledgingStopsTheResponseClockAndResolvingStopsAll() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let s = try await setUp(directory)
        s.clock.advance(by: .seconds(600))
        try await s.send(.acknowledge)
        s.clock.advance(by: .seconds(7200))  // past the acknowledge deadline and 50 % of resolve
        _ = try await s.watcher.runOnce()
        #expect(try await s.events("sla-breach").isEmpty)
        #expect(try await s.events("sla-escalation").count == 1)  // resolve 50 % only
        try await s.send(.resolve)
        s.clock.advance(by: .seconds(86_400))
        #expect(try await s.watcher.runOnce() == 0)
        let timers = try #require(try await s.store.incident(s.id)).timers
        #expect(timers.filter { $0.status == "pending" }.isEmpty)
        #expect(timers.filter { $0.kind == .acknowledge }.allSatisfy { $0.status == "stopped" })
    }

    @Test func aPauseMovesEveryDeadlineByItsLength() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let s = try await setUp(directory, vendors: Self.vendors(ladder: nil))
        let before = try #require(try await s.store.incident(s.id)).timers.map(\.dueAt)
        s.clock.advance(by: .seconds(600))
        // The source says the customer must answer: the clocks stop.
        try await s.send(.update, labels: ["status": "waiting-on-customer"])
        #expect(try await s.events("sla-paused-resumed").first?.hasPrefix("SLA clocks paused: status 'waiting-on-customer'") == true)
        s.clock.advance(by: .seconds(5400))  // 90 min paused: past the old acknowledge deadline
        #expect(try await s.watcher.runOnce() == 0)
        #expect(try await s.events("sla-breach").isEmpty)
        try await s.send(.update, labels: ["status": "in-progress"])
        #expect(try await s.watcher.runOnce() == 1)  // the clock is planned again
        let after = try #require(try await s.store.incident(s.id)).timers.filter { $0.status == "pending" }.map(\.dueAt)
        #expect(after == before.map { $0.addingTimeInterval(5400) })
        // And by the API, the same way.
        #expect(try await s.store.pauseClock(s.id, at: s.clock.now(), reason: "vendor waits for a change window"))
        #expect(try await s.store.pauseClock(s.id, at: s.clock.now(), reason: "again") == false)
        s.clock.advance(by: .seconds(600))
        #expect(try await s.store.resumeClock(s.id, at: s.clock.now(), reason: "window open"))
        _ = try await s.watcher.runOnce()
        let moved = try #require(try await s.store.incident(s.id)).timers.filter { $0.status == "pending" }.map(\.dueAt)
        #expect(moved == before.map { $0.addingTimeInterval(6000) })
    }

    @Test func afterDowntimeOverdueStepsFireOnceInOrderMarkedLate() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let s = try await setUp(directory)
        try await s.send(.acknowledge)
        // The service is down for 5 hours; a new process (another owner) starts on the same file.
        s.clock.advance(by: .seconds(5 * 3600))
        let restarted = try SQLiteStore(path: directory.path("t.sqlite"))
        let watcher = watcher(restarted, s.policies, s.clock, owner: "w2")
        #expect(try await watcher.runOnce() > 0)
        #expect(try await watcher.runOnce() == 0)
        #expect(try await s.watcher.runOnce() == 0)  // nor does the old owner fire them again
        let fired = try #require(try await restarted.incident(s.id)).timers.filter { $0.status == "fired" && $0.generation == 1 }
        #expect(fired.map(\.label) == ["resolve 50%", "resolve 75%", "resolve 90%", "resolve deadline", "resolve 100%"])
        #expect(fired.allSatisfy { $0.late == true })
        #expect(try await s.events("sla-escalation").allSatisfy { $0.contains("(late: fired ") })
        #expect(fired.map(\.dueAt) == fired.map(\.dueAt).sorted())
    }

    @Test func twoWatchersClaimingTogetherFireEachTimerOnce() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let s = try await setUp(directory)
        s.clock.advance(by: .seconds(4 * 3600))
        let other = watcher(try SQLiteStore(path: directory.path("t.sqlite")), s.policies, s.clock, owner: "w2")
        async let first = s.watcher.runOnce()
        async let second = other.runOnce()
        _ = try await (first, second)
        let timers = try #require(try await s.store.incident(s.id)).timers.filter { $0.generation == 1 }
        #expect(timers.filter { $0.status == "fired" }.count == 7)
        #expect(try await s.events("sla-breach").count == 2)
    }

    @Test func aVendorInNewYorkCountsBusinessHoursAcrossTheDSTChange() async throws {
        let bytes = try #require(
            FileManager.default.contents(atPath: "/usr/share/zoneinfo/America/New_York"),
            "needs /usr/share/zoneinfo/America/New_York (make test installs tzdata)")
        let zone = try ZoneRules(tzif: Array(bytes), identifier: "America/New_York")
        // Mon–Fri 09:00–17:00 New York; clocks go forward on Sunday 2026-03-08.
        let hours = ClockRange(start: 9 * 60, end: 17 * 60)!
        let calendar = BusinessCalendar(
            name: "ny-office", zone: zone, weekly: [.monday: [hours], .tuesday: [hours], .wednesday: [hours], .thursday: [hours], .friday: [hours]])
        var vendors = Self.vendors(ladder: nil, calendar: calendar)
        vendors[0].contract.targets[.p3] = SLATarget(acknowledge: .seconds(3600), resolve: .seconds(8 * 3600))
        let clock = TestClock(now: try #require(RFC3339.parse("2026-03-06T19:00:00Z")))  // Friday 14:00 EST
        let plan = try #require(SLAPlan.make(priority: .p3, vendor: vendors[0], now: clock.now()))
        // 3 h on Friday (14:00–17:00 EST), 5 h on Monday from 09:00 EDT (13:00Z): 14:00 EDT = 18:00Z.
        #expect(plan.resolveBy == RFC3339.parse("2026-03-09T18:00:00Z"))
        #expect(plan.acknowledgeBy == RFC3339.parse("2026-03-06T20:00:00Z"))
        #expect(plan.snapshot?.describe(.resolve) == "8h of business hours on 'ny-office' (America/New_York)")
    }
}

extension SLAWatcherTests {
    /// A vendor reopening a resolved incident through the callback path: the resolve clock goes on
    /// from where it stopped, the hours it spent resolved not counted.
    @Test func aReopenedIncidentsResolveClockGoesOnWithTheResolvedTimeNotCounted() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let s = try await setUp(directory, vendors: Self.vendors(ladder: nil))
        let deadline = try #require(try await s.store.incident(s.id)?.timers.first { $0.label == "resolve deadline" }?.dueAt)
        try await s.send(.acknowledge)
        s.clock.advance(by: .seconds(3600))
        try await s.send(.resolve)  // resolved after 1 h of its 4 h
        s.clock.advance(by: .seconds(7200))  // 2 h resolved
        let outcome = try await s.store.apply(
            LifecycleRequest(incidentID: s.id, action: .reopen, sender: "vendor:acme", eventID: "r-1", actor: "jane", at: s.clock.now()))
        #expect(outcome == .applied(from: .resolved, to: .assigned))
        #expect(try await s.watcher.runOnce() == 1)  // the clock is planned again
        let pending = try #require(try await s.store.incident(s.id)).timers.filter { $0.status == "pending" }
        #expect(pending.map(\.label) == ["resolve deadline"])
        #expect(pending.first?.dueAt == deadline.addingTimeInterval(7200))
        #expect(pending.first?.generation == 1)  // the same clock, not a new one
        // acme carries the incident again in its load.
        #expect(try await s.store.vendorStats(since: s.clock.now().addingTimeInterval(-86_400))["acme"]?.open == 1)
    }
}
