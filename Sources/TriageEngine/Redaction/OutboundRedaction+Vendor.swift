import Foundation
import TriageCore

extension OutboundRedaction {
    /// What `vendor` may see: its `fields:` allow-list and `redaction:` profile, hashing with
    /// HMAC-SHA256 under the profile's key.
    public init(vendor: Vendor) {
        self.init(profile: vendor.redaction, fields: vendor.fields)
    }

    /// A profile (and allow-list), hashing with HMAC-SHA256 under the profile's key.
    public init(profile: RedactionProfile?, fields: FieldAllowList? = nil) {
        self.init(profile: profile, fields: fields, keyedHash: RedactionHMAC.keyedHash(key: profile?.key))
    }
}

extension VendorMessage {
    /// The generic message built from an incident as a vendor may see it: fields the incident
    /// type cannot leave empty itself (`severity`, `occurred_at`) are sent empty when removed.
    init(messageID: String, applied: OutboundRedaction.Applied, decision: Decision, vendor: String) {
        var shown = decision
        shown.explanation = applied.explanation
        self.init(messageID: messageID, incident: applied.incident, decision: shown, vendor: vendor)
        if applied.removed.contains("severity") { incident.severity = "" }
        if applied.removed.contains("occurred_at") { incident.occurredAt = "" }
    }
}
