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
    ///
    /// With `capacity`, the store arbitrates the vendor's limits: when counting the assignment
    /// would take the vendor's open incidents (all, or of the decision's priority) past them, it
    /// writes nothing and throws ``WorkQueueError/atCapacity(vendor:open:capacity:)``, so workers
    /// assigning at once in several processes never overrun a vendor (the worker decides again).
    func complete(
        _ item: WorkItem, decision: Decision, outbox: [NewOutboxMessage], clock: SLAClockStart?, capacity: CapacityLimit?,
        now: Date
    ) async throws

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

extension WorkQueue {
    /// Completes without a capacity check.
    public func complete(_ item: WorkItem, decision: Decision, outbox: [NewOutboxMessage], clock: SLAClockStart?, now: Date)
        async throws
    {
        try await complete(item, decision: decision, outbox: outbox, clock: clock, capacity: nil, now: now)
    }
}

/// A vendor's limits on open incidents, checked by the store when it counts an assignment.
public struct CapacityLimit: Sendable, Equatable {
    public var vendor: String
    public var priority: Priority
    /// Open incidents at most (``Vendor/capacity``).
    public var total: Int?
    /// Open incidents of `priority` at most (``Vendor/capacityByPriority``).
    public var forPriority: Int?

    public init(vendor: String, priority: Priority, total: Int?, forPriority: Int?) {
        self.vendor = vendor
        self.priority = priority
        self.total = total
        self.forPriority = forPriority
    }

    /// The limits of `vendor` for `priority`; `nil` when it has none.
    public init?(_ vendor: Vendor, priority: Priority) {
        let forPriority = vendor.capacityByPriority[priority]
        guard vendor.capacity != nil || forPriority != nil else { return nil }
        self.init(vendor: vendor.name, priority: priority, total: vendor.capacity, forPriority: forPriority)
    }

    /// Why one more assignment does not fit, given the open counts; `nil` when it fits.
    public func overrun(open: Int, openOfPriority: Int) -> WorkQueueError? {
        if let total, open >= total { return .atCapacity(vendor: vendor, open: open, capacity: total) }
        if let forPriority, openOfPriority >= forPriority {
            return .atCapacity(vendor: vendor, open: openOfPriority, capacity: forPriority)
        }
        return nil
    }
}

public enum WorkQueueError: Error, Equatable {
    /// The lease expired and another owner claimed the item.
    case leaseLost(IncidentID)
    /// Another worker's assignments filled the vendor up since this decision read its load.
    case atCapacity(vendor: String, open: Int, capacity: Int)
}
