import TriageCore
import Yams

/// `notify:` in `vendors.yaml`: the named places escalation notices go besides the assigned
/// vendor, each with its own delivery options (the same ones a vendor endpoint takes).
///
/// ```yaml
/// notify:
///   duty-manager: {url: "https://hooks.example.com/duty", headers_env: {Authorization: DUTY_AUTH}}
///   on-call:
///     url: https://pager.example.com/hook
///     signing_secret_env: ONCALL_SIGNING_SECRET
///     ca_bundle: /etc/triage/pager-ca.pem     # verify its TLS certificate with this CA (PEM)
///     max_concurrency: 2                      # notices in flight to it at once
/// ```
/// Names use a-z, 0-9, '-' and '_'. `vendor` is reserved: in an escalation step,
/// `notify: vendor` means the vendor the incident is assigned to.
enum NotifySection {
    static let keys: Set<String> = Set(["url"]).union(DeliveryTargetSection.keys)
    /// The name a step uses for the assigned vendor; no endpoint may take it.
    static let vendor = "vendor"

    /// The endpoints in the order written. An endpoint with errors is still returned (the
    /// configuration fails anyway), so steps naming it do not also report it as undefined.
    static func read(_ node: Node?, file: YAMLFile) -> [NotifyEndpoint] {
        guard let node else { return [] }
        guard let map = node.mapping else {
            file.fail(node, "notify must map endpoint names to {url: …}")
            return []
        }
        var endpoints: [NotifyEndpoint] = []
        for (key, value) in map {
            guard let name = file.string(key, "notify endpoint name") else { continue }
            if name == vendor {
                file.fail(key, "notify endpoint name 'vendor' is reserved (notify: vendor sends to the assigned vendor)")
                continue
            }
            if name.isEmpty || !name.allSatisfy({ SourcesSection.nameCharacters.contains($0) }) {
                file.fail(key, "notify endpoint name '\(name)' may use only a-z, 0-9, '-' and '_'")
            }
            let what = "notify endpoint '\(name)'"
            guard let entry = file.mapping(value, what, allowed: keys) else {
                endpoints.append(NotifyEndpoint(name: name, url: ""))
                continue
            }
            let url = file.requiredString(entry, "url", in: value, what) ?? ""
            if !url.isEmpty, !(url.hasPrefix("http://") || url.hasPrefix("https://")) {
                file.fail(entry["url"], "\(what) url must start with http:// or https://")
            }
            let target = DeliveryTargetSection.read(entry, name: NotifyEndpoint.targetName(name), what: what, file: file)
            endpoints.append(NotifyEndpoint(name: name, url: url, target: target))
        }
        return endpoints
    }
}
