import Foundation
import Logging
import Metrics
import ServiceLifecycle
import TriageCore

/// Watches the SLA clocks: sleeps until the next timer is due (woken early when clocks change),
/// claims due timers in a transaction, fires each once (escalation steps, breaches), and plans
/// timers again for clocks a pause has moved.
///
/// After downtime the overdue timers fire once each, oldest first, marked late. A timer whose
/// incident has moved on (acknowledged, resolved, paused, reassigned) is marked stale and does
/// nothing.
public struct SLAWatcher<Clock: TriageClock>: Service {
    public struct Configuration: Sendable {
        public var owner: String
        public var batchSize = 500
        public var lease: Duration = .seconds(60)
        /// The longest sleep between checks (a safety net; timers wake it).
        public var idlePoll: Duration = .seconds(30)
        /// A timer fired more than this after it was due is marked late.
        public var lateAfter: Duration = .seconds(60)

        public init(owner: String) {
            self.owner = owner
        }
    }

    let store: any SLAClockStore
    let policies: PolicyHolder
    let notify: [String: NotifyEndpoint]
    let reassigner: Reassigner?
    let zones: @Sendable (String) -> ZoneRules?
    let clock: Clock
    let configuration: Configuration
    let doorbell: Doorbell
    let dispatchBell: Doorbell?
    let logger: Logger
    let lag = Timer(label: "triage_sla_timer_lag_seconds")

    public init(
        store: any SLAClockStore, policies: PolicyHolder, notify: [NotifyEndpoint] = [], reassigner: Reassigner? = nil,
        zones: @escaping @Sendable (String) -> ZoneRules?, clock: Clock, configuration: Configuration,
        doorbell: Doorbell = Doorbell(), dispatchBell: Doorbell? = nil, logger: Logger
    ) {
        self.store = store
        self.policies = policies
        self.notify = Dictionary(notify.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        self.reassigner = reassigner
        self.zones = zones
        self.clock = clock
        self.configuration = configuration
        self.doorbell = doorbell
        self.dispatchBell = dispatchBell
        self.logger = logger
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                var processed = 0
                do {
                    processed = try await runOnce()
                } catch is CancellationError {
                    return
                } catch {
                    logger.error("SLA timers batch failed", metadata: ["error": "\(error)"])
                }
                guard processed == 0 else { continue }
                // Sleep until the next timer is due, at most idlePoll; a new clock rings the bell.
                var wait = configuration.idlePoll
                if let next = try? await store.nextTimerDue() {
                    let seconds = max(0, next.timeIntervalSince(clock.now()))
                    wait = min(wait, .milliseconds(Int64((seconds * 1000).rounded(.up))))
                }
                if wait > .zero { await doorbell.wait(upTo: wait, clock: clock) }
            }
        }
    }

    /// Plans moved clocks, then fires the timers due now. Returns how many clocks and timers it handled.
    public func runOnce() async throws -> Int {
        var handled = try await replanMovedClocks()
        let now = clock.now()
        let due = try await store.claimDueTimers(
            limit: configuration.batchSize, owner: configuration.owner, now: now, lease: configuration.lease)
        guard !due.isEmpty else { return handled }
        let firing = EscalationFiring(
            vendors: Dictionary(policies.current.assigner.vendors.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first }),
            notify: notify, lateAfter: configuration.lateAfter.timeInterval)
        var outcomes: [FiredTimer] = []
        var reassignments: [(IncidentID, String, String)] = []
        for timer in due {
            let (outcome, backup) = firing.fire(timer, now: now)
            outcomes.append(outcome)
            lag.recordNanoseconds(Int64(max(0, now.timeIntervalSince(timer.timer.dueAt)) * 1e9))
            if outcome.status == .fired, let vendor = timer.clock?.snapshot.vendor {
                let label = timer.timer.step == SLASchedule.deadlineStep ? "triage_sla_breaches_total" : "triage_sla_escalations_total"
                Counter(label: label, dimensions: [("vendor", vendor), ("target", timer.timer.target.rawValue)])
                    .increment()
            }
            if let backup {
                let label = timer.clock.map { $0.snapshot.steps[timer.timer.step].label } ?? "escalation"
                reassignments.append((timer.incidentID, backup, "SLA escalation \(label)"))
            }
        }
        try await store.recordFired(outcomes, owner: configuration.owner, now: now)
        handled += due.count
        if outcomes.contains(where: { !$0.outbox.isEmpty }) { dispatchBell?.ring() }
        for (id, backup, reason) in reassignments {
            do {
                _ = try await reassigner?.reassign(id.rawValue, to: backup, reason: reason, now: now)
                dispatchBell?.ring()
            } catch {
                logger.warning(
                    "escalation could not reassign", metadata: ["incident.id": "\(id)", "vendor.name": "\(backup)", "error": "\(error)"])
            }
        }
        for outcome in outcomes where outcome.status == .fired {
            logger.notice(
                "SLA timer fired",
                metadata: ["incident.id": "\(outcome.incidentID)", "event": "\(outcome.events.first?.detail ?? "")"])
        }
        return handled
    }

    /// Clocks whose pause ended get their timers again, on their own calendar.
    func replanMovedClocks() async throws -> Int {
        let records = try await store.clocksToReplan(limit: configuration.batchSize)
        for record in records {
            let zone = record.snapshot.calendar.flatMap { zones($0.zone) }
            let calendar = SLASchedule.calendar(for: record.snapshot, zone: zone) ?? {
                logger.error(
                    "time zone of an SLA calendar is unknown; counting around the clock",
                    metadata: ["incident.id": "\(record.incidentID)", "zone": "\(record.snapshot.calendar?.zone ?? "-")"])
                return .twentyFourSeven()
            }()
            let timers = SLASchedule.timers(snapshot: record.snapshot, state: record.state, calendar: calendar, fired: record.fired)
            try await store.replan(
                record, timers: timers,
                acknowledgeBy: SLASchedule.deadline(.acknowledge, snapshot: record.snapshot, state: record.state, calendar: calendar),
                resolveBy: SLASchedule.deadline(.resolve, snapshot: record.snapshot, state: record.state, calendar: calendar))
        }
        return records.count
    }
}
