import Foundation
import TriageCore

/// Durable intake: the receiver hands every decoded webhook to this port before it answers 2xx.
public protocol IncidentStore: Sendable {
    /// Stores the raw payload, each new incident and a work-queue row for it, in one transaction.
    ///
    /// A draft whose dedup key matches an open incident of the same source updates that incident
    /// (and resolves it when the draft says resolved) instead of opening a second one.
    /// - Returns: One entry per draft, in order.
    func accept(_ drafts: [IncidentDraft], raw: RawPayload) async throws -> [AcceptedIncident]

    /// Keeps a webhook body that could not be used, with the reason, so nothing sent is lost.
    func recordRejected(_ raw: RawPayload, reason: String) async throws

    /// The incident with its decision, deliveries, timers and events; `nil` when unknown.
    func incident(_ id: IncidentID) async throws -> IncidentDetail?

    /// Whether the store answers (for `/readyz`).
    func ping() async throws
}

/// A webhook body exactly as received.
public struct RawPayload: Sendable, Equatable {
    public var source: String
    public var contentType: String?
    public var body: [UInt8]
    public var receivedAt: Date

    public init(source: String, contentType: String?, body: [UInt8], receivedAt: Date) {
        self.source = source
        self.contentType = contentType
        self.body = body
        self.receivedAt = receivedAt
    }
}

/// What `accept` did with one draft.
public struct AcceptedIncident: Sendable, Equatable, Codable {
    public enum Outcome: String, Sendable, Codable {
        /// A new incident, queued for triage.
        case created
        /// Same dedup key as an open incident: that incident was updated, nothing new queued.
        case deduplicated
        /// The draft resolved the open incident with its dedup key.
        case resolved
        /// A resolution for which no open incident existed: stored as a resolved incident.
        case storedResolved = "stored_resolved"
    }

    public var id: IncidentID
    public var outcome: Outcome

    public init(id: IncidentID, outcome: Outcome) {
        self.id = id
        self.outcome = outcome
    }
}
