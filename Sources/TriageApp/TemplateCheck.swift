import Foundation
import TriageConfig
import TriageCore
import TriageEngine

/// Checks payload templates before anything runs: each must parse and render JSON for a sample
/// incident. `rules check` and `serve` report the problems with the template's file.
enum TemplateCheck {
    static func problems(_ configuration: TriageConfiguration, directory: String) -> [String] {
        let renderer: PayloadRenderer
        do {
            renderer = try PayloadRenderer(templates: configuration.templates)
        } catch {
            return ["\(directory)/templates: \(error.description)"]
        }
        var generator = SplitMix64(seed: 1)
        let now = Date(timeIntervalSince1970: 1_767_614_400)
        let incident = Incident(
            id: IncidentID(now: now, using: &generator),
            draft: IncidentDraft(
                source: "generic", title: "Sample \"quoted\" title", description: "line one\nline two",
                severity: .critical, labels: ["team": "billing"], service: "billing-db"),
            receivedAt: now, rawPayloadID: 0)
        let decision = Decision(
            incidentID: incident.id, decidedAt: now, category: "database", priority: .p1, vendor: "sample",
            abstained: false, matchedRules: [], sla: nil, explanation: ["sample"])
        var problems: [String] = []
        for name in configuration.templates.keys.sorted() {
            var vendor = Vendor(name: "sample", endpoint: "http://127.0.0.1:9/sample")
            vendor.payloadFormat = .template(name)
            do {
                _ = try renderer.body(messageID: "sample-1", incident: incident, decision: decision, vendor: vendor)
            } catch {
                problems.append("\(directory)/templates/\(name).mustache: \(error) for a sample incident")
            }
        }
        return problems
    }
}
