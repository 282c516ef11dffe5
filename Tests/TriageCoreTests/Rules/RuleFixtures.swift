import Foundation
import Testing

@testable import TriageCore

func makeIncident(
    title: String = "Disk almost full on db-7",
    description: String = "",
    source: String = "alertmanager",
    severity: Severity = .warning,
    labels: [String: String] = [:],
    service: String? = nil,
    resolved: Bool = false
) -> Incident {
    var generator = SystemRandomNumberGenerator()
    let now = Date(timeIntervalSince1970: 1_790_000_000)
    let draft = IncidentDraft(
        source: source, title: title, description: description, severity: severity, labels: labels,
        service: service, action: resolved ? .resolve : .trigger)
    return Incident(id: IncidentID(now: now, using: &generator), draft: draft, receivedAt: now, rawPayloadID: 1)
}

/// Rule-test helpers: one rule, evaluated at an instant.
enum RuleFixtures {
    static let noon = Date(timeIntervalSince1970: 1_767_614_400)  // Monday 2026-01-05 12:00 UTC

    static func holds(_ condition: Condition, _ incident: Incident, at now: Date = noon, resources: RuleSet.Resources = .init())
        -> Bool
    {
        let set = RuleSet(
            groups: [RuleGroup(name: "g", rules: [Rule(name: "r", when: condition, then: RuleActions(category: "hit"))])],
            resources: resources)
        return set.evaluate(incident, at: now).matched == ["r"]
    }

    /// The trace line of the single rule `r` (its reasons after "matched: " or "did not match: ").
    static func reason(_ condition: Condition, _ incident: Incident, at now: Date = noon, resources: RuleSet.Resources = .init())
        -> String
    {
        let set = RuleSet(
            groups: [RuleGroup(name: "g", rules: [Rule(name: "r", when: condition, then: RuleActions(category: "hit"))])],
            resources: resources)
        let line = set.evaluate(incident, at: now, useIndex: false).trace.last ?? ""
        for marker in ["matched: ", "did not match: "] {
            if let range = line.range(of: marker) { return String(line[range.upperBound...]) }
        }
        return line
    }

    /// IANA zone rules read from the system (tests may do I/O; Core does not).
    static func zone(_ name: String) -> ZoneRules? { try? ZoneFiles.rules(name) }

    static let hasZoneinfo = ZoneFiles.available("Europe/Paris", "Asia/Tokyo")
}
