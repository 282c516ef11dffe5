import Foundation
import Testing
import TriageConfig
import TriageCore
import TriageTesting

/// Write-backs, per-endpoint delivery options and pipeline limits in the configuration.
struct DeliveryConfigTests {
    @Test func writeBackIsReadForTicketingSources() throws {
        let sources = """
            sources:
              - name: jira
                kind: jira
                write_back:
                  endpoint: https://jira.example.com/rest/api/2/issue/{external_id}/comment
                  format: jira-comment
                  headers_env: {Authorization: JIRA_AUTH}
                  max_concurrency: 2
              - name: snow
                kind: servicenow
                write_back:
                  endpoint: https://x.service-now.com/api/now/table/incident/{external_id}
                  format: servicenow-work-note
              - name: gh
                kind: github
                write_back:
                  endpoint: https://api.github.com/repos/{label.repository}/issues/{external_number}/comments
                  format: github-comment
                  method: post
            """
        let configuration = try ConfigLoader.load(sources: sources, vendors: ConfigLoaderTests.vendors, rules: "rules: []")
        let jira = try #require(configuration.sources[0].writeBack)
        #expect(jira.format == .jiraComment)
        #expect(jira.method == "POST")
        #expect(jira.target == DeliveryTarget(name: "write-back:jira", headerEnv: ["Authorization": "JIRA_AUTH"], maxConcurrency: 2))
        #expect(configuration.sources[1].writeBack?.method == "PATCH")
        #expect(configuration.sources[2].writeBack?.method == "POST")
    }

    @Test func badWriteBacksSayWhereAndWhat() {
        let sources = """
            sources:
              - name: am
                kind: alertmanager
                write_back: {endpoint: "https://x/{external_id}", format: jira-comment}
              - name: jira
                kind: jira
                write_back: {endpoint: "ftp://x/{ticket}", format: email, method: GET}
              - name: gh
                kind: github
                write_back: {endpoint: "https://x/"}
            """
        let error = #expect(throws: ConfigError.self) {
            _ = try ConfigLoader.load(sources: sources, vendors: ConfigLoaderTests.vendors, rules: "rules: []")
        }
        #expect(error?.issues.map(\.description) == [
            "rules/sources.yaml:4:17: write_back of source 'am': write_back is for ticketing sources (jira, servicenow, github, zendesk), not 'alertmanager'",
            "rules/sources.yaml:7:28: write_back of source 'jira': endpoint must start with http:// or https://",
            "rules/sources.yaml:7:28: write_back of source 'jira': unknown placeholder {ticket} (known: {external_id}, {external_number}, {label.NAME})",
            "rules/sources.yaml:7:56: write_back of source 'jira': format 'email' is not jira-comment, github-comment, servicenow-work-note or {template: NAME}",
            "rules/sources.yaml:7:71: write_back of source 'jira': method must be POST, PUT or PATCH",
            "rules/sources.yaml:10:17: write_back of source 'gh' needs a format",
        ])
    }

    @Test func endpointOptionsAndPipelineLimitsAreValidated() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let bundle = directory.path("ca.pem")
        try Data("-----BEGIN CERTIFICATE-----\n".utf8).write(to: URL(fileURLWithPath: bundle))
        let good = """
            delivery: {max_in_flight: 32, endpoint_concurrency: 4, timeout: 2s, connect_timeout: 1s, lease: 10s}
            vendors:
              - name: acme
                endpoint: https://acme.example/hook
                ca_bundle: \(bundle)
                max_concurrency: 3
            """
        let configuration = try ConfigLoader.load(sources: ConfigLoaderTests.sources, vendors: good, rules: "rules: []")
        #expect(configuration.vendors[0].caBundle == bundle)
        #expect(configuration.vendors[0].maxConcurrency == 3)
        #expect(configuration.delivery.maxInFlight == 32)
        #expect(configuration.delivery.endpointConcurrency == 4)
        #expect(configuration.delivery.effectiveLease == .seconds(10))
        #expect(DeliverySettings().effectiveLease == .seconds(70))  // 2 × (5 s + 15 s) + 30 s

        let bad = """
            delivery: {max_in_flight: 0, timeout: 20s, lease: 30s}
            vendors:
              - name: acme
                endpoint: https://acme.example/hook
                ca_bundle: /nonexistent/ca.pem
                max_concurrency: 5000
                headers_env: {"Bad Header": X}
            """
        let error = #expect(throws: ConfigError.self) {
            _ = try ConfigLoader.load(sources: ConfigLoaderTests.sources, vendors: bad, rules: "rules: []")
        }
        #expect(error?.issues.map(\.description) == [
            "rules/vendors.yaml:7:19: vendor 'acme': 'Bad Header' is not a valid header name",
            "rules/vendors.yaml:5:16: vendor 'acme': ca_bundle '/nonexistent/ca.pem' is not a readable file",
            "rules/vendors.yaml:6:22: vendor 'acme': max_concurrency must be between 1 and 1024",
            "rules/vendors.yaml:1:51: delivery.lease must be at least twice connect_timeout + timeout (50s)",
            "rules/vendors.yaml:1:27: delivery.max_in_flight must be between 1 and 1024",
        ])
    }
}

/// Vendor feedback sources and vendor callback credentials.
struct FeedbackConfigTests {
    @Test func feedbackSourcesAndCallbacksAreReadAndChecked() throws {
        let sources = """
            sources:
              - name: acme-jira
                kind: jira
                feedback: {vendor: acme, statuses: {"In Progress": acknowledge, "Waiting for customer": pause}}
            """
        let vendors = ConfigLoaderTests.vendors + "\n    callback: {token_env: ACME_CALLBACK_TOKEN}\n"
        let configuration = try ConfigLoader.load(sources: sources, vendors: vendors, rules: "rules: []")
        #expect(configuration.sources[0].feedback == VendorFeedback(vendor: "acme", statuses: ["in progress": .acknowledge, "waiting for customer": .pause]))
        #expect(configuration.vendors[0].callbackTokenEnv == "ACME_CALLBACK_TOKEN")

        let bad = """
            sources:
              - name: ghost-jira
                kind: jira
                feedback: {vendor: ghost, statuses: {"Done": dance}}
            """
        let error = #expect(throws: ConfigError.self) {
            _ = try ConfigLoader.load(sources: bad, vendors: ConfigLoaderTests.vendors + "\n    callback: {}\n", rules: "rules: []")
        }
        let messages = error?.issues.map(\.message) ?? []
        #expect(messages.contains("feedback status 'Done': 'dance' is not one of acknowledge, resolve, close, reopen, pause, resume, comment, reassign-request"))
        #expect(messages.contains("feedback of source 'ghost-jira' names vendor 'ghost', which is not defined in vendors.yaml"))
        #expect(messages.contains("callback of vendor 'acme' needs token_env or secret_env"))
    }
}
