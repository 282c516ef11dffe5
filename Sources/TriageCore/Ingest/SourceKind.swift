import FoundationEssentials

/// The payload formats the receiver understands; each source in `sources.yaml` names one.
public enum SourceKind: String, Sendable, Codable, CaseIterable {
    /// The documented generic JSON, or any JSON through a ``FieldMapping`` (``GenericPayload``).
    case generic
    /// Prometheus Alertmanager webhook v4 (``AlertmanagerPayload``).
    case alertmanager
    /// Grafana alerting webhooks, unified (8+) and legacy (``GrafanaPayload``).
    case grafana
    /// PagerDuty Events API v2 bodies (``PagerDutyEventsPayload``).
    case pagerdutyEvents = "pagerduty-events"
    /// PagerDuty Webhooks v3 (``PagerDutyWebhookPayload``).
    case pagerdutyWebhook = "pagerduty-webhook"
    /// Opsgenie outgoing webhooks (``OpsgeniePayload``).
    case opsgenie
    /// Jira issue webhooks (``JiraPayload``).
    case jira
    /// GitHub `issues` events (``GitHubPayload``).
    case github
    /// ServiceNow incident records (``ServiceNowPayload``).
    case servicenow
    /// Zendesk tickets (``ZendeskPayload``).
    case zendesk

    /// Decodes a webhook body of this kind: parse (400 errors), then read the fields (422 errors).
    ///
    /// An empty result is not an error: the body was an event this kind ignores (a GitHub `ping`,
    /// a PagerDuty event about something other than an incident, a Jira comment).
    public func drafts(
        from body: [UInt8], source: String, mapping: FieldMapping? = nil, now: Date
    ) throws(PayloadError) -> [IncidentDraft] {
        let root = JSONCursor(try JSONValue.parse(body))
        switch self {
        case .generic: return try GenericPayload.drafts(from: root, source: source, mapping: mapping, now: now)
        case .alertmanager: return try AlertmanagerPayload.drafts(from: root, source: source, now: now)
        case .grafana: return try GrafanaPayload.drafts(from: root, source: source, now: now)
        case .pagerdutyEvents: return try PagerDutyEventsPayload.drafts(from: root, source: source, now: now)
        case .pagerdutyWebhook: return try PagerDutyWebhookPayload.drafts(from: root, source: source, now: now)
        case .opsgenie: return try OpsgeniePayload.drafts(from: root, source: source, now: now)
        case .jira: return try JiraPayload.drafts(from: root, source: source, now: now)
        case .github: return try GitHubPayload.drafts(from: root, source: source, now: now)
        case .servicenow: return try ServiceNowPayload.drafts(from: root, source: source, now: now)
        case .zendesk: return try ZendeskPayload.drafts(from: root, source: source, now: now)
        }
    }
}
