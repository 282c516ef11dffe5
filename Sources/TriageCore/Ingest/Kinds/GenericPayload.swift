import FoundationEssentials

/// The documented JSON for a `generic` source: one incident per request.
///
/// ```json
/// {"title": "Checkout latency above 2s", "description": "p99 2.4s for 10m",
///  "severity": "critical", "labels": {"team": "billing"}, "service": "checkout",
///  "dedup_key": "checkout-latency", "external_id": "INC-42",
///  "status": "firing", "occurred_at": "2026-11-29T06:00:00Z"}
/// ```
/// Only `title` is required. `status: resolved` resolves the open incident with the same dedup key,
/// `status: acknowledged` acknowledges it. With a ``FieldMapping`` any JSON is read through its paths.
///
/// With a mapping:
/// - one draft for the body, or one per element of the array at `items`; every other path is then
///   relative to the element (`$` is the element). An empty `items` array gives no drafts. The body
///   must be an object unless `items` is set (then `items: $` reads a top-level array).
/// - `title` is required (422 at the mapped path when missing or blank); the other fields are
///   optional and read as the documented format reads them (`occurred_at` also accepts epoch
///   numbers and the other forms of ``SourceTimestamp``).
/// - action: the value at `status`, compared case-insensitively, resolves when it is one of
///   `resolvedValues`, acknowledges when it is one of `acknowledgedValues`, and triggers otherwise
///   (also when there is no `status` path or value).
/// - labels: the scalars of the object at `labelsFrom`, then each `labels` entry (which wins);
///   a label whose path leads nowhere is left out.
public enum GenericPayload: PayloadDecoder {
    public static func drafts(from root: JSONCursor, source: String, now: Date) throws(PayloadError) -> [IncidentDraft] {
        try drafts(from: root, source: source, mapping: nil, now: now)
    }

    public static func drafts(
        from root: JSONCursor, source: String, mapping: FieldMapping?, now: Date
    ) throws(PayloadError) -> [IncidentDraft] {
        if let mapping { return try mapped(root, source: source, mapping: mapping) }
        try root.requireObject()
        let status = root["status"]
        let action: IncidentDraft.Action
        switch try status.optionalString()?.lowercased() {
        case nil, "firing", "open", "triggered", "problem": action = .trigger
        case "acknowledged", "ack": action = .acknowledge
        case "resolved", "ok", "closed": action = .resolve
        case let other?:
            throw status.error("expected firing, acknowledged or resolved, got '\(other)'")
        }
        return [
            IncidentDraft(
                source: source,
                externalID: try root["external_id"].optionalNonEmpty(),
                dedupKey: try root["dedup_key"].optionalNonEmpty(),
                title: try root["title"].string(),
                description: try root["description"].optionalString() ?? "",
                severity: Severity(parsing: try root["severity"].optionalString()),
                labels: try root["labels"].labels(),
                service: try root["service"].optionalNonEmpty(),
                action: action,
                occurredAt: try root["occurred_at"].optionalDate(),
                link: try root["link"].optionalNonEmpty()
            )
        ]
    }

    static func mapped(
        _ root: JSONCursor, source: String, mapping: FieldMapping
    ) throws(PayloadError) -> [IncidentDraft] {
        guard let items = mapping.items else {
            try root.requireObject()
            return [try draft(root, source: source, mapping: mapping)]
        }
        return try root.at(items).array().map { (item) throws(PayloadError) in
            try draft(item, source: source, mapping: mapping)
        }
    }

    /// One incident from `item` (the body, or one element of `items`) through the mapping's paths.
    static func draft(_ item: JSONCursor, source: String, mapping: FieldMapping) throws(PayloadError) -> IncidentDraft {
        func read(_ path: JSONPath?) -> JSONCursor? { path.map { item.at($0) } }
        var labels = try read(mapping.labelsFrom)?.labels() ?? [:]
        for (name, path) in mapping.labels.sorted(by: { $0.key < $1.key }) {
            if let value = try item.at(path).optionalString() { labels[name] = value }
        }
        var action = IncidentDraft.Action.trigger
        if let status = try read(mapping.status)?.optionalString()?.lowercased() {
            if mapping.resolvedValues.contains(where: { $0.lowercased() == status }) {
                action = .resolve
            } else if mapping.acknowledgedValues.contains(where: { $0.lowercased() == status }) {
                action = .acknowledge
            }
        }
        return IncidentDraft(
            source: source,
            externalID: try read(mapping.externalID)?.optionalNonEmpty(),
            dedupKey: try read(mapping.dedupKey)?.optionalNonEmpty(),
            title: try item.at(mapping.title).string(),
            description: try read(mapping.description)?.optionalString() ?? "",
            severity: Severity(parsing: try read(mapping.severity)?.optionalString()),
            labels: labels,
            service: try read(mapping.service)?.optionalNonEmpty(),
            action: action,
            occurredAt: try read(mapping.occurredAt)?.optionalTimestamp(),
            link: try read(mapping.link)?.optionalNonEmpty()
        )
    }
}

extension String {
    /// The string without leading and trailing spaces, tabs and newlines.
    var trimmedSpaces: String {
        var scalars = Substring(self)
        while let first = scalars.first, first.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }
}
