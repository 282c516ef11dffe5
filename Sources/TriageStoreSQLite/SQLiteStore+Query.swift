import Foundation
import GRDB
import TriageCore
import TriageEngine

extension SQLiteStore: IncidentQuery {
    /// Incidents matching `filter`, newest first (`receivedAt`, then id), at most `limit`, strictly
    /// older than the incident `before`. Every value is a bound parameter; the text is matched
    /// with `LIKE` (ASCII case folding) with `%`, `_` and `\` escaped.
    public func incidents(matching filter: IncidentFilter, limit: Int, before: String?) async throws -> [IncidentSummary] {
        guard limit > 0 else { return [] }
        return try await pool.read { db in
            var conditions: [String] = []
            var arguments = StatementArguments()
            if let before {
                guard let receivedAt = try Int64.fetchOne(
                    db, sql: "SELECT receivedAt FROM incident WHERE id = ?", arguments: [before])
                else { throw IncidentQueryError.unknownCursor(before) }
                // The first condition lets the index start at the cursor instead of filtering from the top.
                conditions.append("i.receivedAt <= ? AND (i.receivedAt < ? OR (i.receivedAt = ? AND i.id < ?))")
                arguments += [receivedAt, receivedAt, receivedAt, before]
            }
            if let status = filter.status {
                conditions.append("i.status = ?")
                arguments += [status.rawValue]
            }
            if let phase = filter.phase {
                conditions.append("\(Self.currentPhase) = ?")
                arguments += [phase.rawValue]
            }
            if let vendor = filter.vendor {
                conditions.append("d.vendor = ?")
                arguments += [vendor]
            }
            if let priority = filter.priority {
                conditions.append("d.priority = ?")
                arguments += [priority.rawValue]
            }
            if let source = filter.source {
                conditions.append("i.source = ?")
                arguments += [source]
            }
            if let from = filter.receivedFrom {
                conditions.append("i.receivedAt >= ?")
                arguments += [from.millis]
            }
            if let to = filter.receivedTo {
                conditions.append("i.receivedAt < ?")
                arguments += [to.millis]
            }
            if let pattern = filter.textPattern {
                conditions.append(#"(i.title LIKE ? ESCAPE '\' OR i.description LIKE ? ESCAPE '\')"#)
                arguments += [pattern, pattern]
            }
            arguments += [limit]
            let sql = """
                SELECT i.id, i.source, i.title, i.status, \(Self.currentPhase) AS currentPhase, i.severity, i.service,
                    i.receivedAt, i.occurrences, d.priority, d.category, d.vendor, d.abstained, d.decidedAt,
                    json_extract(d.body, '$.explanation[#-1]') AS reason
                FROM incident i LEFT JOIN decision d ON d.incidentId = i.id
                \(conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND "))
                ORDER BY i.receivedAt DESC, i.id DESC LIMIT ?
                """
            return try Row.fetchAll(db, sql: sql, arguments: arguments).compactMap(Self.summary(from:))
        }
    }

    /// The phase, for rows from before phases were stored.
    private static let currentPhase = "COALESCE(i.phase, CASE i.status WHEN 'open' THEN 'new' ELSE i.status END)"

    /// One listing row as a summary; `nil` for an id that is not an incident id.
    private static func summary(from row: Row) -> IncidentSummary? {
        guard let id = IncidentID(row["id"] as String) else { return nil }
        return IncidentSummary(
            id: id,
            source: row["source"],
            title: row["title"],
            status: IncidentStatus(rawValue: row["status"]) ?? .open,
            phase: IncidentPhase(rawValue: row["currentPhase"]) ?? .new,
            severity: Severity(rawValue: row["severity"]) ?? .unknown,
            service: row["service"],
            priority: (row["priority"] as String?).flatMap(Priority.init(rawValue:)),
            category: row["category"],
            vendor: row["vendor"],
            abstained: (row["abstained"] as Int?).map { $0 != 0 },
            receivedAt: Date(millis: row["receivedAt"]),
            decidedAt: (row["decidedAt"] as Int64?).map(Date.init(millis:)),
            reason: row["reason"],
            occurrences: row["occurrences"]
        )
    }
}
