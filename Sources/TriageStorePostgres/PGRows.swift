import Foundation
import Logging
import PostgresNIO
import TriageCore
import TriageEngine

/// Row helpers every part of the PostgreSQL store shares.
enum PGRows {
    /// Appends one line to an incident's history.
    static func event(
        _ c: PostgresConnection, _ incidentID: String, _ at: Int64, _ kind: String, _ detail: String, logger: Logger
    ) async throws {
        try await c.query(
            "INSERT INTO incidentEvent (incidentId, at, kind, detail) VALUES (\(incidentID), \(at), \(kind), \(detail))",
            logger: logger)
    }

    /// The incident with this id, if any.
    static func fetchIncident(_ c: PostgresConnection, id: String, logger: Logger) async throws -> Incident? {
        guard let row = try await c.row("SELECT * FROM incident WHERE id = \(id)", logger: logger) else { return nil }
        return try incident(from: row)
    }

    /// An incident from a `SELECT * FROM incident` row.
    static func incident(from row: PostgresRandomAccessRow) throws -> Incident? {
        guard let incidentID = IncidentID(try row.get("id", as: String.self)) else { return nil }
        let labelsText = try row.get("labels", as: String.self)
        let labels = (try? JSONDecoder().decode([String: String].self, from: Data(labelsText.utf8))) ?? [:]
        let draft = IncidentDraft(
            source: try row.get("source"),
            externalID: try row.get("externalid"),
            dedupKey: try row.get("dedupkey"),
            title: try row.get("title"),
            description: try row.get("description"),
            severity: Severity(rawValue: try row.get("severity")) ?? .unknown,
            labels: labels,
            service: try row.get("service"),
            occurredAt: Date(millis: try row.get("occurredat")),
            link: try row.get("link")
        )
        var incident = Incident(
            id: incidentID,
            draft: draft,
            receivedAt: Date(millis: try row.get("receivedat")),
            rawPayloadID: try row.get("rawpayloadid")
        )
        incident.status = IncidentStatus(rawValue: try row.get("status")) ?? .open
        incident.occurrences = try row.get("occurrences")
        incident.lastSeenAt = (try row.get("lastseenat", as: Int64?.self)).map(Date.init(millis:)) ?? incident.receivedAt
        incident.acknowledgedAt = (try row.get("acknowledgedat", as: Int64?.self)).map(Date.init(millis:))
        incident.resolvedAt = (try row.get("resolvedat", as: Int64?.self)).map(Date.init(millis:))
        return incident
    }
}

/// Vendor load, daily counts and affinity, kept as incidents are assigned and resolved.
enum PGVendorCounts {
    /// The UTC day of an instant, `2026-11-29`, the key of `vendorDaily`.
    static func day(_ date: Date) -> String {
        String(RFC3339.format(date).prefix(10))
    }

    /// Counts an assignment: one more open incident, one more assigned today, affinity for the
    /// service; one statement (data-modifying CTEs), one round trip.
    static func countAssignment(
        _ c: PostgresConnection, vendor: String, priority: Priority, service: String?, at: Date, logger: Logger
    ) async throws {
        let service = service?.lowercased() ?? ""
        try await c.query(
            """
            WITH load AS (
                INSERT INTO vendorLoad (vendor, priority, open) VALUES (\(vendor), \(priority.rawValue), 1)
                ON CONFLICT (vendor, priority) DO UPDATE SET open = vendorLoad.open + 1
            ), daily AS (
                INSERT INTO vendorDaily (vendor, day, assigned, met, missed) VALUES (\(vendor), \(day(at)), 1, 0, 0)
                ON CONFLICT (vendor, day) DO UPDATE SET assigned = vendorDaily.assigned + 1
            )
            INSERT INTO vendorAffinity (vendor, service, handled)
            SELECT \(vendor), \(service), 1 WHERE \(service) <> ''
            ON CONFLICT (vendor, service) DO UPDATE SET handled = vendorAffinity.handled + 1
            """, logger: logger)
    }

    /// A reopened incident is open again for its vendor: its load counts it once more.
    static func countReopen(_ c: PostgresConnection, incidentID: String, logger: Logger) async throws {
        guard let row = try await c.row(
            "SELECT vendor, priority FROM decision WHERE incidentId = \(incidentID) AND vendor IS NOT NULL", logger: logger)
        else { return }
        let vendor = try row.get("vendor", as: String.self)
        let priority = try row.get("priority", as: String.self)
        try await c.query(
            """
            INSERT INTO vendorLoad (vendor, priority, open) VALUES (\(vendor), \(priority), 1)
            ON CONFLICT (vendor, priority) DO UPDATE SET open = vendorLoad.open + 1
            """, logger: logger)
    }

    /// Counts the end of an assignment (resolution or reassignment away): one fewer open incident,
    /// and on resolution whether the resolve target was met.
    static func countRelease(
        _ c: PostgresConnection, incidentID: String, at: Date, resolved: Bool, logger: Logger
    ) async throws {
        guard let row = try await c.row(
            """
            SELECT d.vendor, d.priority FROM decision d
            WHERE d.incidentId = \(incidentID) AND d.vendor IS NOT NULL
                AND EXISTS (SELECT 1 FROM outboxMessage o WHERE o.incidentId = d.incidentId AND o.vendor = d.vendor)
            """, logger: logger)
        else { return }
        let vendor = try row.get("vendor", as: String.self)
        let priority = try row.get("priority", as: String.self)
        try await c.query(
            "UPDATE vendorLoad SET open = GREATEST(open - 1, 0) WHERE vendor = \(vendor) AND priority = \(priority)",
            logger: logger)
        guard resolved else { return }
        let due = try await c.row(
            """
            SELECT dueAt FROM slaTimer WHERE incidentId = \(incidentID) AND kind = 'resolve' AND step = -1
            ORDER BY generation DESC, occurrence LIMIT 1
            """, logger: logger)?.get("dueat", as: Int64.self)
        guard let due else { return }
        let met = at.millis <= due
        try await c.query(
            """
            INSERT INTO vendorDaily (vendor, day, assigned, met, missed) VALUES (\(vendor), \(day(at)), 0, \(met ? 1 : 0), \(met ? 0 : 1))
            ON CONFLICT (vendor, day) DO UPDATE SET met = vendorDaily.met + excluded.met, missed = vendorDaily.missed + excluded.missed
            """, logger: logger)
    }
}
