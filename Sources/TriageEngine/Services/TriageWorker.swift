import Foundation
import Logging
import Metrics
import ServiceLifecycle
import TriageCore

/// Pulls queued incidents, runs the pure triage, and commits decision + outbox + timers at once.
public struct TriageWorker<Clock: TriageClock>: Service {
    public struct Configuration: Sendable {
        public var batchSize = 16
        public var lease: Duration = .seconds(60)
        public var idlePoll: Duration = .milliseconds(500)
        /// Claims after which an item that keeps failing is marked failed instead of retried.
        public var maxAttempts = 5
        public var owner: String

        public init(owner: String) {
            self.owner = owner
        }
    }

    let queue: any WorkQueue
    let policies: PolicyHolder
    let clock: Clock
    let configuration: Configuration
    let doorbell: Doorbell
    let dispatchBell: Doorbell?
    /// Rung when new SLA clocks start, so the watcher re-reads its next due timer.
    let slaBell: Doorbell?
    let intelligence: TriageIntelligence?
    /// Where vendor load, attainment and history come from (read once per batch).
    let vendorStats: (any VendorStatsStore)?
    let renderer: PayloadRenderer
    /// Sources whose tickets get the assignment posted back, by source name.
    let writeBacks: [String: WriteBack]
    let logger: Logger
    let internalQueue = Counter(label: "triage_internal_queue_total")
    let triaged = Counter(label: "triage_incidents_triaged_total")
    /// Assignments the store refused because the vendor had filled up since the loads were read.
    let capacityRefusals = Counter(label: "triage_assignment_capacity_refusals_total")
    /// Triage duration, decisions by what decided them, assignments by vendor.
    let metrics: TriageWorkerMetrics

    public init(
        queue: any WorkQueue,
        policies: PolicyHolder,
        clock: Clock,
        configuration: Configuration,
        doorbell: Doorbell = Doorbell(),
        dispatchBell: Doorbell? = nil,
        intelligence: TriageIntelligence? = nil,
        vendorStats: (any VendorStatsStore)? = nil,
        renderer: PayloadRenderer = .standard,
        writeBacks: [WriteBack] = [],
        slaBell: Doorbell? = nil,
        logger: Logger
    ) {
        self.slaBell = slaBell
        self.writeBacks = Dictionary(writeBacks.map { ($0.source, $0) }, uniquingKeysWith: { first, _ in first })
        self.renderer = renderer
        self.vendorStats = vendorStats
        self.intelligence = intelligence
        self.queue = queue
        self.policies = policies
        self.clock = clock
        self.configuration = configuration
        self.doorbell = doorbell
        self.dispatchBell = dispatchBell
        self.logger = logger
        self.metrics = TriageWorkerMetrics(vendors: policies.current.assigner.vendors.map(\.name))
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            await PollingLoop.run(
                doorbell: doorbell, idle: configuration.idlePoll, clock: clock, logger: logger, what: "triage"
            ) { try await runOnce() }
        }
    }

    /// Claims one batch and triages it. Returns how many items it handled.
    public func runOnce() async throws -> Int {
        let now = clock.now()
        let items = try await queue.claim(
            limit: configuration.batchSize,
            owner: configuration.owner,
            now: now,
            lease: configuration.lease
        )
        var queuedMessages = false
        var states = items.isEmpty ? [:] : try await currentStates(now: now)
        for item in items {
            // An item claimed more often than allowed keeps killing or stalling its worker
            // (its lease ran out each time): park it as failed instead of trying again.
            if item.attempt > configuration.maxAttempts {
                logger.error("triage gave up: lease expired too often", metadata: ["incident.id": "\(item.incident.id)"])
                try await queue.release(
                    item, error: "lease expired \(item.attempt - 1) times", retryAt: nil, now: clock.now())
                continue
            }
            do {
                queuedMessages = try await handleArbitrated(item, states: &states, now: now) || queuedMessages
            } catch WorkQueueError.leaseLost(let id) {
                logger.warning("lease lost; another worker owns the item", metadata: ["incident.id": "\(id)"])
            } catch {
                let retry = item.attempt < configuration.maxAttempts
                let retryAt = retry ? clock.now().addingTimeInterval(Double(item.attempt) * 5) : nil
                logger.error(
                    "triage failed",
                    metadata: ["incident.id": "\(item.incident.id)", "error": "\(error)", "will.retry": "\(retry)"]
                )
                try await queue.release(item, error: "\(error)", retryAt: retryAt, now: clock.now())
            }
        }
        if queuedMessages {
            dispatchBell?.ring()
            slaBell?.ring()
        }
        return items.count
    }

    /// Triages one item; when the store refuses the assignment because workers elsewhere filled
    /// the vendor up meanwhile, reads the loads again and decides again (a few times at most).
    func handleArbitrated(_ item: WorkItem, states: inout [String: VendorState], now: Date) async throws -> Bool {
        var refusals = 0
        while true {
            do {
                return try await handle(item, states: &states, claimedAt: now)
            } catch WorkQueueError.atCapacity(let vendor, let open, let capacity) where refusals < 3 {
                refusals += 1
                capacityRefusals.increment()
                logger.notice(
                    "vendor filled up meanwhile; deciding again",
                    metadata: [
                        "incident.id": "\(item.incident.id)", "vendor.name": "\(vendor)", "open": "\(open)",
                        "capacity": "\(capacity)",
                    ])
                states = try await currentStates(now: now)
            }
        }
    }

    /// Vendor states from the store: SLA attainment over the last 30 days, load, history.
    func currentStates(now: Date) async throws -> [String: VendorState] {
        guard let vendorStats else { return [:] }
        return try await vendorStats.vendorStats(since: now.addingTimeInterval(-30 * 86_400)).mapValues { stats in
            VendorState(
                openIncidents: stats.open, openByPriority: stats.openByPriority, attainment: stats.attainment,
                assigned: stats.assigned, affinity: stats.affinity, disabledBecause: stats.disabledBecause)
        }
    }

    /// Triages one item; returns whether it queued an outbox message. `states` is updated with
    /// the assignment so the rest of the batch sees it. `claimedAt` (default: now) starts the
    /// item's `triage_triage_duration_seconds`.
    func handle(_ item: WorkItem, states: inout [String: VendorState], claimedAt: Date? = nil) async throws -> Bool {
        let now = clock.now()
        let policy = policies.current
        let text = item.incident.title + "\n" + item.incident.description
        let learnt = intelligence?.classifier.current
        let similar = learnt?.similar(to: text, k: intelligence?.neighbours ?? 0) ?? []
        var decision = policy.triage(item.incident, now: now, model: learnt?.model, similar: similar, states: states)
        var outbox: [NewOutboxMessage] = []
        var clock: SLAClockStart?
        var dispatch = true
        if let intelligence, let finder = intelligence.duplicates, item.incident.status != .resolved, item.round == 1,
            let match = await finder.check(item.incident, now: now, isOpen: intelligence.isOpen)
        {
            decision.duplicateOf = match.id.rawValue
            dispatch = finder.settings.dispatch
            let score = (match.score * 100).rounded() / 100
            decision.explanation.append(
                "duplicate of open incident \(match.id) (similarity \(score) >= \(finder.settings.threshold))"
                    + (dispatch ? "; dispatched anyway (duplicates.dispatch: true)" : "; linked, not dispatched"))
        }
        if item.incident.status == .resolved {
            decision.explanation.append("incident was resolved before triage; nothing dispatched, no clock started")
            decision.sla = nil
        } else if dispatch, let vendorName = decision.vendor,
            let vendor = policy.assigner.vendors.first(where: { $0.name == vendorName })
        {
            let messageID = "\(item.incident.id.rawValue)-\(item.round)"
            // Built from the incident as the vendor may see it; the decision records which redaction rules fired.
            let rendered = try renderer.render(messageID: messageID, incident: item.incident, decision: decision, vendor: vendor)
            decision.redactions = rendered.redactions
            outbox.append(NewOutboxMessage(id: messageID, vendor: vendorName, endpoint: vendor.endpoint, body: rendered.body))
            clock = SLAClockStart(plan: decision.sla, now: now)
            if let writeBack = writeBacks[item.incident.source] {
                switch writeBack.url(for: item.incident) {
                case .success(let url):
                    let id = messageID + "-write-back"
                    let note = try renderer.writeBackBody(
                        messageID: id, incident: item.incident, decision: decision, writeBack: writeBack, vendor: vendor)
                    outbox.append(NewOutboxMessage(id: id, vendor: writeBack.target.name, endpoint: url, body: note, method: writeBack.method))
                    decision.explanation.append("assignment posted back to \(item.incident.source) (\(writeBack.method) \(url))")
                case .failure(let error):
                    decision.explanation.append("no write-back to \(item.incident.source): \(error)")
                }
            }
        }
        let capacity = outbox.isEmpty ? nil : decision.vendor.flatMap { name in
            policy.assigner.vendors.first { $0.name == name }.flatMap { CapacityLimit($0, priority: decision.priority) }
        }
        try await queue.complete(item, decision: decision, outbox: outbox, clock: clock, capacity: capacity, now: now)
        triaged.increment()
        metrics.count(
            decision, claimedAt: claimedAt ?? now, committedAt: self.clock.now(), assignedTo: outbox.isEmpty ? nil : decision.vendor)
        if let vendor = decision.vendor, !outbox.isEmpty {
            var state = states[vendor] ?? VendorState()
            state.openIncidents += 1
            state.openByPriority[decision.priority, default: 0] += 1
            state.assigned += 1
            if let service = item.incident.service?.lowercased() { state.affinity[service, default: 0] += 1 }
            states[vendor] = state
        }
        if decision.vendor == nil, decision.suppressed == nil, let alert = decision.explanation.last, alert.hasPrefix("ALERT:") {
            internalQueue.increment()
            logger.critical("no vendor eligible; incident routed to the internal queue", metadata: [
                "incident.id": "\(item.incident.id)", "reason": "\(alert)",
            ])
        }
        logger.info(
            "incident triaged",
            metadata: [
                "incident.id": "\(item.incident.id)",
                "decision.category": "\(decision.category ?? "-")",
                "decision.priority": "\(decision.priority.rawValue)",
                "vendor.name": "\(decision.vendor ?? "-")",
            ]
        )
        return !outbox.isEmpty
    }
}
