import Foundation
import TriageCore

/// Everything known about one incident, as the API shows it.
public struct IncidentDetail: Sendable, Codable, Equatable {
    public var incident: Incident
    /// Where the incident is in the work queue: queued, leased, done or failed.
    public var queueState: String?
    public var decision: Decision?
    public var deliveries: [DeliveryRecord]
    public var timers: [TimerRecord]
    public var events: [EventRecord]
    /// Where the incident is in its lifecycle (``IncidentPhase``); absent in archives from before it.
    public var phase: IncidentPhase?
    /// The vendor's own ticket id for it, learnt when it was delivered.
    public var vendorTicket: String?

    public init(
        incident: Incident,
        queueState: String?,
        decision: Decision?,
        deliveries: [DeliveryRecord],
        timers: [TimerRecord],
        events: [EventRecord]
    ) {
        self.incident = incident
        self.queueState = queueState
        self.decision = decision
        self.deliveries = deliveries
        self.timers = timers
        self.events = events
    }
}

/// One outbox message and its attempts.
public struct DeliveryRecord: Sendable, Codable, Equatable {
    public var messageID: String
    public var vendor: String
    public var endpoint: String
    /// pending, delivered or dead.
    public var status: String
    public var attempts: [DeliveryAttempt]
    public var nextAttemptAt: Date?
    public var deliveredAt: Date?

    public init(
        messageID: String,
        vendor: String,
        endpoint: String,
        status: String,
        attempts: [DeliveryAttempt],
        nextAttemptAt: Date?,
        deliveredAt: Date?
    ) {
        self.messageID = messageID
        self.vendor = vendor
        self.endpoint = endpoint
        self.status = status
        self.attempts = attempts
        self.nextAttemptAt = nextAttemptAt
        self.deliveredAt = deliveredAt
    }
}

/// One SLA timer as stored.
public struct TimerRecord: Sendable, Codable, Equatable {
    public var kind: SLATimer.Kind
    public var dueAt: Date
    /// pending, fired, stopped (its clock stopped or paused) or stale (the clocks moved on).
    public var status: String
    /// Escalation step index; `nil` or -1 for the deadline itself.
    public var step: Int?
    /// Label of the step (`resolve 75%`) or `resolve deadline`.
    public var label: String?
    public var occurrence: Int?
    /// Clock generation (a reassignment starts the next).
    public var generation: Int?
    public var firedAt: Date?
    /// Fired well after it was due (the service was down or behind).
    public var late: Bool?

    public init(
        kind: SLATimer.Kind, dueAt: Date, status: String, step: Int? = nil, label: String? = nil, occurrence: Int? = nil,
        generation: Int? = nil, firedAt: Date? = nil, late: Bool? = nil
    ) {
        self.kind = kind
        self.dueAt = dueAt
        self.status = status
        self.step = step
        self.label = label
        self.occurrence = occurrence
        self.generation = generation
        self.firedAt = firedAt
        self.late = late
    }
}

/// One line of an incident's history.
public struct EventRecord: Sendable, Codable, Equatable {
    public var at: Date
    public var kind: String
    public var detail: String

    public init(at: Date, kind: String, detail: String) {
        self.at = at
        self.kind = kind
        self.detail = detail
    }
}
