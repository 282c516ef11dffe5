import TriageCore
import Yams

/// `sources.yaml`: which webhook paths exist, their payload kind, authentication, rate limit,
/// re-fire policy and (for `generic`) field mapping; plus the drop-in compatibility endpoints.
///
/// ```yaml
/// sources:
///   - name: github                 # served at POST /webhooks/github
///     kind: github
///     auth: {type: hmac, secret_env: TRIAGE_GITHUB_SECRET}
///     rate_limit: {per_second: 20, burst: 100}
///     refire: reopen               # reopen (within reopen_within, default 24h) | new
///     write_back:                  # post the assignment back to the issue (see WriteBackSection)
///       endpoint: https://api.github.com/repos/{label.repository}/issues/{external_number}/comments
///       format: github-comment
/// compatibility:
///   alertmanager_api: alertmanager      # POST /api/v2/alerts feeds this source
///   pagerduty_enqueue: pagerduty-events # POST /v2/enqueue feeds this source
/// max_body: 1048576
/// body_timeout: 30s                     # a body slower than this is answered 408
/// ```
enum SourcesSection {
    static let nameCharacters = Set("abcdefghijklmnopqrstuvwxyz0123456789-_")
    static let sourceKeys: Set<String> = [
        "name", "kind", "auth", "delivery_id_header", "rate_limit", "refire", "reopen_within", "mapping", "write_back", "feedback",
    ]

    static func read(_ file: YAMLFile, templates: Set<String> = []) -> (sources: [SourceDefinition], ingest: IngestSettings) {
        var ingest = IngestSettings()
        guard let root = file.root,
            let top = file.mapping(root, "sources.yaml", allowed: ["sources", "compatibility", "max_body", "keep_rejected", "body_timeout"])
        else {
            return ([], ingest)
        }
        guard let list = top["sources"] else {
            file.fail(root, "sources.yaml needs a 'sources' list")
            return ([], ingest)
        }
        var seen: Set<String> = []
        var result: [SourceDefinition] = []
        for node in file.sequence(list, "sources") {
            if let source = readSource(node, file: file, templates: templates, seen: &seen) { result.append(source) }
        }
        if let bytes = file.int(top["max_body"], "max_body") {
            if bytes < 1024 { file.fail(top["max_body"], "max_body must be at least 1024 bytes") } else {
                ingest.maxBodyBytes = bytes
            }
        }
        if let timeout = file.duration(top["body_timeout"], "body_timeout") {
            if timeout < .seconds(1) || timeout > .seconds(600) {
                file.fail(top["body_timeout"], "body_timeout must be between 1s and 10m")
            } else {
                ingest.bodyTimeout = timeout
            }
        }
        if let count = file.int(top["keep_rejected"], "keep_rejected") {
            if count < 0 { file.fail(top["keep_rejected"], "keep_rejected must not be negative") } else {
                ingest.keepRejected = count
            }
        }
        if let node = top["compatibility"],
            let map = file.mapping(node, "compatibility", allowed: ["alertmanager_api", "pagerduty_enqueue"])
        {
            ingest.alertmanagerAPISource = compatSource(
                map["alertmanager_api"], "compatibility.alertmanager_api", kind: .alertmanager, in: result, file: file)
            ingest.pagerDutyEnqueueSource = compatSource(
                map["pagerduty_enqueue"], "compatibility.pagerduty_enqueue", kind: .pagerdutyEvents, in: result,
                file: file)
        }
        return (result, ingest)
    }

    static func readSource(_ node: Node, file: YAMLFile, templates: Set<String>, seen: inout Set<String>) -> SourceDefinition? {
        guard let map = file.mapping(node, "source", allowed: sourceKeys) else { return nil }
        let name = file.requiredString(map, "name", in: node, "source")
        let kindText = file.requiredString(map, "kind", in: node, "source")
        if let name {
            if !name.allSatisfy({ nameCharacters.contains($0) }) {
                file.fail(map["name"], "source name '\(name)' may use only a-z, 0-9, '-' and '_'")
            } else if !seen.insert(name).inserted {
                file.fail(map["name"], "source '\(name)' is defined twice")
            }
        }
        var kind: SourceKind?
        if let kindText {
            kind = SourceKind(rawValue: kindText)
            if kind == nil {
                let known = SourceKind.allCases.map(\.rawValue).joined(separator: ", ")
                file.fail(map["kind"], "unknown source kind '\(kindText)' (known: \(known))")
            }
        }
        let auth = SourceOptionsSection.auth(map["auth"], kind: kind, file: file)
        var deliveryHeader = file.string(map["delivery_id_header"], "source.delivery_id_header")
        if deliveryHeader == nil, kind == .github { deliveryHeader = "X-GitHub-Delivery" }
        let rateLimit = SourceOptionsSection.rateLimit(map["rate_limit"], file: file)
        let refire = SourceOptionsSection.refire(map["refire"], within: map["reopen_within"], file: file)
        var mapping: FieldMapping?
        if let node = map["mapping"] {
            if kind != nil, kind != .generic {
                file.fail(node, "mapping is only for sources of kind 'generic'")
            } else {
                mapping = FieldMappingSection.read(node, file: file)
            }
        }
        let writeBack = WriteBackSection.read(
            map["write_back"], source: name ?? "?", kind: kind, templates: templates, file: file)
        guard let name, let kind else { return nil }
        var source = SourceDefinition(
            name: name, kind: kind, auth: auth ?? .none, deliveryIDHeader: deliveryHeader, rateLimit: rateLimit,
            refire: refire, mapping: mapping)
        source.writeBack = writeBack
        source.feedback = readFeedback(map["feedback"], source: name, file: file)
        return source
    }

    static func compatSource(
        _ node: Node?, _ what: String, kind: SourceKind, in sources: [SourceDefinition], file: YAMLFile
    ) -> String? {
        guard let name = file.string(node, what) else { return nil }
        guard let source = sources.first(where: { $0.name == name }) else {
            file.fail(node, "\(what) names source '\(name)', which is not defined")
            return nil
        }
        guard source.kind == kind else {
            file.fail(node, "\(what) needs a source of kind '\(kind.rawValue)'; '\(name)' is '\(source.kind.rawValue)'")
            return nil
        }
        return name
    }

    /// `feedback: {vendor: acme-dba, statuses: {"In Progress": acknowledge, "Done": resolve}}`.
    static func readFeedback(_ node: Node?, source: String, file: YAMLFile) -> VendorFeedback? {
        guard let node, let map = file.mapping(node, "feedback of source '\(source)'", allowed: ["vendor", "statuses"]),
            let vendor = file.requiredString(map, "vendor", in: node, "feedback of source '\(source)'")
        else { return nil }
        let allowed: [LifecycleAction] = [.acknowledge, .resolve, .close, .reopen, .pause, .resume, .comment, .reassignRequest]
        var statuses: [String: LifecycleAction] = [:]
        if let statusNode = map["statuses"] {
            guard let pairs = statusNode.mapping else {
                file.fail(statusNode, "feedback.statuses must map a status to an action")
                return VendorFeedback(vendor: vendor)
            }
            for (key, value) in pairs {
                guard let status = key.string, let text = file.string(value, "feedback.statuses.\(key.string ?? "?")") else { continue }
                guard let action = LifecycleAction(rawValue: text), allowed.contains(action) else {
                    file.fail(value, "feedback status '\(status)': '\(text)' is not one of \(allowed.map(\.rawValue).joined(separator: ", "))")
                    continue
                }
                statuses[status] = action
            }
        }
        return VendorFeedback(vendor: vendor, statuses: statuses)
    }
}
