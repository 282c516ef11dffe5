import Foundation
import TriageCore
import TriageEngine

/// Everything the dashboard (`GET /`) shows, read at one instant: plain values, no store types,
/// so ``DashboardPage/render(_:zone:)`` is a pure function of it.
///
/// The page renders the rows it is given (the caller chooses how many: about 20 at-risk rows,
/// 15 decisions and 10 dead letters keep it on one laptop screen). It orders the at-risk rows
/// by business time left and the decisions newest first; vendor load and dead letters stay in
/// the order given.
public struct DashboardSnapshot: Sendable, Equatable {
    /// The work queue and the outbox in figures.
    public struct QueueFigures: Sendable, Equatable {
        /// Work items waiting for triage (queued, not leased).
        public var queued: Int
        /// Since when the longest-waiting claimable item has waited (``QueueStats/oldestQueuedAt``);
        /// `nil` when none waits. The page shows its age at ``DashboardSnapshot/renderedAt``.
        public var oldestQueuedAt: Date?
        /// Work items leased by a worker right now.
        public var leased: Int
        /// Outbox messages waiting to be delivered (status `pending`).
        public var outboxPending: Int
        /// Dead-lettered outbox messages (status `dead`), all of them, not only those listed.
        public var deadLetters: Int

        /// The figures as given; none is checked.
        public init(queued: Int, oldestQueuedAt: Date?, leased: Int, outboxPending: Int, deadLetters: Int) {
            self.queued = queued
            self.oldestQueuedAt = oldestQueuedAt
            self.leased = leased
            self.outboxPending = outboxPending
            self.deadLetters = deadLetters
        }

        /// The figures of ``OperationalStats/queueStats(now:)``.
        public init(_ stats: QueueStats) {
            self.init(
                queued: stats.queued, oldestQueuedAt: stats.oldestQueuedAt, leased: stats.leased,
                outboxPending: stats.outboxPending, deadLetters: stats.outboxDead)
        }
    }

    /// One SLA target that is breached or falls due within ``DashboardSnapshot/atRiskWithin``.
    public struct AtRiskRow: Sendable, Equatable {
        public var incidentID: String
        /// The incident's title, as the sender wrote it (escaped when rendered).
        public var title: String
        public var vendor: String
        /// `P1` … `P5`.
        public var priority: String
        /// `acknowledge` or `resolve`.
        public var target: String
        /// When the target falls due.
        public var due: Date
        /// Business time left on the target's calendar; negative once breached.
        public var businessSecondsLeft: Int
        public var breached: Bool

        /// The row as given.
        public init(
            incidentID: String, title: String, vendor: String, priority: String, target: String, due: Date,
            businessSecondsLeft: Int, breached: Bool
        ) {
            self.incidentID = incidentID
            self.title = title
            self.vendor = vendor
            self.priority = priority
            self.target = target
            self.due = due
            self.businessSecondsLeft = businessSecondsLeft
            self.breached = breached
        }

        /// The row for one entry of ``SLARiskReport/atRisk(within:now:limit:)``.
        public init(_ entry: SLARiskReport.Entry) {
            self.init(
                incidentID: entry.incident, title: entry.title, vendor: entry.vendor, priority: entry.priority,
                target: entry.target, due: entry.deadline, businessSecondsLeft: entry.businessSecondsLeft,
                breached: entry.breached)
        }
    }

    /// One vendor's open incidents against its capacity.
    public struct VendorLoadRow: Sendable, Equatable {
        public var vendor: String
        /// Open incidents assigned to the vendor (``VendorStats/open``).
        public var open: Int
        /// ``Vendor/capacity``; `nil` when the vendor has no limit.
        public var capacity: Int?

        /// The row as given.
        public init(vendor: String, open: Int, capacity: Int?) {
            self.vendor = vendor
            self.open = open
            self.capacity = capacity
        }
    }

    /// One triage decision, as operators scan them.
    public struct DecisionRow: Sendable, Equatable {
        public var decidedAt: Date
        public var incidentID: String
        /// The incident's title, as the sender wrote it (escaped and shortened when rendered).
        public var title: String
        /// `P1` … `P5`.
        public var priority: String
        /// `nil` when no vendor was chosen.
        public var vendor: String?
        /// Why: the decision's last explanation line.
        public var reason: String
        /// Whether classification abstained (the incident waits for a person).
        public var abstained: Bool

        /// The row as given.
        public init(
            decidedAt: Date, incidentID: String, title: String, priority: String, vendor: String?, reason: String,
            abstained: Bool
        ) {
            self.decidedAt = decidedAt
            self.incidentID = incidentID
            self.title = title
            self.priority = priority
            self.vendor = vendor
            self.reason = reason
            self.abstained = abstained
        }

        /// The row for `decision` of the incident titled `title`; the reason is the last
        /// explanation line (empty when there is none).
        public init(_ decision: Decision, title: String) {
            self.init(
                decidedAt: decision.decidedAt, incidentID: decision.incidentID.description, title: title,
                priority: decision.priority.rawValue, vendor: decision.vendor,
                reason: decision.explanation.last ?? "", abstained: decision.abstained)
        }
    }

    /// One dead-lettered outbox message.
    public struct DeadLetterRow: Sendable, Equatable {
        public var messageID: String
        public var incidentID: String
        public var vendor: String
        /// The name of the endpoint's target (the vendor, a delivery target or a write-back
        /// target), never its URL: URLs may carry credentials. Should a URL be given anyway, the
        /// page shows only its host.
        public var target: String
        /// Why it was dead-lettered (``OutboxEntry/reason``), secret-free by construction.
        public var reason: String
        public var attempts: Int

        /// The row as given.
        public init(messageID: String, incidentID: String, vendor: String, target: String, reason: String, attempts: Int) {
            self.messageID = messageID
            self.incidentID = incidentID
            self.vendor = vendor
            self.target = target
            self.reason = reason
            self.attempts = attempts
        }

        /// The row for a `dead` entry of ``OutboxAdmin/outboxEntries(status:limit:)``; `target` is the
        /// name of the configured target whose URL is `entry.endpoint`.
        public init(_ entry: OutboxEntry, target: String) {
            self.init(
                messageID: entry.id, incidentID: entry.incidentID, vendor: entry.vendor, target: target,
                reason: entry.reason ?? "", attempts: entry.attempts)
        }
    }

    /// The instant the figures were read; every age and time left on the page is relative to it.
    public var renderedAt: Date
    /// The serving process (the server options' `instanceID`).
    public var instance: String
    /// The configuration version in force (``PolicyHolder``'s version).
    public var configVersion: Int
    /// The name in the header.
    public var serviceName: String
    public var queue: QueueFigures
    /// The horizon of the at-risk list (targets due within it, and the breached ones).
    public var atRiskWithin: Duration
    public var atRisk: [AtRiskRow]
    public var vendorLoad: [VendorLoadRow]
    /// The most recent decisions.
    public var decisions: [DecisionRow]
    /// The most recent dead letters (``QueueFigures/deadLetters`` counts them all).
    public var deadLetters: [DeadLetterRow]

    /// The snapshot as given.
    public init(
        renderedAt: Date, instance: String, configVersion: Int, serviceName: String = "triage", queue: QueueFigures,
        atRiskWithin: Duration = .seconds(30 * 60), atRisk: [AtRiskRow], vendorLoad: [VendorLoadRow],
        decisions: [DecisionRow], deadLetters: [DeadLetterRow]
    ) {
        self.renderedAt = renderedAt
        self.instance = instance
        self.configVersion = configVersion
        self.serviceName = serviceName
        self.queue = queue
        self.atRiskWithin = atRiskWithin
        self.atRisk = atRisk
        self.vendorLoad = vendorLoad
        self.decisions = decisions
        self.deadLetters = deadLetters
    }
}
