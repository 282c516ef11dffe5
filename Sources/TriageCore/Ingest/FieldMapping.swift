/// How a `generic` source reads JSON that is not the documented generic format: each incident
/// field comes from a JSON path, so any sender can be connected without code.
///
/// ```yaml
/// mapping:
///   items: $.events            # optional: one incident per element; other paths are relative to it
///   title: $.check.name        # required
///   description: $.check.output
///   severity: $.level
///   dedup_key: $.check.id
///   status: $.state            # compared with resolved_values / acknowledged_values
///   resolved_values: [ok, recovered]
///   labels: {team: $.owner.team}
///   labels_from: $.tags        # an object of scalars merged into labels
/// ```
public struct FieldMapping: Sendable, Equatable {
    public var items: JSONPath?
    public var title: JSONPath
    public var description: JSONPath?
    public var severity: JSONPath?
    public var service: JSONPath?
    public var dedupKey: JSONPath?
    public var externalID: JSONPath?
    public var status: JSONPath?
    public var occurredAt: JSONPath?
    public var link: JSONPath?
    public var labels: [String: JSONPath]
    public var labelsFrom: JSONPath?
    /// Status values (compared case-insensitively) that resolve the incident.
    public var resolvedValues: [String]
    /// Status values (compared case-insensitively) that acknowledge it.
    public var acknowledgedValues: [String]

    public static let defaultResolvedValues = ["resolved", "ok", "closed", "recovered"]
    public static let defaultAcknowledgedValues = ["acknowledged", "ack"]

    public init(
        items: JSONPath? = nil,
        title: JSONPath,
        description: JSONPath? = nil,
        severity: JSONPath? = nil,
        service: JSONPath? = nil,
        dedupKey: JSONPath? = nil,
        externalID: JSONPath? = nil,
        status: JSONPath? = nil,
        occurredAt: JSONPath? = nil,
        link: JSONPath? = nil,
        labels: [String: JSONPath] = [:],
        labelsFrom: JSONPath? = nil,
        resolvedValues: [String] = FieldMapping.defaultResolvedValues,
        acknowledgedValues: [String] = FieldMapping.defaultAcknowledgedValues
    ) {
        self.items = items
        self.title = title
        self.description = description
        self.severity = severity
        self.service = service
        self.dedupKey = dedupKey
        self.externalID = externalID
        self.status = status
        self.occurredAt = occurredAt
        self.link = link
        self.labels = labels
        self.labelsFrom = labelsFrom
        self.resolvedValues = resolvedValues
        self.acknowledgedValues = acknowledgedValues
    }
}
