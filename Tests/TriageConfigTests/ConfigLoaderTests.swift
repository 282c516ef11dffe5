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
        #expect(configuration.sources.map(\.name) == ["generic", "alertmanager"])
        #expect(configuration.vendors.map(\.name) == ["acme-dba", "globex-infra", "initech-apps"])
        #expect(configuration.defaultVendor == "initech-apps")
        #expect(configuration.rules.rules.first?.name == "critical-is-p1")
        #expect(configuration.rules.rules.first?.origin?.hasSuffix("rules.yaml:4") == true)
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
                  service: [billing, payments]
                  labels: { team: billing, env: "*", tier: [gold, silver] }
                  text_contains: database
                then: { category: database, priority: p2, vendor: acme }
                continue: true
            """
        let configuration = try ConfigLoader.load(sources: Self.sources, vendors: Self.vendors, rules: rules)
        let rule = try #require(configuration.rules.rules.first)
        #expect(rule.when.sources == ["generic"])
        #expect(rule.when.severities == [.critical, .error])
        #expect(rule.when.services == ["billing", "payments"])
        #expect(rule.when.labels == ["team": .oneOf(["billing"]), "env": .present, "tier": .oneOf(["gold", "silver"])])
        #expect(rule.when.textContains == ["database"])
        #expect(rule.then == RuleOutcome(category: "database", priority: .p2, vendor: "acme"))
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
            "rules/vendors.yaml:4:5: unknown key 'skils' in vendor (known: backup, cost, endpoint, headers_env, name, signing_secret_env, skills, sla)",
            "rules/vendors.yaml:3:15: vendor 'acme' endpoint must start with http:// or https://",
            "rules/vendors.yaml:7:26: acknowledge 'soon' is not a duration (examples: 30s, 15m, 4h, 1d, 1h30m)",
            "rules/vendors.yaml:8:39: sla P2 of vendor 'acme': resolve is shorter than acknowledge",
            "rules/vendors.yaml:5:13: backup vendor 'ghost' is not defined in vendors",
            "rules/rules.yaml:3:29: unknown key 'colour' in when of rule 'one' (known: labels, service, severity, source, text_contains)",
            "rules/rules.yaml:3:23: unknown severity 'loud' (known: critical, error, warning, info, unknown)",
            "rules/rules.yaml:4:23: priority 'P9' is not one of P1, P2, P3, P4, P5",
            "rules/rules.yaml:4:35: rule 'one' names vendor 'nobody', which is not defined in vendors.yaml",
            "rules/rules.yaml:5:11: rule 'one' is defined twice",
            "rules/rules.yaml:7:5: rule 'no-then' needs 'then' (what to set when it matches)",
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
            "rules/sources.yaml:3:23: unknown source kind 'prometheus' (known: generic, alertmanager)",
            "rules/sources.yaml:4:37: unknown key 'token' in source (known: kind, name, token_env)",
            "rules/sources.yaml:4:13: source 'am' is defined twice",
        ])
    }
}
