import Foundation
import TriageCore

/// Durable intake: the receiver hands every decoded webhook to this port before it answers 2xx.
public protocol IncidentStore: Sendable {
    /// Stores the raw payload and applies each draft to the incidents, in one transaction that is
    /// on disk when this returns. Concurrent calls may share a transaction (group commit).
    ///
    /// A draft whose dedup key matches an open incident of the same source updates that incident
    /// (occurrences, last seen, severity, status) instead of opening a second one; a trigger that
    /// matches a recently resolved incident reopens it when the source's ``RefirePolicy`` says so.
    /// A delivery id seen before for the source makes the whole request a replay: nothing is stored.
    func accept(_ intake: Intake) async throws -> IntakeReceipt

    /// Keeps a webhook body that could not be used, with the reason; the oldest beyond `keep` are pruned.
    func recordRejected(_ rejected: RejectedPayload, keep: Int) async throws

    /// The most recent rejected payloads, newest first.
    func rejectedPayloads(source: String?, limit: Int) async throws -> [RejectedPayload]

    /// The incident with its decision, deliveries, timers and events; `nil` when unknown.
    func incident(_ id: IncidentID) async throws -> IncidentDetail?

    /// Whether the store answers (for `/readyz`).
    func ping() async throws
}

extension IncidentStore {
    /// Accepts drafts with the default re-fire policy (tests and simple callers).
    public func accept(_ drafts: [IncidentDraft], raw: RawPayload) async throws -> [AcceptedIncident] {
        try await accept(Intake(drafts: drafts, raw: raw)).incidents
    }

    public func recordRejected(_ raw: RawPayload, reason: String) async throws {
        try await recordRejected(
            RejectedPayload(raw: raw, status: 400, reason: reason, maxBodyBytes: RejectedPayload.keptBodyBytes),
            keep: 10_000)
    }
}

/// One webhook request's worth of drafts with its raw payload and the source's re-fire policy.
public struct Intake: Sendable {
    public var drafts: [IncidentDraft]
    public var raw: RawPayload
    public var refire: RefirePolicy
    /// Set for a vendor's feedback source: drafts are matched to existing incidents, never created.
    public var feedback: VendorFeedback?

    public init(
        drafts: [IncidentDraft], raw: RawPayload, refire: RefirePolicy = .reopen(within: 86_400), feedback: VendorFeedback? = nil
    ) {
        self.drafts = drafts
        self.raw = raw
        self.refire = refire
        self.feedback = feedback
    }
}

/// What `accept` did with a request.
public struct IntakeReceipt: Sendable, Equatable {
    /// One entry per draft, in order; empty for a replayed delivery.
    public var incidents: [AcceptedIncident]
    /// The request's delivery id had been seen before: nothing was stored.
    public var replayedDelivery: Bool

    public init(incidents: [AcceptedIncident], replayedDelivery: Bool = false) {
        self.incidents = incidents
        self.replayedDelivery = replayedDelivery
    }
}

/// A webhook body exactly as received.
public struct RawPayload: Sendable, Equatable {
    public var source: String
    public var contentType: String?
    public var body: [UInt8]
    public var receivedAt: Date
    /// The sender's delivery id (for example `X-GitHub-Delivery`), remembered to drop replays.
    public var deliveryID: String?

    public init(source: String, contentType: String?, body: [UInt8], receivedAt: Date, deliveryID: String? = nil) {
        self.source = source
        self.contentType = contentType
        self.body = body
        self.receivedAt = receivedAt
        self.deliveryID = deliveryID
    }
}

/// What `accept` did with one draft.
public struct AcceptedIncident: Sendable, Equatable, Codable {
    public enum Outcome: String, Sendable, Codable {
        /// A new incident, queued for triage.
        case created
        /// A trigger with the dedup key of an open incident: its occurrence count and last-seen time went up.
        case deduplicated
        /// An update (priority, title, labels…) applied to the open incident.
        case updated
        /// The open incident is now acknowledged.
        case acknowledged
        /// The draft resolved the open incident with its dedup key.
        case resolved
        /// A trigger for a recently resolved incident: it is open again and queued for triage.
        case reopened
        /// A resolution for which no open incident existed: stored as a resolved incident.
        case storedResolved = "stored_resolved"
        /// An update or acknowledgement of an incident already resolved: recorded, nothing changed.
        case ignored
    }

    public var id: IncidentID
    public var outcome: Outcome

    public init(id: IncidentID, outcome: Outcome) {
        self.id = id
        self.outcome = outcome
    }
}
