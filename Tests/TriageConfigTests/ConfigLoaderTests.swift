import Foundation
import Testing
import TriageConfig
import TriageCore
import TriageTesting

struct ConfigLoaderTests {
    static let sources = """
        sources:
          - { name: generic, kind: generic }
        """
    static let vendors = """
        default_vendor: acme
        vendors:
          - name: acme
            endpoint: http://127.0.0.1:9101/acme
            skills: [database]
            cost: 10
            sla:
              P1: { acknowledge: 15m, resolve: 4h }
        """

    @Test func sampleConfigurationLoads() throws {
        let configuration = try ConfigLoader.load(directory: Fixtures.rulesDirectory)
        // One source of each kind, named after it, and acme-dba's Jira feedback source.
        #expect(configuration.sources.map(\.name) == SourceKind.allCases.map(\.rawValue) + ["acme-jira"])
        #expect(configuration.sources.dropLast().allSatisfy { $0.name == $0.kind.rawValue })
        #expect(configuration.sources.last?.feedback?.vendor == "acme-dba")
        #expect(configuration.ingest.alertmanagerAPISource == "alertmanager")
        #expect(configuration.sources.first { $0.kind == .jira }?.writeBack?.format == .jiraComment)
        #expect(configuration.ingest.pagerDutyEnqueueSource == "pagerduty-events")
        #expect(configuration.vendors.map(\.name) == ["acme-dba", "globex-infra", "initech-apps", "umbrella-apps", "hooli-legacy"])
        let acmeTerms = try #require(configuration.vendors.first)
        #expect(acmeTerms.calendar?.zone.identifier == "Europe/Paris")
        #expect(acmeTerms.capacity == 40)
        #expect(acmeTerms.capacityByPriority == [.p1: 5])
        #expect(acmeTerms.cost(for: .p1) == 300)
        #expect(acmeTerms.cost(for: .p3) == 120)
        #expect(acmeTerms.contractEnd == LocalDate(parsing: "2027-12-31"))
        #expect(acmeTerms.hoursRequiredFor == [.p2])
        #expect(configuration.vendors[2].priorities == [.p2, .p3, .p4, .p5])
        #expect(configuration.vendors[2].shareGroup == "apps-benchmark")
        #expect(configuration.vendors[2].share == 70)
        #expect(configuration.assignment.internalQueue == "triage-desk")
        #expect(configuration.vendors[1].payloadFormat == .servicenow(assignmentGroup: "Infrastructure"))
        #expect(configuration.vendors[3].payloadFormat == .template("umbrella"))
        #expect(configuration.vendors[4].payloadFormat == .jira(project: "MAIN", issueType: "Incident"))
        #expect(configuration.templates.keys.sorted() == ["umbrella"])
        #expect(configuration.defaultVendor == "initech-apps")
        #expect(configuration.rules.groups.map(\.name) == ["noise", "enrich", "route"])
        #expect(configuration.rules.groups.map(\.mode) == [.first, .all, .first])
        #expect(configuration.rules.rules.first?.name == "staging-disk-noise")
        #expect(configuration.rules.rules.first?.origin?.hasSuffix("rules.yaml:40") == true)
        #expect(configuration.rules.resources.calendars["paris-office"]?.zone.identifier == "Europe/Paris")
        #expect(configuration.rules.slaPolicies["expedite"]?.targets[.p1] == SLATarget(acknowledge: .seconds(300), resolve: .seconds(7200)))
        #expect(configuration.delivery.retry.maxAttempts == 8)
        let acme = try #require(configuration.vendors.first)
        #expect(acme.contract.targets[.p1] == SLATarget(acknowledge: .seconds(900), resolve: .seconds(14_400)))
    }

    @Test func rulesReadEveryConditionKind() throws {
        let rules = """
            rules:
              - name: r
                when:
                  source: generic
                  severity: [critical, error]
                  service: {one_of: [billing, payments]}
                  labels: { team: billing, env: "*" }
                  labels.tier: {not: bronze}
                  text: {contains_any: [database]}
                then: { category: database, priority: p2, vendor: acme }
                continue: true
            """
        let configuration = try ConfigLoader.load(sources: Self.sources, vendors: Self.vendors, rules: rules)
        let rule = try #require(configuration.rules.rules.first)
        let parts = Set(rule.when.conjunctDescriptions)
        #expect(
            parts == [
                "source equals generic", "severity one_of critical,error", "service one_of billing,payments",
                "labels.team equals billing", "labels.env exists", "labels.tier not_equals bronze", "text contains_any database",
            ])
        #expect(rule.then == RuleActions(category: "database", priority: .p2, vendor: "acme"))
        #expect(rule.continueMatching)
        #expect(rule.origin == "rules/rules.yaml:2")
    }

    @Test func everyProblemIsReportedAtOnceWithFileLineAndColumn() {
        let rules = """
            rules:
              - name: one
                when: { severity: loud, colour: red }
                then: { priority: P9, vendor: nobody }
              - name: one
                then: { category: x }
              - name: no-then
                when: { source: generic }
            """
        let vendors = """
            vendors:
              - name: acme
                endpoint: ftp://acme
                skils: [database]
                backup: ghost
                sla:
                  P1: { acknowledge: soon, resolve: 4h }
                  P2: { acknowledge: 4h, resolve: 1h }
            """
        let error = #expect(throws: ConfigError.self) {
            _ = try ConfigLoader.load(sources: Self.sources, vendors: vendors, rules: rules)
        }
        let lines = error?.issues.map(\.description) ?? []
        #expect(lines == [
            "rules/vendors.yaml:4:5: unknown key 'skils' in vendor (known: backup, ca_bundle, calendar, callback, capacity, contract, cost, enabled, endpoint, fallback_endpoint, fields, format, groups, headers_env, hours_required_for, languages, max_concurrency, name, priorities, redaction, services, share, signing_secret_env, skills, sla)",
            "rules/vendors.yaml:3:15: vendor 'acme' endpoint must start with http:// or https://",
            "rules/vendors.yaml:7:26: acknowledge 'soon' is not a duration (examples: 30s, 15m, 4h, 1d, 1h30m)",
            "rules/vendors.yaml:8:39: sla P2 of vendor 'acme': resolve is shorter than acknowledge",
            "rules/vendors.yaml:5:13: backup vendor 'ghost' is not defined in vendors",
            "rules/rules.yaml:3:23: unknown severity 'loud' (known: critical, error, warning, info, unknown)",
            "rules/rules.yaml:3:29: unknown condition 'colour' in rule 'one' (known: category, dedup_key, description, external_id, occurrences, priority, service, severity, source, status, subcategory, text, title, vendor, labels.<name>, all, any, not, time)",
            "rules/rules.yaml:4:23: priority 'P9' is not one of P1, P2, P3, P4, P5",
            "rules/rules.yaml:4:35: rule 'one' names vendor 'nobody', which is not defined in vendors.yaml",
            "rules/rules.yaml:5:11: rule 'one' is defined twice (first at rules/rules.yaml:2)",
            "rules/rules.yaml:7:5: rule 'no-then' needs 'then' (what to do when it matches)",
        ])
    }

    @Test func yamlSyntaxErrorsPointAtTheLine() {
        let error = #expect(throws: ConfigError.self) {
            _ = try ConfigLoader.load(sources: "sources: [\n  - {name: a", vendors: Self.vendors, rules: "rules: []")
        }
        let issue = error?.issues.first
        #expect(issue?.file == "rules/sources.yaml")
        #expect(issue?.line == 2)
        #expect(issue?.message.hasPrefix("YAML syntax:") == true)
    }

    @Test func missingFilesAreNamed() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try Self.sources.write(toFile: directory.path("sources.yaml"), atomically: true, encoding: .utf8)
        let error = #expect(throws: ConfigError.self) { _ = try ConfigLoader.load(directory: directory.url.path) }
        #expect(error?.issues.map(\.message) == ["file not found or not readable", "file not found or not readable"])
        #expect(error?.issues.map { ($0.file as NSString).lastPathComponent } == ["vendors.yaml", "rules.yaml"])
    }

    @Test func sourcesAreValidated() {
        let sources = """
            sources:
              - { name: Bad Name, kind: generic }
              - { name: am, kind: prometheus }
              - { name: am, kind: alertmanager, token: x }
            """
        let error = #expect(throws: ConfigError.self) {
            _ = try ConfigLoader.load(sources: sources, vendors: Self.vendors, rules: "rules: []")
        }
        #expect(error?.issues.map(\.description) == [
            "rules/sources.yaml:2:13: source name 'Bad Name' may use only a-z, 0-9, '-' and '_'",
            "rules/sources.yaml:3:23: unknown source kind 'prometheus' (known: \(SourceKind.allCases.map(\.rawValue).joined(separator: ", ")))",
            "rules/sources.yaml:4:37: unknown key 'token' in source (known: auth, delivery_id_header, feedback, kind, mapping, name, rate_limit, refire, reopen_within, write_back)",
            "rules/sources.yaml:4:13: source 'am' is defined twice",
        ])
    }

    @Test func sourceOptionsAreRead() throws {
        let sources = """
            sources:
              - name: gh
                kind: github
                auth: {type: hmac, secret_env: GH_SECRET}
              - name: gf
                kind: grafana
                auth: {type: hmac, secret_env: GF, header: X-Grafana-Alerting-Signature, prefix: "",
                       timestamp_header: X-Grafana-Alerting-Timestamp, tolerance: 2m}
                rate_limit: {per_second: 5, burst: 20}
                refire: new
              - name: am
                kind: alertmanager
                auth: {type: basic, username: prometheus, password_env: AM_PW}
                reopen_within: 30m
              - name: pd
                kind: pagerduty-events
                auth: {type: routing_key, secret_env: PD_KEY}
              - name: custom
                kind: generic
                mapping:
                  items: $.checks
                  title: $.name
                  status: $.state
                  resolved_values: [passing]
                  labels: {team: $.owner.team}
            compatibility: {alertmanager_api: am, pagerduty_enqueue: pd}
            max_body: 65536
            body_timeout: 12s
            """
        let configuration = try ConfigLoader.load(sources: sources, vendors: Self.vendors, rules: "rules: []")
        #expect(configuration.ingest.bodyTimeout == .seconds(12))
        #expect(configuration.ingest.maxBodyBytes == 65_536)
        do {
            _ = try ConfigLoader.load(
                sources: "sources: [{name: g, kind: generic}]\nbody_timeout: 0s", vendors: Self.vendors, rules: "rules: []")
            Issue.record("body_timeout: 0s was accepted")
        } catch {
            #expect(error.description.contains("body_timeout must be between 1s and 10m"), "\(error.description)")
        }
        let byName = Dictionary(uniqueKeysWithValues: configuration.sources.map { ($0.name, $0) })
        #expect(byName["gh"]?.auth == .hmac(HMACScheme(secretEnv: "GH_SECRET")))
        #expect(byName["gh"]?.deliveryIDHeader == "X-GitHub-Delivery")
        #expect(
            byName["gf"]?.auth
                == .hmac(
                    HMACScheme(
                        secretEnv: "GF", header: "X-Grafana-Alerting-Signature", prefix: "",
                        timestampHeader: "X-Grafana-Alerting-Timestamp", tolerance: 120)))
        #expect(byName["gf"]?.rateLimit == RateLimit(perSecond: 5, burst: 20))
        #expect(byName["gf"]?.refire == .create)
        #expect(byName["am"]?.auth == .basic(username: "prometheus", passwordEnv: "AM_PW"))
        #expect(byName["am"]?.refire == .reopen(within: 1800))
        #expect(byName["pd"]?.auth == .routingKey(secretEnv: "PD_KEY"))
        let mapping = try #require(byName["custom"]?.mapping)
        #expect(mapping.items?.description == "$.checks")
        #expect(mapping.resolvedValues == ["passing"])
        #expect(mapping.labels["team"]?.description == "$.owner.team")
        #expect(configuration.ingest.alertmanagerAPISource == "am")
        #expect(configuration.ingest.pagerDutyEnqueueSource == "pd")
        #expect(configuration.ingest.maxBodyBytes == 65536)
    }

    @Test func sourceOptionErrorsPointAtTheValue() {
        let sources = """
            sources:
              - name: a
                kind: generic
                auth: {type: bearer, secret_env: "hunter2 literally"}
              - name: b
                kind: alertmanager
                auth: {type: routing_key, secret_env: K}
                rate_limit: {per_second: 0}
              - name: c
                kind: alertmanager
                auth: {type: oauth}
                refire: sometimes
                mapping: {title: $.x}
              - name: d
                kind: generic
                mapping: {title: alert.name}
            compatibility: {alertmanager_api: a, pagerduty_enqueue: zz}
            """
        let error = #expect(throws: ConfigError.self) {
            _ = try ConfigLoader.load(sources: sources, vendors: Self.vendors, rules: "rules: []")
        }
        #expect(error?.issues.map(\.description) == [
            "rules/sources.yaml:4:38: auth.secret_env must name an environment variable (letters, digits, '_'), not hold a secret",
            "rules/sources.yaml:7:18: auth type 'routing_key' is only for sources of kind 'pagerduty-events'",
            "rules/sources.yaml:8:30: rate_limit.per_second must be above 0",
            "rules/sources.yaml:11:18: unknown auth type 'oauth' (known: none, bearer, basic, hmac, routing_key)",
            "rules/sources.yaml:12:13: source.refire 'sometimes' is not reopen or new",
            "rules/sources.yaml:13:14: mapping is only for sources of kind 'generic'",
            "rules/sources.yaml:16:22: mapping.title: 'alert.name' must start with '$'",
            "rules/sources.yaml:17:35: compatibility.alertmanager_api needs a source of kind 'alertmanager'; 'a' is 'generic'",
            "rules/sources.yaml:17:57: compatibility.pagerduty_enqueue names source 'zz', which is not defined",
        ])
    }
}

extension Condition {
    /// Flat, order-free descriptions of a conjunction's parts, for comparing parsed rules.
    var conjunctDescriptions: [String] {
        var out: [String] = []
        func walk(_ condition: Condition) {
            switch condition {
            case .all(let parts): parts.forEach(walk)
            case .field(let field, .equals(let value)): out.append("\(field) equals \(value)")
            case .field(let field, .notEquals(let value)): out.append("\(field) not_equals \(value)")
            case .field(let field, .oneOf(let values)): out.append("\(field) one_of \(values.joined(separator: ","))")
            case .field(let field, .exists(true)): out.append("\(field) exists")
            case .text(let field, .containsAny(let words)): out.append("\(field) contains_any \(words.joined(separator: ","))")
            default: out.append("\(condition)")
            }
        }
        walk(self)
        return out
    }
}
