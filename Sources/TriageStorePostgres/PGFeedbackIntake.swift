import Foundation
import Logging
import PostgresNIO
import TriageCore
import TriageEngine

/// A vendor's own webhook events, inside the intake transaction: each is matched to the incident
/// we sent that vendor and applied through the lifecycle state machine; nothing is created. The
/// same matching and outcomes as the SQLite store's `FeedbackIntake`.
struct PGFeedbackIntake {
    let c: PostgresConnection
    let feedback: VendorFeedback
    let raw: RawPayload
    let logger: Logger

    /// What happened to each draft; drafts that match no incident are left out (the raw payload
    /// is kept all the same).
    func apply(_ drafts: [IncidentDraft]) async throws -> [AcceptedIncident] {
        var accepted: [AcceptedIncident] = []
        for (index, draft) in drafts.enumerated() {
            guard let id = try await match(draft) else { continue }
            let action = feedback.action(for: draft)
            let event = raw.deliveryID.map { "\($0)#\(index)" }
            var comment = "\(raw.source) event '\(draft.action.rawValue)' for ticket \(draft.externalID ?? draft.dedupKey)"
            if let status = draft.labels["status"] ?? draft.labels["state"] { comment += ", status '\(status)'" }
            let outcome = try await PostgresStore.apply(
                c,
                LifecycleRequest(
                    incidentID: id, action: action, sender: "source:\(raw.source)", eventID: event,
                    actor: "vendor:\(feedback.vendor)", comment: comment, at: raw.receivedAt),
                logger: logger)
            switch outcome {
            case .applied where action == .acknowledge: accepted.append(AcceptedIncident(id: id, outcome: .acknowledged))
            case .applied where action == .resolve: accepted.append(AcceptedIncident(id: id, outcome: .resolved))
            case .applied where action == .reopen: accepted.append(AcceptedIncident(id: id, outcome: .reopened))
            case .applied: accepted.append(AcceptedIncident(id: id, outcome: .updated))
            case .duplicate, .refused, .unknownIncident: accepted.append(AcceptedIncident(id: id, outcome: .ignored))
            }
        }
        return accepted
    }

    /// The incident this vendor event is about: by the vendor's ticket id recorded at delivery,
    /// else by one of our incident ids quoted in it, assigned to this vendor.
    func match(_ draft: IncidentDraft) async throws -> IncidentID? {
        for reference in [draft.externalID, draft.dedupKey].compactMap({ $0 }) {
            if let key = try await c.row(
                """
                SELECT incidentId FROM outboxMessage WHERE vendor = \(feedback.vendor) AND externalRef = \(reference)
                ORDER BY createdAt DESC LIMIT 1
                """, logger: logger)?.get("incidentid", as: String.self),
                let id = IncidentID(key)
            {
                return id
            }
        }
        for id in VendorFeedback.quotedIncidentIDs(in: draft) {
            let vendor = try await c.row(
                "SELECT vendor FROM decision WHERE incidentId = \(id.rawValue)", logger: logger)?.get("vendor", as: String?.self)
            if vendor == feedback.vendor { return id }
        }
        return nil
    }
}
