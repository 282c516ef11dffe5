import TriageCore
import Yams

/// `vendors.yaml`: the vendors, their contracts, the default vendor and delivery settings.
///
/// ```yaml
/// default_vendor: globex
/// delivery: { max_attempts: 8, initial_backoff: 1s, max_backoff: 5m, connect_timeout: 5s, timeout: 15s }
/// vendors:
///   - name: acme
///     endpoint: https://acme.example/api/incidents
///     skills: [database, storage]
///     cost: 120
///     backup: globex
///     headers_env: { Authorization: ACME_AUTH_HEADER }
///     signing_secret_env: ACME_SIGNING_SECRET
///     ca_bundle: /etc/triage/acme-ca.pem   # verify its TLS certificate with this CA (PEM)
///     max_concurrency: 8                   # deliveries in flight to it at once (default 16)
///     sla:
///       P1: { acknowledge: 15m, resolve: 4h }
///       clock: business                      # or 24x7, or a calendar name (see SLATermsSection)
///       pause_on: [waiting-on-customer]
///       escalation: standard
/// escalations: {standard: [{at: 50%, notify: vendor}]}   # see EscalationsSection
/// notify: {duty-manager: {url: "https://hooks.example.com/duty"}}   # see NotifySection
/// redaction: {key_env: TRIAGE_REDACTION_KEY, profiles: {standard: {rules: [email, card]}}}   # see RedactionSection
/// # and per vendor: `redaction: standard` (profile) and `fields: [title, service, labels.env]` (allow-list)
/// ```
struct VendorsSection {
    var vendors: [Vendor] = []
    var defaultVendor: String?
    var delivery = DeliverySettings()
    var assignmentNode: Node?
    var weights = AssignmentWeights()
    var escalations: [String: EscalationLadder] = [:]
    var notifyEndpoints: [NotifyEndpoint] = []
    /// `redaction.profiles`, by name (see ``RedactionSection``).
    var redactionProfiles: [String: RedactionProfile] = [:]

    static let vendorKeys: Set<String> = Set([
        "name", "endpoint", "skills", "cost", "backup", "headers_env", "signing_secret_env", "sla", "services",
        "groups", "languages", "priorities", "calendar", "hours_required_for", "capacity", "contract", "enabled", "share",
        "fallback_endpoint", "format", "callback", "redaction", "fields",
    ]).union(DeliveryTargetSection.keys)

    static func read(_ file: YAMLFile, templates: Set<String> = [], environment: [String: String] = [:]) -> VendorsSection {
        var section = VendorsSection()
        guard let root = file.root,
            let top = file.mapping(
                root, "vendors.yaml", allowed: [
                    "vendors", "default_vendor", "delivery", "calendars", "assignment", "escalations", "notify",
                    "redaction",
                ])
        else { return section }
        let zones = ZoneCatalog()
        let calendars = CalendarsSection.calendars(top["calendars"], file: file, zones: zones)
        // Ladders and notify endpoints first: vendors' `sla:` names them.
        section.notifyEndpoints = NotifySection.read(top["notify"], file: file)
        section.escalations = EscalationsSection.read(
            top["escalations"], file: file, notify: Set(section.notifyEndpoints.map(\.name)))
        section.assignmentNode = top["assignment"]
        // Redaction profiles first: vendors' `redaction:` names them.
        let redaction = RedactionSection.read(top["redaction"], file: file, environment: environment)
        section.redactionProfiles = redaction.profiles
        guard let list = top["vendors"] else {
            file.fail(root, "vendors.yaml needs a 'vendors' list")
            return section
        }
        var backups: [(name: String, node: Node)] = []
        for node in file.sequence(list, "vendors") {
            guard let map = file.mapping(node, "vendor", allowed: vendorKeys) else { continue }
            guard let name = file.requiredString(map, "name", in: node, "vendor") else { continue }
            if section.vendors.contains(where: { $0.name == name }) {
                file.fail(map["name"], "vendor '\(name)' is defined twice")
                continue
            }
            let endpoint = file.requiredString(map, "endpoint", in: node, "vendor '\(name)'") ?? ""
            if !endpoint.isEmpty, !(endpoint.hasPrefix("http://") || endpoint.hasPrefix("https://")) {
                file.fail(map["endpoint"], "vendor '\(name)' endpoint must start with http:// or https://")
            }
            let target = DeliveryTargetSection.read(map, name: name, what: "vendor '\(name)'", file: file)
            let backup = file.string(map["backup"], "vendor '\(name)' backup")
            if let backup, let backupNode = map["backup"] {
                backups.append((backup, backupNode))
            }
            var vendor = Vendor(
                name: name,
                endpoint: endpoint,
                skills: file.strings(map["skills"], "skills"),
                cost: 0,
                backup: backup,
                contract: SLATermsSection.contract(
                    map["sla"], vendor: name, file: file, calendars: calendars, ladders: section.escalations),
                headerEnv: target.headerEnv,
                signingSecretEnv: target.signingSecretEnv
            )
            if let node = map["callback"],
                let callback = file.mapping(node, "callback of vendor '\(name)'", allowed: ["token_env", "secret_env"])
            {
                vendor.callbackTokenEnv = file.string(callback["token_env"], "callback.token_env")
                vendor.callbackSecretEnv = file.string(callback["secret_env"], "callback.secret_env")
                if vendor.callbackTokenEnv == nil, vendor.callbackSecretEnv == nil {
                    file.fail(node, "callback of vendor '\(name)' needs token_env or secret_env")
                }
            }
            vendor.caBundle = target.caBundle
            vendor.maxConcurrency = target.maxConcurrency
            VendorTermsSection.read(map, into: &vendor, file: file, calendars: calendars)
            vendor.payloadFormat = PayloadFormatSection.read(map["format"], vendor: name, templates: templates, file: file)
            if let fallback = file.string(map["fallback_endpoint"], "fallback_endpoint") {
                if fallback.hasPrefix("http://") || fallback.hasPrefix("https://") { vendor.fallbackEndpoint = fallback } else {
                    file.fail(map["fallback_endpoint"], "vendor '\(name)' fallback_endpoint must start with http:// or https://")
                }
            }
            vendor.redaction = redaction.profile(map["redaction"], vendor: name, file: file)
            vendor.fields = RedactionSection.fields(map["fields"], vendor: name, file: file)
            section.vendors.append(vendor)
        }
        let names = Set(section.vendors.map(\.name))
        for (backup, node) in backups where !names.contains(backup) {
            file.fail(node, "backup vendor '\(backup)' is not defined in vendors")
        }
        if let node = top["default_vendor"], let name = file.string(node, "default_vendor") {
            if names.contains(name) {
                section.defaultVendor = name
            } else {
                file.fail(node, "default_vendor '\(name)' is not defined in vendors")
            }
        }
        section.delivery = readDelivery(file, top["delivery"])
        section.weights = readWeights(file, top["assignment"])
        return section
    }

    /// `assignment: {attainment: 0.4, load: 0.3, cost: 0.2, affinity: 0.1, internal_queue: triage-desk}`
    static func readWeights(_ file: YAMLFile, _ node: Node?) -> AssignmentWeights {
        var weights = AssignmentWeights()
        let keys: Set<String> = ["attainment", "load", "cost", "affinity", "internal_queue"]
        guard let map = file.mapping(node, "assignment", allowed: keys) else { return weights }
        func weight(_ key: String) -> Double? {
            guard let value = file.double(map[key], "assignment.\(key)") else { return nil }
            guard value >= 0 else {
                file.fail(map[key], "assignment.\(key) must not be negative")
                return nil
            }
            return value
        }
        if let value = weight("attainment") { weights.attainment = value }
        if let value = weight("load") { weights.load = value }
        if let value = weight("cost") { weights.cost = value }
        if let value = weight("affinity") { weights.affinity = value }
        if weights.attainment + weights.load + weights.cost + weights.affinity == 0 {
            file.fail(node, "assignment weights are all zero; at least one must be above 0")
        }
        if let queue = file.string(map["internal_queue"], "assignment.internal_queue") { weights.internalQueue = queue }
        return weights
    }

    static func readSLA(_ file: YAMLFile, _ node: Node?, vendor: String) -> [Priority: SLATarget] {
        let allowed = Set(Priority.allCases.map(\.rawValue)).union(SLATermsSection.keys)
        guard let map = file.mapping(node, "sla of vendor '\(vendor)'", allowed: allowed) else { return [:] }
        var targets: [Priority: SLATarget] = [:]
        for (key, value) in map {
            guard let text = key.string, let priority = Priority(parsing: text) else { continue }
            guard let target = file.mapping(value, "sla \(text)", allowed: ["acknowledge", "resolve"]) else {
                continue
            }
            guard let ack = target["acknowledge"], let resolve = target["resolve"] else {
                file.fail(value, "sla \(text) of vendor '\(vendor)' needs both 'acknowledge' and 'resolve'")
                continue
            }
            guard let ackDuration = file.duration(ack, "acknowledge"),
                let resolveDuration = file.duration(resolve, "resolve")
            else { continue }
            if resolveDuration < ackDuration {
                file.fail(resolve, "sla \(text) of vendor '\(vendor)': resolve is shorter than acknowledge")
            }
            targets[priority] = SLATarget(acknowledge: ackDuration, resolve: resolveDuration)
        }
        return targets
    }

    static func readDelivery(_ file: YAMLFile, _ node: Node?) -> DeliverySettings {
        var settings = DeliverySettings()
        let keys: Set<String> = [
            "max_attempts", "initial_backoff", "max_backoff", "connect_timeout", "timeout", "breaker_failures",
            "breaker_cooldown", "max_age", "max_in_flight", "endpoint_concurrency", "lease",
        ]
        guard let map = file.mapping(node, "delivery", allowed: keys) else { return settings }
        if let attempts = file.int(map["max_attempts"], "delivery.max_attempts") {
            if attempts < 1 || attempts > 100 {
                file.fail(map["max_attempts"], "delivery.max_attempts must be between 1 and 100")
            } else {
                settings.retry.maxAttempts = attempts
            }
        }
        if let value = file.duration(map["initial_backoff"], "delivery.initial_backoff") {
            settings.retry.initial = value
        }
        if let value = file.duration(map["max_backoff"], "delivery.max_backoff") { settings.retry.maximum = value }
        if let value = file.duration(map["connect_timeout"], "delivery.connect_timeout") {
            settings.connectTimeout = value
        }
        if let value = file.duration(map["timeout"], "delivery.timeout") { settings.requestTimeout = value }
        if let value = file.int(map["breaker_failures"], "delivery.breaker_failures") {
            if (1...1000).contains(value) { settings.breakerFailures = value } else {
                file.fail(map["breaker_failures"], "delivery.breaker_failures must be between 1 and 1000")
            }
        }
        if let value = file.duration(map["breaker_cooldown"], "delivery.breaker_cooldown") { settings.breakerCooldown = value }
        if let value = file.duration(map["max_age"], "delivery.max_age") { settings.maxAge = value }
        if let value = file.duration(map["lease"], "delivery.lease") {
            let floor = (settings.connectTimeout + settings.requestTimeout) * 2
            if value >= floor { settings.lease = value } else {
                file.fail(map["lease"], "delivery.lease must be at least twice connect_timeout + timeout (\(floor.components.seconds)s)")
            }
        }
        if let value = file.int(map["max_in_flight"], "delivery.max_in_flight") {
            if (1...1024).contains(value) { settings.maxInFlight = value } else {
                file.fail(map["max_in_flight"], "delivery.max_in_flight must be between 1 and 1024")
            }
        }
        if let value = file.int(map["endpoint_concurrency"], "delivery.endpoint_concurrency") {
            if (1...1024).contains(value) { settings.endpointConcurrency = value } else {
                file.fail(map["endpoint_concurrency"], "delivery.endpoint_concurrency must be between 1 and 1024")
            }
        }
        return settings
    }
}
