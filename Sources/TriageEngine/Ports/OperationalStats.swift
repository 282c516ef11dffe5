import Foundation

/// What an operator watches of a store: the triage queue, the outbox, and whether the schema is
/// up to date. Read by ``StoreGauges`` (queue and outbox gauges) and by readiness (migrations).
public protocol OperationalStats: Sendable {
    /// The work queue and the outbox as they stand at `now`, read in one round trip.
    func queueStats(now: Date) async throws -> QueueStats

    /// Migrations this build knows that the database has not applied, oldest first. Empty once
    /// the store has opened (opening applies them); not empty when the database was swapped or
    /// restored underneath a running process.
    func pendingMigrations() async throws -> [String]
}

/// Counts of the work queue and the outbox at one instant.
public struct QueueStats: Sendable, Equatable {
    /// Items waiting to be claimed, those waiting for a retry after a failure included.
    public var queued: Int
    /// Items a worker holds right now (being triaged, or held by a worker that died until its lease runs out).
    public var leased: Int
    /// Since when the longest-waiting claimable item has been claimable: the earliest instant a
    /// queued item became due, or a leased item's lease ran out, no later than `now`. `nil` when
    /// no item is claimable (an item waiting for a later retry does not count).
    public var oldestQueuedAt: Date?
    /// Outbox messages not delivered yet (waiting, in flight or waiting for a retry).
    public var outboxPending: Int
    /// Outbox messages in the dead-letter queue (not the ones an operator dropped).
    public var outboxDead: Int

    public init(queued: Int = 0, leased: Int = 0, oldestQueuedAt: Date? = nil, outboxPending: Int = 0, outboxDead: Int = 0) {
        self.queued = queued
        self.leased = leased
        self.oldestQueuedAt = oldestQueuedAt
        self.outboxPending = outboxPending
        self.outboxDead = outboxDead
    }

    /// Incidents waiting for a committed decision: queued plus leased.
    public var depth: Int { queued + leased }

    /// Seconds the longest-waiting claimable item has waited at `now`; 0 when none waits.
    public func oldestAge(at now: Date) -> Double {
        guard let oldestQueuedAt else { return 0 }
        return max(0, now.timeIntervalSince(oldestQueuedAt))
    }
}
