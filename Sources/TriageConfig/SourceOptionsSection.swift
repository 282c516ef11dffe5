import TriageCore
import Yams

/// The per-source options in `sources.yaml`: `auth`, `rate_limit`, `refire`.
///
/// ```yaml
/// auth: {type: bearer, secret_env: TRIAGE_GENERIC_TOKEN}
/// auth: {type: basic, username: prometheus, password_env: TRIAGE_AM_PASSWORD}
/// auth: {type: hmac, secret_env: TRIAGE_GITHUB_SECRET}            # X-Hub-Signature-256: sha256=<hex>
/// auth: {type: hmac, secret_env: TRIAGE_GRAFANA_SECRET, header: X-Grafana-Alerting-Signature,
///        prefix: "", timestamp_header: X-Grafana-Alerting-Timestamp, tolerance: 5m}
/// auth: {type: routing_key, secret_env: TRIAGE_PD_ROUTING_KEY}    # pagerduty-events only
/// auth: {type: none}                                              # loopback senders only
/// ```
enum SourceOptionsSection {
    static let authKeys: Set<String> = [
        "type", "secret_env", "username", "password_env", "header", "prefix", "encoding", "timestamp_header",
        "tolerance",
    ]

    static func auth(_ node: Node?, kind: SourceKind?, file: YAMLFile) -> SourceAuth? {
        guard let node, let map = file.mapping(node, "auth", allowed: authKeys) else { return nil }
        guard let type = file.requiredString(map, "type", in: node, "auth") else { return nil }
        func secret(_ key: String) -> String? {
            guard let name = file.requiredString(map, key, in: node, "auth") else { return nil }
            if !name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) {
                file.fail(map[key], "auth.\(key) must name an environment variable (letters, digits, '_'), not hold a secret")
                return nil
            }
            return name
        }
        func reject(_ keys: [String]) {
            for key in keys where map[key] != nil {
                file.fail(map[key], "auth.\(key) does not apply to type '\(type)'")
            }
        }
        switch type {
        case "none":
            reject(Array(authKeys.subtracting(["type"])).sorted())
            return SourceAuth.none
        case "bearer":
            reject(["username", "password_env", "header", "prefix", "encoding", "timestamp_header", "tolerance"])
            return secret("secret_env").map { .bearer(secretEnv: $0) }
        case "basic":
            reject(["secret_env", "header", "prefix", "encoding", "timestamp_header", "tolerance"])
            let username = file.requiredString(map, "username", in: node, "auth")
            guard let username, let password = secret("password_env") else { return nil }
            return .basic(username: username, passwordEnv: password)
        case "routing_key":
            reject(["username", "password_env", "header", "prefix", "encoding", "timestamp_header", "tolerance"])
            if let kind, kind != .pagerdutyEvents {
                file.fail(map["type"], "auth type 'routing_key' is only for sources of kind 'pagerduty-events'")
            }
            return secret("secret_env").map { .routingKey(secretEnv: $0) }
        case "hmac":
            reject(["username", "password_env"])
            return hmac(map, node: node, file: file, secretEnv: secret("secret_env"))
        default:
            file.fail(map["type"], "unknown auth type '\(type)' (known: none, bearer, basic, hmac, routing_key)")
            return nil
        }
    }

    static func hmac(_ map: Node.Mapping, node: Node, file: YAMLFile, secretEnv: String?) -> SourceAuth? {
        guard let secretEnv else { return nil }
        var scheme = HMACScheme(secretEnv: secretEnv)
        if let header = file.string(map["header"], "auth.header") { scheme.header = header }
        if let prefix = file.string(map["prefix"], "auth.prefix") { scheme.prefix = prefix }
        if let text = file.string(map["encoding"], "auth.encoding") {
            if let encoding = HMACScheme.Encoding(rawValue: text) { scheme.encoding = encoding } else {
                file.fail(map["encoding"], "auth.encoding '\(text)' is not hex or base64")
            }
        }
        scheme.timestampHeader = file.string(map["timestamp_header"], "auth.timestamp_header")
        if let tolerance = file.duration(map["tolerance"], "auth.tolerance") {
            if map["timestamp_header"] == nil {
                file.fail(map["tolerance"], "auth.tolerance needs auth.timestamp_header")
            }
            scheme.tolerance = tolerance.timeInterval
        }
        return .hmac(scheme)
    }

    static func rateLimit(_ node: Node?, file: YAMLFile) -> RateLimit? {
        guard let node, let map = file.mapping(node, "rate_limit", allowed: ["per_second", "burst"]) else {
            return nil
        }
        guard map["per_second"] != nil else {
            file.fail(node, "rate_limit needs 'per_second'")
            return nil
        }
        guard let perSecond = file.double(map["per_second"], "rate_limit.per_second") else { return nil }
        guard perSecond > 0 else {
            file.fail(map["per_second"], "rate_limit.per_second must be above 0")
            return nil
        }
        let burst = file.double(map["burst"], "rate_limit.burst") ?? max(1, perSecond)
        guard burst >= 1 else {
            file.fail(map["burst"], "rate_limit.burst must be at least 1")
            return nil
        }
        return RateLimit(perSecond: perSecond, burst: burst)
    }

    static func refire(_ node: Node?, within: Node?, file: YAMLFile) -> RefirePolicy {
        let window = file.duration(within, "source.reopen_within")?.timeInterval ?? 86_400
        switch file.string(node, "source.refire") {
        case nil, "reopen": return .reopen(within: window)
        case "new":
            if within != nil { file.fail(within, "source.reopen_within applies only to refire: reopen") }
            return .create
        case let other?:
            file.fail(node, "source.refire '\(other)' is not reopen or new")
            return .reopen(within: window)
        }
    }
}
