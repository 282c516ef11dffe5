import Foundation
import GRDB
import TriageCore
import TriageEngine

/// A vendor's own webhook events, inside the intake transaction: each is matched to the incident
/// we sent that vendor and applied through the lifecycle state machine; nothing is created.
struct FeedbackIntake {
    let db: Database
    let feedback: VendorFeedback
    let raw: RawPayload

    /// What happened to each draft; drafts that match no incident are left out (the raw payload
    /// is kept all the same).
    func apply(_ drafts: [IncidentDraft]) throws -> [AcceptedIncident] {
        try drafts.enumerated().compactMap { index, draft in
            guard let id = try match(draft) else { return nil }
            let action = feedback.action(for: draft)
            let event = raw.deliveryID.map { "\($0)#\(index)" }
            var comment = "\(raw.source) event '\(draft.action.rawValue)' for ticket \(draft.externalID ?? draft.dedupKey)"
            if let status = draft.labels["status"] ?? draft.labels["state"] { comment += ", status '\(status)'" }
            let outcome = try SQLiteStore.apply(
                db,
                LifecycleRequest(
                    incidentID: id, action: action, sender: "source:\(raw.source)", eventID: event,
                    actor: "vendor:\(feedback.vendor)", comment: comment, at: raw.receivedAt))
            switch outcome {
            case .applied where action == .acknowledge: return AcceptedIncident(id: id, outcome: .acknowledged)
            case .applied where action == .resolve: return AcceptedIncident(id: id, outcome: .resolved)
            case .applied where action == .reopen: return AcceptedIncident(id: id, outcome: .reopened)
            case .applied: return AcceptedIncident(id: id, outcome: .updated)
            case .duplicate, .refused, .unknownIncident: return AcceptedIncident(id: id, outcome: .ignored)
            }
        }
    }

    /// The incident this vendor event is about: by the vendor's ticket id recorded at delivery,
    /// else by one of our incident ids quoted in it, assigned to this vendor.
    func match(_ draft: IncidentDraft) throws -> IncidentID? {
        for reference in [draft.externalID, draft.dedupKey].compactMap({ $0 }) {
            if let key = try String.fetchOne(
                db,
                sql: """
                    SELECT incidentId FROM outboxMessage WHERE vendor = ? AND externalRef = ?
                    ORDER BY createdAt DESC LIMIT 1
                    """, arguments: [feedback.vendor, reference]),
                let id = IncidentID(key)
            {
                return id
            }
        }
        for id in VendorFeedback.quotedIncidentIDs(in: draft) {
            let vendor = try String.fetchOne(db, sql: "SELECT vendor FROM decision WHERE incidentId = ?", arguments: [id.rawValue])
            if vendor == feedback.vendor { return id }
        }
        return nil
    }
}
