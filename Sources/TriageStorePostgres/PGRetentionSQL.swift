import Foundation
import PostgresNIO
import TriageCore
import TriageEngine

/// The SQL retention runs on PostgreSQL: which rows of each kind are due under a ``RetentionCutoffs``,
/// as in the SQLite store (one `CASE` in rule order, plus a bound on an indexed column). Every
/// value is a bound parameter.
struct PGRetentionSQL {
    var binds = PostgresBindings()

    /// Binds `value` and returns its placeholder.
    mutating func bind(_ value: some PostgresDynamicTypeEncodable) -> String {
        binds.append(value)
        return "$\(binds.count)"
    }

    /// Binds an instant (or SQL NULL) as a BIGINT placeholder.
    mutating func bind(instant: Date?) -> String {
        guard let instant else {
            binds.appendNull()
            return "$\(binds.count)::bigint"
        }
        return bind(instant.millis) + "::bigint"
    }

    static let phase = "COALESCE(i.phase, CASE i.status WHEN 'open' THEN 'new' ELSE i.status END)"
    static let closedAt =
        "CASE WHEN i.phase = 'suppressed' THEN COALESCE(i.lastSeenAt, i.updatedAt) ELSE COALESCE(i.resolvedAt, i.updatedAt) END"
    static let incidentVendor = "(SELECT d.vendor FROM decision d WHERE d.incidentId = i.id)"
    static let payloadVendor = """
        (SELECT d.vendor FROM incident pi JOIN decision d ON d.incidentId = pi.id WHERE pi.rawPayloadId = r.id
            ORDER BY pi.id LIMIT 1)
        """
    static let messageEnded =
        "COALESCE(o.deliveredAt, (SELECT MAX(a.startedAt) FROM deliveryAttempt a WHERE a.messageId = o.id), o.createdAt)"

    /// `instant < CASE WHEN … END AND bound < latest`.
    mutating func due(_ cutoffs: RetentionCutoffs, instant: String, bound: String, source: String, vendor: String) -> String {
        guard !cutoffs.rules.isEmpty else {
            return "\(instant) < \(bind(instant: cutoffs.otherwise)) AND \(bound) < \(bind(instant: cutoffs.latest))"
        }
        var sql = "\(instant) < CASE"
        for rule in cutoffs.rules {
            var conditions: [String] = []
            if let name = rule.source { conditions.append("\(source) = \(bind(name))::text") }
            if let name = rule.vendor { conditions.append("\(vendor) = \(bind(name))::text") }
            sql += " WHEN \(conditions.isEmpty ? "TRUE" : conditions.joined(separator: " AND ")) THEN \(bind(instant: rule.before))"
        }
        sql += " ELSE \(bind(instant: cutoffs.otherwise)) END AND \(bound) < \(bind(instant: cutoffs.latest))"
        return sql
    }

    /// The rows of `kind` due under `cutoffs`, their key as `key`, oldest first; `lock` adds
    /// `FOR UPDATE … SKIP LOCKED` so two instances never take the same row.
    mutating func candidates(
        _ kind: RetentionKind, _ cutoffs: RetentionCutoffs, action: RetentionPolicy.ClosedIncidentAction, limit: Int?,
        lock: Bool
    ) -> String {
        let vendorRules = cutoffs.rules.contains { $0.vendor != nil }
        var sql: String
        let alias: String
        switch kind {
        case .closedIncidents:
            alias = "i"
            let due = due(cutoffs, instant: Self.closedAt, bound: "i.receivedAt", source: "i.source", vendor: Self.incidentVendor)
            sql = """
                SELECT i.id AS key FROM incident i
                WHERE \(Self.phase) IN ('resolved', 'closed', 'suppressed') AND \(due)
                    \(action == .redact ? "AND i.redactedAt IS NULL" : "")
                    AND NOT EXISTS (SELECT 1 FROM outboxMessage p WHERE p.incidentId = i.id AND p.status = 'pending')
                    AND NOT EXISTS (SELECT 1 FROM workItem w WHERE w.incidentId = i.id AND w.status IN ('queued', 'leased'))
                ORDER BY i.receivedAt, i.id
                """
        case .rawPayloads:
            alias = "r"
            let due = due(
                cutoffs, instant: "r.receivedAt", bound: "r.receivedAt", source: "r.source",
                vendor: vendorRules ? Self.payloadVendor : "NULL::text")
            sql = "SELECT r.id AS key FROM rawPayload r WHERE r.purgedAt IS NULL AND \(due) ORDER BY r.receivedAt, r.id"
        case .deliveredMessages:
            alias = "o"
            let due = due(cutoffs, instant: Self.messageEnded, bound: "o.createdAt", source: "i.source", vendor: "o.vendor")
            sql = """
                SELECT o.id AS key FROM outboxMessage o JOIN incident i ON i.id = o.incidentId
                WHERE o.status IN ('delivered', 'dead', 'dropped') AND o.purgedAt IS NULL AND \(due)
                ORDER BY o.createdAt, o.id
                """
        case .rejectedPayloads:
            alias = "j"
            let due = due(cutoffs, instant: "j.receivedAt", bound: "j.receivedAt", source: "j.source", vendor: "NULL::text")
            sql = "SELECT j.id AS key FROM rejectedPayload j WHERE \(due) ORDER BY j.receivedAt, j.id"
        }
        if let limit { sql += " LIMIT \(bind(limit))" }
        if lock { sql += " FOR UPDATE OF \(alias) SKIP LOCKED" }
        return sql
    }

    /// The query of `sql` with the values bound so far.
    func query(_ sql: String) -> PostgresQuery {
        PostgresQuery(unsafeSQL: sql, binds: binds)
    }
}
