import FoundationEssentials

/// ServiceNow incident records. ServiceNow has no fixed outbound webhook format (a business rule or
/// flow posts what its script builds), so this reads the incident record as the Table API writes it:
/// one record bare, or a Table API answer `{"result": {…}}` or `{"result": […]}` (one draft per
/// record; an empty list gives none).
///
/// Every field may be plain text or a `{"display_value", "value", "link"}` object
/// (`sysparm_display_value=all`, reference fields); text reads the display value first, codes the value.
/// - dedup key and external id: `number` (`INC0010001`), else `sys_id`.
/// - title `short_description`; description `description`.
/// - severity from `priority` (`1`, `1 - Critical`): 1 critical, 2 error, 3 warning, 4 and 5 info;
///   without a priority from `impact` + `urgency` − 1 (ServiceNow's default matrix); a priority
///   without a number (`Critical`) as ``Severity/init(parsing:)`` reads it.
/// - action: `state` (else `incident_state`) 6 Resolved, 7 Closed or 8 Canceled (as numbers or words)
///   resolves; every other state updates.
/// - labels: `priority`, `impact`, `urgency`, `state` (numbers when the record has them), and
///   `assignment_group`, `assigned_to`, `category`, `subcategory`, `cmdb_ci`, `business_service`,
///   `contact_type` (display values when sent, else the values, which may be sys_ids).
/// - service: the display value of `business_service`, else of `cmdb_ci`; occurred at `opened_at`,
///   else `sys_created_on` (`2016-12-14 02:46:44`, UTC); link: the record's page on the instance,
///   when a reference `link` names the instance and the record has a `sys_id`.
public enum ServiceNowPayload: PayloadDecoder {
    public static func drafts(from root: JSONCursor, source: String, now: Date) throws(PayloadError) -> [IncidentDraft] {
        try root.requireObject()
        let result = root["result"]
        switch result.value {
        case nil: return [try draft(root, source: source)]
        case .array?:
            return try result.array().map { (record) throws(PayloadError) in try draft(record, source: source) }
        default: return [try draft(result, source: source)]
        }
    }

    static let textLabels = [
        "assignment_group", "assigned_to", "category", "subcategory", "cmdb_ci", "business_service", "contact_type",
    ]

    static func draft(_ record: JSONCursor, source: String) throws(PayloadError) -> IncidentDraft {
        try record.requireObject()
        let sysID = try text(record["sys_id"])
        guard let id = try text(record["number"]) ?? sysID else { throw record.error("has neither number nor sys_id") }
        guard let title = try text(record["short_description"]) else {
            throw record["short_description"].error("required field is missing")
        }
        var labels: [String: String] = [:]
        for name in textLabels { labels[name] = try text(record[name]) }
        for name in ["priority", "impact", "urgency"] {
            let number = try code(record[name])
            let words = try text(record[name])
            labels[name] = number.map(String.init) ?? words
        }
        let stateField = record["state"].isPresent ? record["state"] : record["incident_state"]
        let stateCode = try code(stateField)
        let stateText = try text(stateField)
        labels["state"] = stateCode.map(String.init) ?? stateText
        let closedWords: Set<String> = ["resolved", "closed", "canceled", "cancelled"]
        let closed = stateCode.map { (6...8).contains($0) } ?? closedWords.contains(stateText?.lowercased() ?? "")

        var service = try displayValue(record["business_service"])
        if service == nil { service = try displayValue(record["cmdb_ci"]) }
        var occurredAt = try value(record["opened_at"]).optionalTimestamp()
        if occurredAt == nil { occurredAt = try value(record["sys_created_on"]).optionalTimestamp() }
        return IncidentDraft(
            source: source,
            externalID: id,
            dedupKey: id,
            title: title,
            description: try text(record["description"]) ?? "",
            severity: try severity(record),
            labels: labels,
            service: service,
            action: closed ? .resolve : .update,
            occurredAt: occurredAt,
            link: try sysID.flatMap { (sysID) throws(PayloadError) in try recordURL(record, sysID: sysID) }
        )
    }

    static func severity(_ record: JSONCursor) throws(PayloadError) -> Severity {
        var priority = try code(record["priority"])
        if priority == nil, let impact = try code(record["impact"]), let urgency = try code(record["urgency"]) {
            priority = impact + urgency - 1
        }
        switch priority {
        case 1?: return .critical
        case 2?: return .error
        case 3?: return .warning
        case 4?, 5?: return .info
        case nil: return Severity(parsing: try text(record["priority"]))
        default: return .unknown
        }
    }

    /// The text of a field: plain text, or the display value (else the value) of an object.
    static func text(_ field: JSONCursor) throws(PayloadError) -> String? {
        guard case .object? = field.value else { return try field.optionalNonEmpty() }
        return try JSONCursor.firstText(field["display_value"], field["value"])
    }

    /// Plain text, or only the display value of an object (a bare reference's value is a sys_id).
    static func displayValue(_ field: JSONCursor) throws(PayloadError) -> String? {
        guard case .object? = field.value else { return try field.optionalNonEmpty() }
        return try field["display_value"].optionalNonEmpty()
    }

    /// The field's raw value: itself, or the `value` of an object.
    static func value(_ field: JSONCursor) -> JSONCursor {
        guard case .object? = field.value else { return field }
        return field["value"]
    }

    /// The leading number of a choice field (`1`, `1 - Critical`), value before display value.
    static func code(_ field: JSONCursor) throws(PayloadError) -> Int? {
        let raw = try value(field).optionalNonEmpty()
        let display = try displayValue(field)
        for candidate in [raw, display] {
            if let digits = candidate?.prefix(while: \.isNumber), let number = Int(digits) { return number }
        }
        return nil
    }

    /// `https://<instance>/<table>.do?sys_id=<sys_id>`, the instance taken from the
    /// first reference `link` (`https://<instance>/api/now/table/…`); `nil` when there is none.
    static func recordURL(_ record: JSONCursor, sysID: String) throws(PayloadError) -> String? {
        for (_, field) in try record.optionalMembers() {
            guard case .object? = field.value, let link = field["link"].value?.scalarText,
                let api = link.firstRange(of: "/api/now/")
            else { continue }
            let table = try value(record["sys_class_name"]).optionalNonEmpty() ?? "incident"
            return "\(link[..<api.lowerBound])/\(table).do?sys_id=\(sysID)"
        }
        return nil
    }
}
