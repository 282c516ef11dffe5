import Foundation
import Testing
import TriageConfig
import TriageCore
import TriageTesting

/// `retention.yaml`: optional, every field optional, and every mistake named with its file, line
/// and key path.
struct RetentionConfigTests {
    /// A configuration directory (the sample sources and rules, vendors acme-dba, globex-infra and
    /// initech-apps) with `retention` as its retention.yaml, or none.
    func load(_ retention: String?) throws -> (Result<TriageConfiguration, ConfigError>, TemporaryDirectory) {
        let directory = try TemporaryDirectory()
        let path = try ConfigDirectory.write(in: directory, vendorEndpoint: "http://127.0.0.1:9")
        if let retention { try retention.write(toFile: path + "/retention.yaml", atomically: true, encoding: .utf8) }
        return (Result { () throws(ConfigError) in try ConfigLoader.load(directory: path) }, directory)
    }

    /// The problems loading `retention` reports, one per line.
    func problems(_ retention: String) throws -> [String] {
        let (result, directory) = try load(retention)
        defer { directory.remove() }
        guard case .failure(let error) = result else {
            Issue.record("expected configuration errors")
            return []
        }
        return error.issues.map(\.description)
    }

    @Test func withoutTheFileEverythingIsKept() throws {
        let (result, directory) = try load(nil)
        defer { directory.remove() }
        #expect(try result.get().retention == nil)
    }

    @Test func theDocumentedExampleLoads() throws {
        let (result, directory) = try load(
            """
            retention:
              check_every: 1h
              raw_payloads: 30d          # webhook bodies
              closed_incidents: 400d
              closed_incident_action: redact
              rejected_payloads: 7d
              delivered_messages: 12h
              overrides:
                - source: alertmanager
                  raw_payloads: 7d
                - vendor: acme-dba
                  closed_incidents: 90d
                - source: jira
                  vendor: globex-infra
                  delivered_messages: 90s
            """)
        defer { directory.remove() }
        let policy = try #require(try result.get().retention)
        #expect(
            policy
                == RetentionPolicy(
                    checkEvery: .seconds(3600),
                    defaults: .init(
                        rawPayloads: .seconds(30 * 86_400), closedIncidents: .seconds(400 * 86_400),
                        rejectedPayloads: .seconds(7 * 86_400), deliveredMessages: .seconds(12 * 3600)),
                    closedIncidentAction: .redact,
                    overrides: [
                        .init(source: "alertmanager", ages: .init(rawPayloads: .seconds(7 * 86_400))),
                        .init(vendor: "acme-dba", ages: .init(closedIncidents: .seconds(90 * 86_400))),
                        .init(source: "jira", vendor: "globex-infra", ages: .init(deliveredMessages: .seconds(90))),
                    ]))
    }

    @Test func everyFieldIsOptional() throws {
        let (result, directory) = try load("retention:\n  closed_incidents: 1d12h\n")
        defer { directory.remove() }
        let policy = try #require(try result.get().retention)
        #expect(policy.checkEvery == .seconds(3600))
        #expect(policy.closedIncidentAction == .purge)
        #expect(policy.defaults == .init(closedIncidents: .seconds(36 * 3600)))
        #expect(policy.overrides.isEmpty)
    }

    @Test func unknownKeysAreErrorsWithTheirKeyPath() throws {
        let found = try problems(
            """
            retention:
              raw_paylods: 30d
              overrides:
                - source: generic
                  closed_incident: 9d
            """)
        #expect(found.count == 3, "\(found)")
        #expect(found.contains { $0.hasSuffix("retention.yaml:2:3: unknown key 'raw_paylods' in retention (known: check_every, closed_incident_action, closed_incidents, delivered_messages, overrides, raw_payloads, rejected_payloads)") })
        #expect(found.contains { $0.contains("retention.yaml:5:7: unknown key 'closed_incident' in retention.overrides[0]") })
        #expect(found.contains { $0.contains("retention.yaml:4:7: retention.overrides[0] sets no age") })
    }

    @Test func badDurationsAndActionsAreErrors() throws {
        let found = try problems(
            """
            retention:
              check_every: soon
              raw_payloads: 0s
              closed_incidents: [1d]
              closed_incident_action: archive
              overrides:
                - vendor: acme-dba
                  delivered_messages: 7 days
            """)
        #expect(found.count == 5, "\(found)")
        #expect(found.contains { $0.contains("retention.yaml:2:16: retention.check_every 'soon' is not a duration") })
        #expect(found.contains { $0.contains("retention.yaml:3:17: retention.raw_payloads must be longer than 0s") })
        #expect(found.contains { $0.contains("retention.yaml:4:21: retention.closed_incidents must be a duration") })
        #expect(found.contains { $0.contains("retention.yaml:5:27: retention.closed_incident_action 'archive' is not purge or redact") })
        #expect(found.contains { $0.contains("retention.yaml:8:27: retention.overrides[0].delivered_messages '7 days' is not a duration") })
    }

    @Test func overridesMustNameADefinedSourceOrVendor() throws {
        let found = try problems(
            """
            retention:
              raw_payloads: 30d
              overrides:
                - source: alertmanagr
                  raw_payloads: 7d
                - vendor: acme
                  raw_payloads: 7d
                - source: alertmanager
                  vendor: acme-dba
                  raw_payloads: 7d
            """)
        #expect(found.count == 2, "\(found)")
        #expect(found.contains { $0.contains("retention.yaml:4:15: retention override names source 'alertmanagr', which is not defined in sources.yaml") })
        #expect(found.contains { $0.contains("retention.yaml:6:15: retention override names vendor 'acme', which is not defined in vendors.yaml") })
        // Checked once the file itself is right: an override must say what it applies to.
        let unnamed = try problems("retention:\n  overrides:\n    - raw_payloads: 1d\n")
        #expect(unnamed.count == 1, "\(unnamed)")
        #expect(unnamed.first?.contains("retention.yaml:3:7: retention.overrides[0] needs 'source' or 'vendor'") == true)
    }

    @Test func theFileMustHoldARetentionMapping() throws {
        #expect(try problems("raw_payloads: 30d\n").contains { $0.contains("retention.yaml:1:1: unknown key 'raw_payloads' in retention.yaml") })
        #expect(try problems("retention: 30d\n").contains { $0.contains("retention.yaml:1:12: retention must be a mapping") })
        #expect(try problems("retention:\n  overrides: {source: generic}\n").contains { $0.contains("retention.overrides must be a list") })
        #expect(try problems("retention: [\n").contains { $0.contains("retention.yaml") && $0.contains("YAML syntax") })
    }
}
