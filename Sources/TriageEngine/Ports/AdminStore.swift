import Foundation
import TriageCore

/// What operators change at run time and the trail of what they did, shared by every instance.
public protocol AdminStore: Sendable {
    /// Takes `vendor` out of assignment (`reason` set) or puts it back (`nil`). Workers of every
    /// instance see it in the vendor states they read before each batch.
    func setVendorDisabled(_ vendor: String, reason: String?, actor: String, at: Date) async throws

    /// Appends one entry to the audit trail (never updated or deleted), sealed into the hash chain
    /// after the newest entry (``AuditChain``); the entry's own hashes are ignored. Appends from
    /// several instances are serialised so the chain stays one line.
    func audit(_ entry: AuditEntry) async throws

    /// The most recent entries, newest first.
    func auditTrail(limit: Int) async throws -> [AuditEntry]

    /// Up to `limit` entries with an id above `after`, oldest first (to verify or export the trail).
    func auditEntries(after: Int64, limit: Int) async throws -> [AuditEntry]
}

/// One call to the admin API or one operator action: who, when, what, on what, and how it ended.
public struct AuditEntry: Sendable, Codable, Equatable {
    public var id: Int64?
    public var at: Date
    /// `bearer` (an Authorization header was sent, right or wrong: the status tells), `unauthenticated`,
    /// or `vendor:NAME` for a vendor that named itself.
    public var actor: String
    /// `GET /api/incidents`, `POST /api/vendors/{name}/disable`, …
    public var action: String
    /// The request path (it names the incident, vendor or message).
    public var target: String
    /// The HTTP status answered.
    public var status: Int
    /// What was asked beyond the route (a reason, a filter), never a secret.
    public var detail: String
    /// The hash of the entry before this one (``AuditChain/genesis`` for the first); set by the store.
    public var previousHash: String
    /// SHA-256 over `previousHash` and this entry's fields (``AuditChain/hash(of:after:)``); set by the store.
    public var hash: String

    public init(
        id: Int64? = nil, at: Date, actor: String, action: String, target: String, status: Int, detail: String,
        previousHash: String = "", hash: String = ""
    ) {
        self.id = id
        self.at = at
        self.actor = actor
        self.action = action
        self.target = target
        self.status = status
        self.detail = detail
        self.previousHash = previousHash
        self.hash = hash
    }
}
