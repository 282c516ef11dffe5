import Foundation
import TriageCore

/// An operator's "give this incident to another vendor", with the reason: the decision says so,
/// the new vendor gets a delivery and the SLA clocks restart under its contract.
public struct Reassigner: Sendable {
    public enum Failure: Error, Equatable, CustomStringConvertible {
        case unknownIncident(String)
        case resolved(IncidentID)
        case unknownVendor(String, known: [String])
        case sameVendor(String)
        case notTriaged(IncidentID)

        public var description: String {
            switch self {
            case .unknownIncident(let id): "no incident \(id)"
            case .resolved(let id): "incident \(id) is resolved; reopen it first"
            case .unknownVendor(let name, let known): "no vendor '\(name)' (vendors: \(known.joined(separator: ", ")))"
            case .sameVendor(let name): "the incident is already assigned to '\(name)'"
            case .notTriaged(let id): "incident \(id) has not been triaged yet"
            }
        }
    }

    let policies: PolicyHolder
    let incidents: any IncidentStore
    let store: any ReassignmentStore

    public init(policies: PolicyHolder, incidents: any IncidentStore, store: any ReassignmentStore) {
        self.policies = policies
        self.incidents = incidents
        self.store = store
    }

    /// Reassigns incident `text` to `vendorName`; returns the new decision.
    public func reassign(_ text: String, to vendorName: String, reason: String, now: Date) async throws -> Decision {
        guard let id = IncidentID(text), let detail = try await incidents.incident(id) else {
            throw Failure.unknownIncident(text)
        }
        guard detail.incident.status.isOpen else { throw Failure.resolved(id) }
        guard var decision = detail.decision else { throw Failure.notTriaged(id) }
        let policy = policies.current
        guard let vendor = policy.assigner.vendors.first(where: { $0.name == vendorName }) else {
            throw Failure.unknownVendor(vendorName, known: policy.assigner.vendors.map(\.name))
        }
        guard decision.vendor != vendorName else { throw Failure.sameVendor(vendorName) }
        let previous = decision.vendor ?? "nobody"
        decision.vendor = vendorName
        decision.decidedAt = now
        decision.duplicateOf = nil
        let slaPolicy = decision.slaPolicy.flatMap { policy.rules.slaPolicies[$0] }
        decision.sla = SLAPlan.make(priority: decision.priority, vendor: vendor, now: now, policy: slaPolicy)
        decision.explanation.append("reassigned from '\(previous)' to '\(vendorName)' at \(RFC3339.format(now)): \(reason)")
        let messageID = "\(id.rawValue)-r\(detail.deliveries.count + 1)"
        // Built from the incident as the new vendor may see it (its allow-list and redaction profile).
        let redaction = OutboundRedaction(vendor: vendor)
        let applied = redaction.apply(to: detail.incident, explanation: decision.explanation)
        decision.redactions = redaction.isActive ? applied.summary : nil
        let body = try VendorMessage(messageID: messageID, applied: applied, decision: decision, vendor: vendorName).encoded()
        try await store.reassign(
            id, decision: decision,
            outbox: NewOutboxMessage(id: messageID, vendor: vendorName, endpoint: vendor.endpoint, body: body),
            clock: SLAClockStart(plan: decision.sla, now: now), reason: "from '\(previous)' to '\(vendorName)': \(reason)", now: now)
        return decision
    }
}
