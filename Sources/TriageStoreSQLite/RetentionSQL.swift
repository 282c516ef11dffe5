import Foundation
import GRDB
import TriageCore
import TriageEngine

/// The SQL retention runs on SQLite: which rows of each kind are due under a ``RetentionCutoffs``.
///
/// The cutoffs become one `CASE` in rule order (first match wins, as in ``RetentionCutoffs/before(source:vendor:)``),
/// compared with the row's instant; a second bound on an indexed column (always at or before the
/// row's instant) keeps the scan to the rows old enough to be candidates.
enum RetentionSQL {
    /// A `WHERE` clause and its arguments.
    struct Clause: Sendable {
        var sql: String
        var arguments: [DatabaseValue]

        init(sql: String, arguments: [(any DatabaseValueConvertible)?]) {
            self.sql = sql
            self.arguments = arguments.map { $0?.databaseValue ?? .null }
        }

        init(sql: String, arguments: [DatabaseValue]) {
            self.sql = sql
            self.arguments = arguments
        }

        var statementArguments: StatementArguments { StatementArguments(arguments) }
    }

    /// The phase an incident is in, for rows written before phases existed too.
    static let phase = "COALESCE(i.phase, CASE i.status WHEN 'resolved' THEN 'resolved' WHEN 'open' THEN 'new' ELSE i.status END)"
    /// When a closed incident closed: resolved (closed incidents were resolved first) or, suppressed, last seen.
    static let closedAt =
        "CASE WHEN i.phase = 'suppressed' THEN COALESCE(i.lastSeenAt, i.updatedAt) ELSE COALESCE(i.resolvedAt, i.updatedAt) END"
    /// The vendor an incident is assigned to.
    static let incidentVendor = "(SELECT d.vendor FROM decision d WHERE d.incidentId = i.id)"
    /// The vendor of the (first) incident made from payload `r`.
    static let payloadVendor = """
        (SELECT d.vendor FROM incident pi JOIN decision d ON d.incidentId = pi.id WHERE pi.rawPayloadId = r.id
            ORDER BY pi.id LIMIT 1)
        """
    /// When a finished message ended: delivered, or its last attempt, or (dropped untried) created.
    static let messageEnded =
        "COALESCE(o.deliveredAt, (SELECT MAX(a.startedAt) FROM deliveryAttempt a WHERE a.messageId = o.id), o.createdAt)"

    /// `instant < CASE WHEN … END AND bound < latest`.
    static func due(
        _ cutoffs: RetentionCutoffs, instant: String, bound: String, source: String, vendor: String
    ) -> Clause {
        guard !cutoffs.rules.isEmpty else {
            return Clause(sql: "\(instant) < ? AND \(bound) < ?", arguments: [cutoffs.otherwise?.millis, cutoffs.latest?.millis])
        }
        var sql = "\(instant) < CASE"
        var arguments: [(any DatabaseValueConvertible)?] = []
        for rule in cutoffs.rules {
            var conditions: [String] = []
            if let name = rule.source {
                conditions.append("\(source) = ?")
                arguments.append(name)
            }
            if let name = rule.vendor {
                conditions.append("\(vendor) = ?")
                arguments.append(name)
            }
            sql += " WHEN \(conditions.isEmpty ? "1" : conditions.joined(separator: " AND ")) THEN ?"
            arguments.append(rule.before?.millis)
        }
        sql += " ELSE ? END AND \(bound) < ?"
        arguments.append(cutoffs.otherwise?.millis)
        arguments.append(cutoffs.latest?.millis)
        return Clause(sql: sql, arguments: arguments)
    }

    /// The `FROM … WHERE …` of the rows of `kind` due under `cutoffs` (aliases: `i` incident,
    /// `r` raw payload, `o` message, `j` rejected request), selecting their key as `key`.
    static func candidates(
        _ kind: RetentionKind, _ cutoffs: RetentionCutoffs, action: RetentionPolicy.ClosedIncidentAction
    ) -> Clause {
        let vendorRules = cutoffs.rules.contains { $0.vendor != nil }
        switch kind {
        case .closedIncidents:
            let due = due(cutoffs, instant: closedAt, bound: "i.receivedAt", source: "i.source", vendor: incidentVendor)
            return Clause(
                sql: """
                    SELECT i.id AS key FROM incident i
                    WHERE \(phase) IN ('resolved', 'closed', 'suppressed') AND \(due.sql)
                        \(action == .redact ? "AND i.redactedAt IS NULL" : "")
                        AND NOT EXISTS (SELECT 1 FROM outboxMessage p WHERE p.incidentId = i.id AND p.status = 'pending')
                        AND NOT EXISTS (SELECT 1 FROM workItem w WHERE w.incidentId = i.id AND w.status IN ('queued', 'leased'))
                    ORDER BY i.receivedAt, i.id
                    """, arguments: due.arguments)
        case .rawPayloads:
            let due = due(
                cutoffs, instant: "r.receivedAt", bound: "r.receivedAt", source: "r.source",
                vendor: vendorRules ? payloadVendor : "NULL")
            return Clause(
                sql: "SELECT r.id AS key FROM rawPayload r WHERE r.purgedAt IS NULL AND \(due.sql) ORDER BY r.receivedAt, r.id",
                arguments: due.arguments)
        case .deliveredMessages:
            let due = due(cutoffs, instant: messageEnded, bound: "o.createdAt", source: "i.source", vendor: "o.vendor")
            return Clause(
                sql: """
                    SELECT o.id AS key FROM outboxMessage o JOIN incident i ON i.id = o.incidentId
                    WHERE o.status IN ('delivered', 'dead', 'dropped') AND o.purgedAt IS NULL AND \(due.sql)
                    ORDER BY o.createdAt, o.id
                    """, arguments: due.arguments)
        case .rejectedPayloads:
            let due = due(cutoffs, instant: "j.receivedAt", bound: "j.receivedAt", source: "j.source", vendor: "NULL")
            return Clause(
                sql: "SELECT j.id AS key FROM rejectedPayload j WHERE \(due.sql) ORDER BY j.receivedAt, j.id",
                arguments: due.arguments)
        }
    }

    /// `?, ?, ?` for `count` values.
    static func placeholders(_ count: Int) -> String {
        Array(repeating: "?", count: count).joined(separator: ", ")
    }
}
