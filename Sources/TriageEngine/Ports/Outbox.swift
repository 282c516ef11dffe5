import Foundation
import TriageCore

/// Messages to deliver to vendors, with their attempts. Claims are leases, like the work queue.
public protocol Outbox: Sendable {
    /// Leases up to `limit` pending messages whose next attempt is due at `now`, skipping those
    /// for the `busy` endpoints (already at their concurrency limit here).
    func claimDue(limit: Int, owner: String, now: Date, lease: Duration, skipping busy: [String]) async throws
        -> [OutboxMessage]

    /// Records one attempt and what follows from it, in one transaction.
    func record(_ attempt: DeliveryAttempt, for message: OutboxMessage, then outcome: OutboxOutcome) async throws

    /// Gives a claimed message back without an attempt (its endpoint's breaker is open), due at `until`.
    func postpone(_ message: OutboxMessage, until: Date) async throws
}

extension Outbox {
    public func claimDue(limit: Int, owner: String, now: Date, lease: Duration) async throws -> [OutboxMessage] {
        try await claimDue(limit: limit, owner: owner, now: now, lease: lease, skipping: [])
    }
}

/// A leased outbox message.
public struct OutboxMessage: Sendable, Equatable {
    public var id: String
    public var incidentID: IncidentID
    public var vendor: String
    public var endpoint: String
    public var body: [UInt8]
    /// Attempts made before this claim.
    public var attempts: Int
    public var owner: String
    /// When the message was queued (for the maximum age of a delivery).
    public var createdAt: Date?
    public var method = "POST"

    public init(
        id: String,
        incidentID: IncidentID,
        vendor: String,
        endpoint: String,
        body: [UInt8],
        attempts: Int,
        owner: String
    ) {
        self.id = id
        self.incidentID = incidentID
        self.vendor = vendor
        self.endpoint = endpoint
        self.body = body
        self.attempts = attempts
        self.owner = owner
    }
}

/// One try at delivering a message.
public struct DeliveryAttempt: Sendable, Equatable, Codable {
    public var number: Int
    public var startedAt: Date
    public var durationMilliseconds: Int
    public var httpStatus: Int?
    /// `nil` when the attempt succeeded.
    public var failure: DeliveryFailure?
    /// The vendor's own id for what it created (a Jira issue key, a ServiceNow sys_id), read from
    /// its answer; the vendor's later webhooks are matched to the incident by it.
    public var externalRef: String?

    public init(
        number: Int,
        startedAt: Date,
        durationMilliseconds: Int,
        httpStatus: Int?,
        failure: DeliveryFailure?
    ) {
        self.number = number
        self.startedAt = startedAt
        self.durationMilliseconds = durationMilliseconds
        self.httpStatus = httpStatus
        self.failure = failure
    }
}

/// What becomes of a message after an attempt.
public enum OutboxOutcome: Sendable, Equatable {
    case delivered(at: Date)
    case retry(at: Date)
    /// Given up: the message moves to the dead-letter queue with the reason.
    case dead(reason: String, at: Date)
}
