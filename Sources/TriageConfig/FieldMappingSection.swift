import TriageCore
import Yams

/// A `generic` source's `mapping:` block: JSON paths for each incident field.
enum FieldMappingSection {
    static let keys: Set<String> = [
        "items", "title", "description", "severity", "service", "dedup_key", "external_id", "status",
        "occurred_at", "link", "labels", "labels_from", "resolved_values", "acknowledged_values",
    ]

    static func read(_ node: Node, file: YAMLFile) -> FieldMapping? {
        guard let map = file.mapping(node, "mapping", allowed: keys) else { return nil }
        func path(_ key: String) -> JSONPath? {
            guard let text = file.string(map[key], "mapping.\(key)") else { return nil }
            do {
                return try JSONPath(parsing: text)
            } catch {
                file.fail(map[key], "mapping.\(key): \(error.message)")
                return nil
            }
        }
        guard map["title"] != nil else {
            file.fail(node, "mapping needs 'title' (a JSON path such as $.alert.name)")
            return nil
        }
        guard let title = path("title") else { return nil }
        var labels: [String: JSONPath] = [:]
        if let labelsNode = map["labels"] {
            if let labelMap = labelsNode.mapping {
                for (key, value) in labelMap {
                    guard let name = key.string, let text = file.string(value, "mapping.labels.\(key.string ?? "")")
                    else { continue }
                    do {
                        labels[name] = try JSONPath(parsing: text)
                    } catch {
                        file.fail(value, "mapping.labels.\(name): \(error.message)")
                    }
                }
            } else {
                file.fail(labelsNode, "mapping.labels must be a mapping of label name to JSON path")
            }
        }
        var mapping = FieldMapping(
            items: path("items"), title: title, description: path("description"), severity: path("severity"),
            service: path("service"), dedupKey: path("dedup_key"), externalID: path("external_id"),
            status: path("status"), occurredAt: path("occurred_at"), link: path("link"), labels: labels,
            labelsFrom: path("labels_from"))
        if map["resolved_values"] != nil {
            mapping.resolvedValues = file.strings(map["resolved_values"], "mapping.resolved_values")
        }
        if map["acknowledged_values"] != nil {
            mapping.acknowledgedValues = file.strings(map["acknowledged_values"], "mapping.acknowledged_values")
        }
        return mapping
    }
}
