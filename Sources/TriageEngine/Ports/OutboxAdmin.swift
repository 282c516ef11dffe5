import Foundation
import TriageCore

/// Operators' view of the outbox: what is pending, delivered, dead-lettered or dropped, and the
/// two things they can do about a message: send it again, or drop it (with a reason).
public protocol OutboxAdmin: Sendable {
    /// Messages, newest first, optionally of one status (`pending`, `delivered`, `dead`, `dropped`).
    func outboxEntries(status: String?, limit: Int) async throws -> [OutboxEntry]
    /// Puts a dead (or dropped) message back in the queue, due now. `false` when there is no such
    /// message or it is pending or delivered.
    func retryMessage(_ id: String, now: Date) async throws -> Bool
    /// Stops a pending or dead message for good. `false` when there is no such message or it was delivered.
    func dropMessage(_ id: String, reason: String, now: Date) async throws -> Bool
}

/// One outbox message as operators see it.
public struct OutboxEntry: Sendable, Codable, Equatable {
    public var id: String
    public var incidentID: String
    public var vendor: String
    public var endpoint: String
    public var status: String
    public var attempts: Int
    public var nextAttemptAt: Date?
    public var createdAt: Date
    public var deliveredAt: Date?
    /// Why it was dead-lettered or dropped.
    public var reason: String?

    public init(
        id: String, incidentID: String, vendor: String, endpoint: String, status: String, attempts: Int,
        nextAttemptAt: Date?, createdAt: Date, deliveredAt: Date?, reason: String?
    ) {
        self.id = id
        self.incidentID = incidentID
        self.vendor = vendor
        self.endpoint = endpoint
        self.status = status
        self.attempts = attempts
        self.nextAttemptAt = nextAttemptAt
        self.createdAt = createdAt
        self.deliveredAt = deliveredAt
        self.reason = reason
    }
}
