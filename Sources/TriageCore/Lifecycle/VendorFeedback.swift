/// A source that carries a vendor's own news about incidents we sent it (its Jira, ServiceNow,
/// GitHub, Opsgenie or PagerDuty webhooks) rather than new incidents.
///
/// Each event is matched to our incident by the vendor's ticket id we recorded when we delivered
/// to it (the `key` of the Jira issue its API created, the ServiceNow `sys_id`, …), else by our
/// incident id quoted in the ticket (every payload we send carries it). Acknowledge, resolve and
/// reopen events apply as such; an update's status is looked up in `statuses`.
///
/// ```yaml
/// - name: acme-jira
///   kind: jira
///   feedback:
///     vendor: acme-dba
///     statuses: {"In Progress": acknowledge, "Waiting for customer": pause, "Done": resolve}
/// ```
public struct VendorFeedback: Sendable, Equatable {
    public var vendor: String
    /// Lower-cased status (or ServiceNow `state`) → action.
    public var statuses: [String: LifecycleAction]

    public init(vendor: String, statuses: [String: LifecycleAction] = [:]) {
        self.vendor = vendor
        self.statuses = Dictionary(statuses.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { first, _ in first })
    }

    /// The action a vendor event stands for; `comment` when it only tells something.
    public func action(for draft: IncidentDraft) -> LifecycleAction {
        switch draft.action {
        case .acknowledge: return .acknowledge
        case .resolve: return .resolve
        case .trigger, .update:
            let status = (draft.labels["status"] ?? draft.labels["state"])?.lowercased()
            return status.flatMap { statuses[$0] } ?? .comment
        }
    }

    /// Incident ids quoted anywhere in the draft's text (26-character ULIDs), first first.
    public static func quotedIncidentIDs(in draft: IncidentDraft) -> [IncidentID] {
        let texts = [draft.externalID ?? "", draft.dedupKey, draft.title, draft.description] + draft.labels.values.sorted()
        var found: [IncidentID] = []
        for text in texts {
            var run = ""
            for character in text + " " {
                if character.isASCII, character.isLetter || character.isNumber {
                    run.append(character)
                    continue
                }
                if run.count == 26, let id = IncidentID(run.uppercased()), !found.contains(id) { found.append(id) }
                run = ""
            }
        }
        return found
    }
}
