import Foundation
import Logging
import PostgresNIO
import TriageCore
import TriageEngine

extension PostgresStore: IncidentQuery {
    /// Incidents matching `filter`, newest first (`receivedAt`, then id in byte order), at most
    /// `limit`, strictly older than the incident `before`. Every value is a bound parameter; the
    /// text is matched with `ILIKE` under the "C" collation, which folds ASCII letters only, as
    /// SQLite's `LIKE` does, with `%`, `_` and `\` escaped.
    public func incidents(matching filter: IncidentFilter, limit: Int, before: String?) async throws -> [IncidentSummary] {
        guard limit > 0 else { return [] }
        return try await read { c in
            var conditions: [String] = []
            var binds = PostgresBindings()
            /// Binds `value` and returns its placeholder.
            func bind(_ value: some PostgresDynamicTypeEncodable) -> String {
                binds.append(value)
                return "$\(binds.count)"
            }
            if let before {
                guard let receivedAt = try await c.row(
                    "SELECT receivedAt FROM incident WHERE id = \(before)", logger: logger)?.get("receivedat", as: Int64.self)
                else { throw IncidentQueryError.unknownCursor(before) }
                let at = bind(receivedAt)
                let id = bind(before)
                // The first condition lets the index start at the cursor instead of filtering from the top.
                conditions.append(
                    #"i.receivedAt <= \#(at) AND (i.receivedAt < \#(at) OR (i.receivedAt = \#(at) AND i.id COLLATE "C" < \#(id)))"#)
            }
            if let status = filter.status { conditions.append("i.status = \(bind(status.rawValue))") }
            if let phase = filter.phase { conditions.append("\(Self.currentPhase) = \(bind(phase.rawValue))") }
            if let vendor = filter.vendor { conditions.append("d.vendor = \(bind(vendor))") }
            if let priority = filter.priority { conditions.append("d.priority = \(bind(priority.rawValue))") }
            if let source = filter.source { conditions.append("i.source = \(bind(source))") }
            if let from = filter.receivedFrom { conditions.append("i.receivedAt >= \(bind(from.millis))") }
            if let to = filter.receivedTo { conditions.append("i.receivedAt < \(bind(to.millis))") }
            if let pattern = filter.textPattern {
                let p = bind(pattern)
                conditions.append(
                    #"(i.title COLLATE "C" ILIKE \#(p) ESCAPE '\' OR i.description COLLATE "C" ILIKE \#(p) ESCAPE '\')"#)
            }
            let sql = """
                SELECT i.id, i.source, i.title, i.status, \(Self.currentPhase) AS currentphase, i.severity, i.service,
                    i.receivedAt, i.occurrences, d.priority, d.category, d.vendor, d.abstained, d.decidedAt,
                    (d.body::jsonb -> 'explanation') ->> -1 AS reason
                FROM incident i LEFT JOIN decision d ON d.incidentId = i.id
                \(conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND "))
                ORDER BY i.receivedAt DESC, i.id COLLATE "C" DESC LIMIT \(bind(limit))
                """
            return try await c.rows(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger).compactMap(Self.summary(from:))
        }
    }

    /// The phase, for rows from before phases were stored.
    private static let currentPhase = "COALESCE(i.phase, CASE i.status WHEN 'open' THEN 'new' ELSE i.status END)"

    /// One listing row as a summary; `nil` for an id that is not an incident id.
    private static func summary(from row: PostgresRandomAccessRow) throws -> IncidentSummary? {
        guard let id = IncidentID(try row.get("id", as: String.self)) else { return nil }
        return IncidentSummary(
            id: id,
            source: try row.get("source"),
            title: try row.get("title"),
            status: IncidentStatus(rawValue: try row.get("status")) ?? .open,
            phase: IncidentPhase(rawValue: try row.get("currentphase")) ?? .new,
            severity: Severity(rawValue: try row.get("severity")) ?? .unknown,
            service: try row.get("service"),
            priority: (try row.get("priority", as: String?.self)).flatMap(Priority.init(rawValue:)),
            category: try row.get("category"),
            vendor: try row.get("vendor"),
            abstained: (try row.get("abstained", as: Int?.self)).map { $0 != 0 },
            receivedAt: Date(millis: try row.get("receivedat")),
            decidedAt: (try row.get("decidedat", as: Int64?.self)).map(Date.init(millis:)),
            reason: try row.get("reason"),
            occurrences: try row.get("occurrences")
        )
    }
}
