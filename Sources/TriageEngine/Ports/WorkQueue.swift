import Foundation
import TriageCore

/// Incidents waiting for triage. Claims are leases: an item whose worker dies is claimable again
/// once its lease runs out, so a crash mid-triage re-delivers the item rather than losing it.
public protocol WorkQueue: Sendable {
    /// Leases up to `limit` queued items (or items whose lease expired) to `owner` until `now + lease`.
    func claim(limit: Int, owner: String, now: Date, lease: Duration) async throws -> [WorkItem]

    /// Writes the decision, its outbox messages and SLA timers, and marks the item done, in one
    /// transaction. Throws ``WorkQueueError/leaseLost`` when `owner` no longer holds the lease
    /// (another worker took the item over): nothing is written then.
    func complete(_ item: WorkItem, decision: Decision, outbox: [NewOutboxMessage], clock: SLAClockStart?, now: Date)
        async throws

    /// Gives the item back after a failure: queued again at `retryAt`, or marked failed when `nil`.
    func release(_ item: WorkItem, error: String, retryAt: Date?, now: Date) async throws
}

/// A leased work-queue item.
public struct WorkItem: Sendable, Equatable {
    public var incident: Incident
    /// How many times the item has been claimed, this claim included.
    public var attempt: Int
    public var owner: String
    /// 1 for the first triage, one more each time a re-fire reopens the incident.
    public var round: Int

    public init(incident: Incident, attempt: Int, owner: String, round: Int = 1) {
        self.incident = incident
        self.attempt = attempt
        self.owner = owner
        self.round = round
    }
}

/// A message the worker asks the dispatcher to deliver.
public struct NewOutboxMessage: Sendable, Equatable {
    public var id: String
    public var vendor: String
    public var endpoint: String
    public var body: [UInt8]
    /// POST for vendors; a write-back may PATCH or PUT.
    public var method: String

    public init(id: String, vendor: String, endpoint: String, body: [UInt8], method: String = "POST") {
        self.id = id
        self.vendor = vendor
        self.endpoint = endpoint
        self.body = body
        self.method = method
    }
}

public enum WorkQueueError: Error, Equatable {
    /// The lease expired and another owner claimed the item.
    case leaseLost(IncidentID)
}
