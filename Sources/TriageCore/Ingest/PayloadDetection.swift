/// Guesses which kind of webhook a JSON body is, from the keys each sender always puts at the
/// top level; for files given to `triage dry-run` without `--source`.
public enum PayloadDetection {
    public static func kind(of value: JSONValue) -> SourceKind? {
        guard case .object(let root) = value else { return nil }
        let keys = Set(root.keys)
        if keys.contains("webhookEvent") { return .jira }
        if keys.contains("evalMatches") || keys.contains("ruleName") || keys.contains("orgId") { return .grafana }
        if keys.contains("alerts"), keys.contains("receiver") || keys.contains("groupKey") { return .alertmanager }
        if keys.contains("routing_key") || keys.contains("event_action") { return .pagerdutyEvents }
        if case .object(let event) = root["event"], event["event_type"] != nil { return .pagerdutyWebhook }
        if keys.contains("alert"), keys.contains("action") { return .opsgenie }
        if keys.contains("issue"), keys.contains("repository") { return .github }
        if keys.contains("ticket") { return .zendesk }
        if keys.contains("result") || keys.contains("sys_id") { return .servicenow }
        if keys.contains("title") { return .generic }
        return nil
    }
}
