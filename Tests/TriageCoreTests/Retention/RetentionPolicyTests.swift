import Foundation
import Testing
import TriageCore

/// Which data retention makes due: ages per kind, overrides per source and vendor (first match
/// wins, a kind an override leaves out takes the default), the boundary, and redacted labels.
struct RetentionPolicyTests {
    let now = Date(timeIntervalSince1970: 1_790_000_000)
    let day: TimeInterval = 86_400

    /// The policy of the documented example.
    var policy: RetentionPolicy {
        RetentionPolicy(
            checkEvery: .seconds(3600),
            defaults: .init(
                rawPayloads: .seconds(30 * 86_400), closedIncidents: .seconds(400 * 86_400),
                rejectedPayloads: .seconds(7 * 86_400), deliveredMessages: .seconds(7 * 86_400)),
            closedIncidentAction: .purge,
            overrides: [
                .init(source: "alertmanager", ages: .init(rawPayloads: .seconds(7 * 86_400))),
                .init(vendor: "acme", ages: .init(closedIncidents: .seconds(90 * 86_400))),
            ])
    }

    @Test func dataStrictlyOlderThanItsAgeIsDueAndDataAtTheAgeIsKept() {
        let age = 30 * day
        #expect(policy.due(.rawPayloads, source: "generic", vendor: nil, at: now - age - 1, now: now))
        #expect(!policy.due(.rawPayloads, source: "generic", vendor: nil, at: now - age, now: now))
        #expect(!policy.due(.rawPayloads, source: "generic", vendor: nil, at: now - age + 1, now: now))
        #expect(!policy.due(.rawPayloads, source: "generic", vendor: nil, at: now, now: now))
    }

    @Test func aSourceOverrideShortensThatSourceOnly() {
        let eightDays = now - 8 * day
        #expect(policy.due(.rawPayloads, source: "alertmanager", vendor: nil, at: eightDays, now: now))
        #expect(!policy.due(.rawPayloads, source: "grafana", vendor: nil, at: eightDays, now: now))
        #expect(policy.age(.rawPayloads, source: "alertmanager", vendor: "acme") == .seconds(7 * 86_400))
    }

    @Test func aVendorOverrideAppliesToThatVendorsIncidents() {
        let hundredDays = now - 100 * day
        #expect(policy.due(.closedIncidents, source: "generic", vendor: "acme", at: hundredDays, now: now))
        #expect(!policy.due(.closedIncidents, source: "generic", vendor: "globex", at: hundredDays, now: now))
        // Without a vendor (never assigned) the vendor override does not apply.
        #expect(!policy.due(.closedIncidents, source: "generic", vendor: nil, at: hundredDays, now: now))
        #expect(policy.due(.closedIncidents, source: "generic", vendor: nil, at: now - 401 * day, now: now))
    }

    @Test func theFirstMatchingOverrideDecidesAndItsMissingAgesFallBackToTheDefaults() {
        // alertmanager + acme matches the source override first: it sets no closed_incidents age, so
        // the default 400d applies, not acme's 90d.
        #expect(policy.age(.closedIncidents, source: "alertmanager", vendor: "acme") == .seconds(400 * 86_400))
        #expect(!policy.due(.closedIncidents, source: "alertmanager", vendor: "acme", at: now - 100 * day, now: now))
        #expect(policy.age(.closedIncidents, source: "generic", vendor: "acme") == .seconds(90 * 86_400))
        #expect(policy.age(.rawPayloads, source: "generic", vendor: "acme") == .seconds(30 * 86_400))
    }

    @Test func anOverrideNamingBothSourceAndVendorNeedsBoth() {
        var both = RetentionPolicy(
            defaults: .init(closedIncidents: .seconds(400 * 86_400)),
            overrides: [.init(source: "jira", vendor: "acme", ages: .init(closedIncidents: .seconds(10 * 86_400)))])
        #expect(both.age(.closedIncidents, source: "jira", vendor: "acme") == .seconds(10 * 86_400))
        #expect(both.age(.closedIncidents, source: "jira", vendor: "globex") == .seconds(400 * 86_400))
        #expect(both.age(.closedIncidents, source: "generic", vendor: "acme") == .seconds(400 * 86_400))
        both.defaults.closedIncidents = nil
        #expect(both.age(.closedIncidents, source: "generic", vendor: "acme") == nil)
    }

    @Test func aKindWithoutAnAgeIsKeptForEver() {
        let only = RetentionPolicy(defaults: .init(rejectedPayloads: .seconds(60)))
        #expect(!only.due(.rawPayloads, source: "generic", vendor: nil, at: .distantPast, now: now))
        #expect(only.due(.rejectedPayloads, source: "generic", vendor: nil, at: now - 61, now: now))
        #expect(only.cutoffs(.rawPayloads, now: now).keepsEverything)
        #expect(!only.keepsEverything)
        #expect(RetentionPolicy().keepsEverything)
        #expect(RetentionPolicy(overrides: [.init(source: "a", ages: .init(rawPayloads: .seconds(1)))]).keepsEverything == false)
    }

    @Test func cutoffsAreTheRulesInOrderAsInstants() {
        let cutoffs = policy.cutoffs(.rawPayloads, now: now)
        #expect(
            cutoffs.rules == [
                .init(source: "alertmanager", vendor: nil, before: now - 7 * day),
                .init(source: nil, vendor: "acme", before: now - 30 * day),
            ])
        #expect(cutoffs.otherwise == now - 30 * day)
        #expect(cutoffs.latest == now - 7 * day)
        #expect(cutoffs.before(source: "alertmanager", vendor: "acme") == now - 7 * day)
        #expect(cutoffs.before(source: "generic", vendor: "acme") == now - 30 * day)
    }

    @Test func secondsHoursAndDaysAllWork() {
        let short = RetentionPolicy(defaults: .init(rawPayloads: .seconds(90), deliveredMessages: .seconds(12 * 3600)))
        #expect(short.due(.rawPayloads, source: "s", vendor: nil, at: now - 91, now: now))
        #expect(!short.due(.rawPayloads, source: "s", vendor: nil, at: now - 89, now: now))
        #expect(short.due(.deliveredMessages, source: "s", vendor: "v", at: now - 12 * 3600 - 1, now: now))
        #expect(!short.due(.deliveredMessages, source: "s", vendor: "v", at: now - 11 * 3600, now: now))
    }

    @Test func redactedIncidentsKeepOnlyIdentifierLabels() {
        let labels = [
            "env": "prod", "alertname": "HighCPU", "team": "db-ops", "version": "1.2.3",
            "summary": "Disk full on host of Jane Doe", "owner": "jane.doe@example.com", "runbook": "https://wiki/x",
            "instance": "10.0.0.1:9100", "empty": "", "long": String(repeating: "a", count: 65), "city": "Zürich",
        ]
        #expect(
            RetentionPolicy.redactedLabels(labels) == ["env": "prod", "alertname": "HighCPU", "team": "db-ops", "version": "1.2.3"])
        #expect(RetentionPolicy.redactedLabels([:]).isEmpty)
    }
}
